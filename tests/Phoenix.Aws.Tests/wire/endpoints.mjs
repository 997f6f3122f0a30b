// Asks the official AWS SDK for JavaScript v3 clients (versions pinned in package.json) which endpoint their
// endpoint ruleset resolves for every service Phoenix implements, across regions of every partition (including
// regions newer than AWSSDK.Core's list, which resolve through the partition's regionRegex) and every FIPS /
// dual-stack / custom endpoint combination, and writes ../Fixtures/Endpoints/official.json. ClientConfigurationTests
// checks that Phoenix.Aws resolves the same URL or refuses with the same message. Run: npm ci && node endpoints.mjs
import { writeFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { AutoScalingClient } from "@aws-sdk/client-auto-scaling";
import { CloudFormationClient } from "@aws-sdk/client-cloudformation";
import { ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { SNSClient } from "@aws-sdk/client-sns";
import { SFNClient } from "@aws-sdk/client-sfn";
import { ConfigServiceClient } from "@aws-sdk/client-config-service";
import { CodeBuildClient } from "@aws-sdk/client-codebuild";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "..", "Fixtures", "Endpoints");
mkdirSync(out, { recursive: true });

// Keyed by the service id Phoenix's clients declare (AwsService.ServiceId).
const clients = {
  "Auto Scaling": AutoScalingClient,
  "Elastic Load Balancing v2": ElasticLoadBalancingV2Client,
  CloudWatch: CloudWatchClient,
  SNS: SNSClient,
  SFN: SFNClient,
  "Config Service": ConfigServiceClient,
  CodeBuild: CodeBuildClient,
  CloudFormation: CloudFormationClient,
};
const regions = [
  "us-east-1", "eu-west-1", "ap-southeast-9", "cn-north-1", "us-gov-west-1", "us-gov-east-1", "us-gov-central-1",
  "eusc-de-east-1", "eusc-de-west-1", "us-iso-east-1", "us-isob-east-1", "us-isob-north-1", "eu-isoe-west-1", "us-isof-south-1",
];
const cases = [];
for (const [serviceId, Client] of Object.entries(clients)) {
  const resolve = new Client({ region: "us-east-1" }).config.endpointProvider;
  const record = (params) => {
    const entry = { serviceId, region: params.Region ?? null, fips: params.UseFIPS, dualStack: params.UseDualStack, endpoint: params.Endpoint ?? null };
    try {
      entry.url = resolve(params).url.href;
    } catch (e) {
      entry.error = e.message;
    }
    cases.push(entry);
  };
  for (const Region of regions) {
    for (const UseFIPS of [false, true]) {
      for (const UseDualStack of [false, true]) {
        record({ Region, UseFIPS, UseDualStack });
      }
    }
  }
  for (const [UseFIPS, UseDualStack] of [[false, false], [true, false], [false, true]]) {
    record({ Region: "us-east-1", UseFIPS, UseDualStack, Endpoint: "http://127.0.0.1:4566" });
  }
}
writeFileSync(join(out, "official.json"), JSON.stringify(cases, null, 1) + "\n");
console.log(`${cases.length} endpoints written to ${out}`);
