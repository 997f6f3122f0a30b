#!/usr/bin/env node
// Runs AdoptedFleet's custom resources through CDK's own AwsCustomResource provider handler (the asset a synth bundles,
// the code CloudFormation would run) against an AWS emulator, over an existing fleet this script builds there.
//   AWS_ENDPOINT_URL=http://127.0.0.1:PORT node run.js <template.json> <handler index.js>
// Prints one JSON object: the fleet before, after the four Create calls and after the four Delete calls, and each
// call's status as the handler reported it to CloudFormation. Exit 1 on anything but a completed run.
'use strict';
const fs = require('fs');
const https = require('https');
const elb = require('@aws-sdk/client-elastic-load-balancing-v2');
const asg = require('@aws-sdk/client-auto-scaling');
const ec2 = require('@aws-sdk/client-ec2');

const [templateFile, handlerFile] = process.argv.slice(2);
// The handler PUTs its result to the pre-signed ResponseURL with https.request; keep it here instead.
let reported;
https.request = (options, callback) => ({ on() {}, write(body) { reported = JSON.parse(body); }, end() { callback({}); } });
// The handler logs every event and response; this script's stdout is its result only.
console.log = () => {};
const { handler } = require(handlerFile);
const template = JSON.parse(fs.readFileSync(templateFile, 'utf8'));
const config = { region: 'us-east-1', endpoint: process.env.AWS_ENDPOINT_URL, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };
const E = new ec2.EC2Client(config), L = new elb.ElasticLoadBalancingV2Client(config), A = new asg.AutoScalingClient(config);

function render(value, refs) {
  if (typeof value === 'string') return value;
  if (value['Fn::Join']) return value['Fn::Join'][1].map(p => render(p, refs)).join(value['Fn::Join'][0]);
  if (value.Ref && refs[value.Ref]) return refs[value.Ref];
  throw new Error('unexpected intrinsic ' + JSON.stringify(value));
}

async function call(type, requestType, refs, substitute) {
  const id = Object.keys(template.Resources).find(k => template.Resources[k].Type === type);
  const properties = { ServiceToken: 'provider', InstallLatestAwsSdk: 'false' };
  for (const key of ['Create', 'Update', 'Delete']) {
    const value = template.Resources[id].Properties[key];
    if (value) properties[key] = substitute(render(value, refs));
  }
  reported = undefined;
  await handler({
    RequestType: requestType, ResponseURL: 'https://cloudformation-response.invalid/', StackId: 'stack', RequestId: requestType,
    LogicalResourceId: id, PhysicalResourceId: requestType === 'Create' ? undefined : 'physical', ResourceType: type, ResourceProperties: properties,
  }, { logStreamName: 'log' });
  return { type, requestType, status: reported && reported.Status, reason: reported && reported.Reason };
}

(async () => {
  // An existing fleet: an ALB listener forwarding to one target group, a launch template and a group behind it.
  const vpc = (await E.send(new ec2.CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }))).Vpc.VpcId;
  const subnets = [];
  for (const [cidr, zone] of [['10.0.1.0/24', 'us-east-1a'], ['10.0.2.0/24', 'us-east-1b']]) {
    subnets.push((await E.send(new ec2.CreateSubnetCommand({ VpcId: vpc, CidrBlock: cidr, AvailabilityZone: zone }))).Subnet.SubnetId);
  }
  const lb = (await L.send(new elb.CreateLoadBalancerCommand({ Name: 'shop', Subnets: subnets }))).LoadBalancers[0].LoadBalancerArn;
  const blue = (await L.send(new elb.CreateTargetGroupCommand({ Name: 'shop-web', Protocol: 'HTTP', Port: 80, VpcId: vpc }))).TargetGroups[0].TargetGroupArn;
  const listener = (await L.send(new elb.CreateListenerCommand({ LoadBalancerArn: lb, Protocol: 'HTTP', Port: 80, DefaultActions: [{ Type: 'forward', TargetGroupArn: blue }] }))).Listeners[0].ListenerArn;
  const launchTemplate = (await E.send(new ec2.CreateLaunchTemplateCommand({ LaunchTemplateName: 'shop', LaunchTemplateData: { ImageId: 'ami-12c6146b', InstanceType: 't3.micro' } }))).LaunchTemplate.LaunchTemplateId;
  await A.send(new asg.CreateAutoScalingGroupCommand({
    AutoScalingGroupName: 'shop-web-asg', LaunchTemplate: { LaunchTemplateId: launchTemplate, Version: '1' },
    MinSize: 2, MaxSize: 2, DesiredCapacity: 2, VPCZoneIdentifier: subnets.join(','), TargetGroupARNs: [blue],
  }));
  // What CloudFormation would have created from the template before the custom resources: the twin target group.
  const green = (await L.send(new elb.CreateTargetGroupCommand({ Name: 'phoenix-shop-green', Protocol: 'HTTP', Port: 80, VpcId: vpc }))).TargetGroups[0].TargetGroupArn;
  const twinId = Object.keys(template.Resources).find(k => template.Resources[k].Type === 'AWS::ElasticLoadBalancingV2::TargetGroup');

  // The template was synthesized with the test's ARNs and ids; the emulator's are others.
  const fromTemplate = JSON.parse(process.env.PHOENIX_ADOPT_NAMES);
  const substitute = s => s.split(fromTemplate.listener).join(listener).split(fromTemplate.targetGroup).join(blue).split(fromTemplate.launchTemplate).join(launchTemplate);

  const fleet = async () => {
    const l = (await L.send(new elb.DescribeListenersCommand({ ListenerArns: [listener] }))).Listeners[0];
    const g = (await A.send(new asg.DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: ['shop-web-asg'] }))).AutoScalingGroups[0];
    // DescribeTags, not DescribeLaunchTemplates: moto keeps a template's CreateTags tags only in the former.
    const t = (await E.send(new ec2.DescribeTagsCommand({ Filters: [{ Name: 'resource-id', Values: [launchTemplate] }] }))).Tags;
    const lt = (await L.send(new elb.DescribeTagsCommand({ ResourceArns: [listener] }))).TagDescriptions[0];
    return {
      defaultActions: l.DefaultActions,
      groupTags: (g.Tags || []).map(x => ({ key: x.Key, value: x.Value, propagateAtLaunch: x.PropagateAtLaunch })),
      groupInstances: g.Instances.map(i => i.InstanceId).sort(),
      launchTemplateTags: (t || []).map(x => ({ key: x.Key, value: x.Value })),
      listenerTags: ((lt && lt.Tags) || []).map(x => ({ key: x.Key, value: x.Value })),
    };
  };
  const result = { names: { listener, blue, green, launchTemplate }, before: await fleet(), calls: [] };
  const refs = { [twinId]: green };
  for (const type of ['Custom::PhoenixAdoptGroupTags', 'Custom::PhoenixAdoptLaunchTemplateTag', 'Custom::PhoenixAdoptListenerTag', 'Custom::PhoenixAdoptListener']) {
    result.calls.push(await call(type, 'Create', refs, substitute));
  }
  result.created = await fleet();
  // Stack deletion runs the deletes in reverse dependency order.
  for (const type of ['Custom::PhoenixAdoptListener', 'Custom::PhoenixAdoptListenerTag', 'Custom::PhoenixAdoptLaunchTemplateTag', 'Custom::PhoenixAdoptGroupTags']) {
    result.calls.push(await call(type, 'Delete', refs, substitute));
  }
  result.deleted = await fleet();
  process.stdout.write(JSON.stringify(result));
})().catch(e => { process.stderr.write(String(e && e.stack || e)); process.exit(1); });
