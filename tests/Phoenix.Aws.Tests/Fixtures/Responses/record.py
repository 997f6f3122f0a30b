#!/usr/bin/python3
"""Records the response fixtures in this folder from moto, an AWS emulator nobody on this project wrote.

Usage (from anywhere):  /usr/bin/python3 tests/Phoenix.Aws.Tests/Fixtures/Responses/record.py
Starts moto with ../shared/emulators/moto/start beside the repository (or uses PHOENIX_EMULATOR_ENDPOINT),
provisions what each response needs with botocore (the copy bundled with moto), and saves the raw response
bodies exactly as moto sent them. ResponseTests parse these files through Phoenix's own clients; they assert
what is stable across recordings (names, sizes, weights, formats), not the random ids.

Shapes moto cannot produce stay hand-written, named *.handwritten.* (see README.md here).
"""
import glob
import hashlib
import json
import os
import subprocess
import sys
import time
import urllib.request

here = os.path.dirname(os.path.abspath(__file__))
root = here
while not os.path.exists(os.path.join(root, "Serverless.sln")):
    parent = os.path.dirname(root)
    if parent == root:
        sys.exit("record.py: no Serverless.sln above " + here)
    root = parent
moto_dir = os.path.normpath(os.path.join(root, "..", "shared", "emulators", "moto"))

pid = None
endpoint = os.environ.get("PHOENIX_EMULATOR_ENDPOINT")
if not endpoint:
    out = subprocess.run(["bash", os.path.join(moto_dir, "start")], check=True, capture_output=True, text=True).stdout
    values = dict(line.split("=", 1) for line in out.split() if "=" in line)
    endpoint, pid = values["endpoint"], int(values["pid"])

# botocore from the moto bundle (Debian's is too old for some operations); unpacked by the start script.
bundle = os.path.join(moto_dir, "moto-server-5.2.3.tar.gz")
digest = hashlib.sha256(open(bundle, "rb").read()).hexdigest()[:16]
cache = os.environ.get("MOTO_CACHE_DIR") or os.path.join(os.environ.get("XDG_CACHE_HOME") or os.path.join(os.environ.get("HOME", "/tmp"), ".cache"), "moto-server")
sys.path.insert(0, os.path.join(cache, digest))
import botocore.session  # noqa: E402

session = botocore.session.get_session()
raw = {}


def client(name):
    c = session.create_client(name, region_name="us-east-1", endpoint_url=endpoint, aws_access_key_id="test", aws_secret_access_key="test")

    def keep(http_response, model, **_):
        raw[model.name] = http_response.content
    c.meta.events.register("after-call", keep)
    return c


def post(path, body=b""):
    urllib.request.urlopen(urllib.request.Request(endpoint + path, data=body, method="POST")).read()


def save(name, body):
    with open(os.path.join(here, name), "wb") as f:
        f.write(body)
    print("recorded", name)


def call(c, operation, fixture, **kwargs):
    getattr(c, operation)(**kwargs)
    save(fixture, raw[c.meta.method_to_api_mapping[operation]])


def error(c, operation, fixture, **kwargs):
    try:
        getattr(c, operation)(**kwargs)
    except c.exceptions.ClientError:
        save(fixture, raw[c.meta.method_to_api_mapping[operation]])
        return
    sys.exit(f"record.py: {operation} did not fail")


try:
    post("/moto-api/reset")
    ec2, asg, elb, sfn = client("ec2"), client("autoscaling"), client("elbv2"), client("stepfunctions")

    image = sorted(i["ImageId"] for i in ec2.describe_images(Owners=["amazon"])["Images"] if len(i["ImageId"]) == 21)[0]
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.0.{n}.0/24", AvailabilityZone=z)["Subnet"]["SubnetId"] for n, z in ((1, "us-east-1a"), (2, "us-east-1b"))]
    lb = elb.create_load_balancer(Name="phoenix-web", Subnets=subnets)["LoadBalancers"][0]["LoadBalancerArn"]
    groups = {}
    for colour in ("blue", "green"):
        tg = elb.create_target_group(Name=f"web-{colour}", Protocol="HTTP", Port=80, VpcId=vpc, TargetType="instance")["TargetGroups"][0]["TargetGroupArn"]
        lt = ec2.create_launch_template(LaunchTemplateName=f"web-{colour}", LaunchTemplateData={"ImageId": image, "InstanceType": "t3.medium"})["LaunchTemplate"]["LaunchTemplateId"]
        groups[colour] = (tg, lt)
    green_tg = groups["green"][0]
    # Blue is live on its template's second version; green idle at zero.
    ec2.create_launch_template_version(LaunchTemplateId=groups["blue"][1], SourceVersion="1", LaunchTemplateData={"ImageId": image})
    for colour, (tg, lt) in groups.items():
        live = colour == "blue"
        asg.create_auto_scaling_group(
            AutoScalingGroupName=f"web-{colour}", LaunchTemplate={"LaunchTemplateId": lt, "Version": "2" if live else "1"},
            MinSize=2 if live else 0, MaxSize=4, DesiredCapacity=2 if live else 0, HealthCheckType="ELB",
            HealthCheckGracePeriod=120, VPCZoneIdentifier=",".join(subnets), TargetGroupARNs=[tg])
    listener = elb.create_listener(LoadBalancerArn=lb, Protocol="HTTP", Port=80, DefaultActions=[{"Type": "forward", "ForwardConfig": {"TargetGroups": [
        {"TargetGroupArn": groups["blue"][0], "Weight": 100}, {"TargetGroupArn": green_tg, "Weight": 0}]}}])["Listeners"][0]["ListenerArn"]
    elb.modify_listener(ListenerArn=listener, DefaultActions=[{"Type": "forward", "ForwardConfig": {"TargetGroups": [
        {"TargetGroupArn": groups["blue"][0], "Weight": 90}, {"TargetGroupArn": green_tg, "Weight": 10}]}}])

    # Auto Scaling: one group per page gives the live web-blue and a token for the next page.
    call(asg, "describe_auto_scaling_groups", "DescribeAutoScalingGroups.xml", MaxRecords=1)
    call(asg, "describe_auto_scaling_groups", "DescribeAutoScalingGroups.empty.xml", AutoScalingGroupNames=["nobody-blue"])
    call(elb, "describe_listeners", "DescribeListeners.weighted.xml", ListenerArns=[listener])
    call(elb, "describe_target_health", "DescribeTargetHealth.xml", TargetGroupArn=groups["blue"][0])
    error(elb, "describe_listeners", "DescribeListeners.ListenerNotFound.xml", ListenerArns=[listener.rsplit("/", 1)[0] + "/0123456789abcdef"])

    # What Phoenix must carry through a deployment untouched: an OIDC action before a sticky weighted forward, and a
    # rule forwarding to blue. moto takes the OIDC action on an HTTP listener (AWS wants HTTPS) and echoes the client
    # secret (AWS never returns it); ResponseTests read the fixture as AWS's shape plus that one extra member.
    oidc = {"Type": "authenticate-oidc", "Order": 1, "AuthenticateOidcConfig": {
        "Issuer": "https://idp.example.com", "AuthorizationEndpoint": "https://idp.example.com/authorize", "TokenEndpoint": "https://idp.example.com/token",
        "UserInfoEndpoint": "https://idp.example.com/userinfo", "ClientId": "phoenix-web", "ClientSecret": "secret", "SessionCookieName": "AWSELBAuthSessionCookie",
        "Scope": "openid email", "SessionTimeout": 3600, "AuthenticationRequestExtraParams": {"display": "page", "prompt": "login"},
        "OnUnauthenticatedRequest": "authenticate"}}
    sticky = {"Type": "forward", "Order": 2, "ForwardConfig": {"TargetGroups": [{"TargetGroupArn": groups["blue"][0], "Weight": 100}, {"TargetGroupArn": green_tg, "Weight": 0}],
                                                               "TargetGroupStickinessConfig": {"Enabled": True, "DurationSeconds": 3600}}}
    secured = elb.create_listener(LoadBalancerArn=lb, Protocol="HTTP", Port=8080, DefaultActions=[oidc, sticky])["Listeners"][0]["ListenerArn"]
    call(elb, "describe_listeners", "DescribeListeners.AuthenticateOidc.xml", ListenerArns=[secured])
    rule = elb.create_rule(ListenerArn=secured, Priority=10, Conditions=[
        {"Field": "path-pattern", "PathPatternConfig": {"Values": ["/api/*"]}}, {"Field": "http-header", "HttpHeaderConfig": {"HttpHeaderName": "X-Canary", "Values": ["1"]}}],
        Actions=[{"Type": "forward", "ForwardConfig": {"TargetGroups": [{"TargetGroupArn": groups["blue"][0], "Weight": 1}], "TargetGroupStickinessConfig": {"Enabled": False}}}])["Rules"][0]["RuleArn"]
    call(elb, "describe_rules", "DescribeRules.page1.xml", ListenerArn=secured, PageSize=1)
    marker = elb.describe_rules(ListenerArn=secured, PageSize=1)["NextMarker"]
    call(elb, "describe_rules", "DescribeRules.page2.xml", ListenerArn=secured, PageSize=1, Marker=marker)

    # Groups Phoenix refuses (mixed instances, warm pool) and one with processes suspended.
    asg.create_auto_scaling_group(
        AutoScalingGroupName="web-mixed", MinSize=0, MaxSize=2, DesiredCapacity=0, VPCZoneIdentifier=",".join(subnets),
        MixedInstancesPolicy={"LaunchTemplate": {"LaunchTemplateSpecification": {"LaunchTemplateId": groups["green"][1], "Version": "1"},
                                                 "Overrides": [{"InstanceType": "t3.medium"}, {"InstanceType": "t3a.medium"}]}})
    asg.create_auto_scaling_group(
        AutoScalingGroupName="web-warm", LaunchTemplate={"LaunchTemplateId": groups["green"][1], "Version": "1"}, MinSize=0, MaxSize=2, DesiredCapacity=1,
        VPCZoneIdentifier=",".join(subnets))
    asg.put_warm_pool(AutoScalingGroupName="web-warm", MinSize=1)
    asg.suspend_processes(AutoScalingGroupName="web-warm", ScalingProcesses=["AZRebalance", "ScheduledActions"])
    call(asg, "describe_auto_scaling_groups", "DescribeAutoScalingGroups.MixedAndWarmPool.xml", AutoScalingGroupNames=["web-mixed", "web-warm"])

    # Step Functions, interpreting the definition: a Pass then a Fail, so the history ends in ExecutionFailed.
    post("/moto-api/config", json.dumps({"stepfunctions": {"execute_state_machine": True}}).encode())
    definition = {"StartAt": "Validate", "States": {"Validate": {"Type": "Pass", "Next": "Rejected"},
                                                      "Rejected": {"Type": "Fail", "Error": "ValidationFailed", "Cause": "imageId 'ami-x' is malformed"}}}
    machine = sfn.create_state_machine(name="phoenix-deploy", definition=json.dumps(definition), roleArn="arn:aws:iam::123456789012:role/phoenix")["stateMachineArn"]
    call(sfn, "list_executions", "ListExecutions.empty.json", stateMachineArn=machine)
    execution = sfn.start_execution(stateMachineArn=machine, name="web-1", input='{"application":"web"}')["executionArn"]
    for _ in range(100):
        if sfn.describe_execution(executionArn=execution)["status"] != "RUNNING":
            break
        time.sleep(0.1)
    call(sfn, "get_execution_history", "GetExecutionHistory.json", executionArn=execution)
    error(sfn, "describe_execution", "DescribeExecution.ExecutionDoesNotExist.json", executionArn=execution.rsplit(":", 1)[0] + ":nobody")

    # phoenix doctor: the pipeline stack's outputs (a stand-in template: moto cannot create the CDK one), an encrypted topic
    # with one subscription, the state machine, and a running Config recorder.
    cfn, sns, sqs, config = client("cloudformation"), client("sns"), client("sqs"), client("config")
    template = {"Resources": {"Handle": {"Type": "AWS::CloudFormation::WaitConditionHandle"}},
                "Outputs": {"StateMachineArn": {"Value": machine}, "TableName": {"Value": "phoenix-table", "Description": "Lock and ledger"}}}
    cfn.create_stack(StackName="PhoenixPipeline", TemplateBody=json.dumps(template))
    call(cfn, "describe_stacks", "DescribeStacks.xml", StackName="PhoenixPipeline")
    error(cfn, "describe_stacks", "DescribeStacks.NotFound.xml", StackName="PhoenixNobody")
    topic = sns.create_topic(Name="phoenix-deployments", Attributes={"KmsMasterKeyId": "alias/phoenix"})["TopicArn"]
    sqs.create_queue(QueueName="phoenix-chat")
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint="arn:aws:sqs:us-east-1:123456789012:phoenix-chat")
    call(sns, "get_topic_attributes", "GetTopicAttributes.xml", TopicArn=topic)
    error(sns, "get_topic_attributes", "GetTopicAttributes.NotFound.xml", TopicArn=topic + "-gone")
    call(sns, "list_subscriptions_by_topic", "ListSubscriptionsByTopic.xml", TopicArn=topic)
    call(sfn, "describe_state_machine", "DescribeStateMachine.json", stateMachineArn=machine)
    error(sfn, "describe_state_machine", "DescribeStateMachine.DoesNotExist.json", stateMachineArn=machine + "-gone")
    config.put_configuration_recorder(ConfigurationRecorder={"name": "default", "roleARN": "arn:aws:iam::123456789012:role/config", "recordingGroup": {"allSupported": True}})
    config.put_delivery_channel(DeliveryChannel={"name": "default", "s3BucketName": "phoenix-config"})
    config.start_configuration_recorder(ConfigurationRecorderName="default")
    call(config, "describe_configuration_recorder_status", "DescribeConfigurationRecorderStatus.json")
finally:
    if pid:
        os.kill(pid, 15)
