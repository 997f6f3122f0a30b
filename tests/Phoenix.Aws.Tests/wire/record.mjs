// Sends every operation Phoenix.Aws implements through the official AWS SDK for JavaScript v3 to a loopback
// recorder and writes what went over the wire to ../Fixtures/Wire/<Operation>.json (<fixture>.json where an input
// names one: a second input for an operation, or a "testOnly" shape Phoenix never sends). The C# wire tests send
// the same inputs (operations.json) through Phoenix.Aws and compare. Run: npm ci && node record.mjs
import http from "node:http";
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { AwsQueryProtocol } from "@aws-sdk/core/protocols";
import * as AutoScaling from "@aws-sdk/client-auto-scaling";
import * as CloudFormation from "@aws-sdk/client-cloudformation";
import * as ElasticLoadBalancingV2 from "@aws-sdk/client-elastic-load-balancing-v2";
import * as CloudWatch from "@aws-sdk/client-cloudwatch";
import * as SimpleNotificationService from "@aws-sdk/client-sns";
import * as StepFunctions from "@aws-sdk/client-sfn";
import * as ConfigService from "@aws-sdk/client-config-service";
import * as CodeBuild from "@aws-sdk/client-codebuild";
import * as SecurityToken from "@aws-sdk/client-sts";
import { SignatureV4 } from "@smithy/signature-v4";
import { Sha256 } from "@aws-crypto/sha256-js";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "..", "Fixtures", "Wire");
mkdirSync(out, { recursive: true });

const modules = { AutoScaling, CloudFormation, ElasticLoadBalancingV2, CloudWatch, SimpleNotificationService, StepFunctions, ConfigService, CodeBuild, SecurityToken };
const clientNames = {
  AutoScaling: "AutoScalingClient",
  CloudFormation: "CloudFormationClient",
  ElasticLoadBalancingV2: "ElasticLoadBalancingV2Client",
  CloudWatch: "CloudWatchClient",
  SimpleNotificationService: "SNSClient",
  StepFunctions: "SFNClient",
  ConfigService: "ConfigServiceClient",
  CodeBuild: "CodeBuildClient",
  SecurityToken: "STSClient",
};
const credentials = () => ({ accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" });

let captured;
const server = http.createServer((req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    const body = Buffer.concat(chunks).toString("utf8");
    captured = { method: req.method, path: req.url, headers: req.headers, body };
    const target = req.headers["x-amz-target"];
    if (target) {
      res.writeHead(200, { "content-type": req.headers["content-type"], "x-amzn-requestid": "req-1" });
      res.end("{}");
    } else {
      const action = new URLSearchParams(body).get("Action");
      res.writeHead(200, { "content-type": "text/xml" });
      res.end(`<${action}Response><${action}Result></${action}Result><ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></${action}Response>`);
    }
  });
});
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const endpoint = `http://127.0.0.1:${server.address().port}`;

// JS takes timestamps as Date objects; the shared inputs carry them as ISO text.
const toDates = (value, key) =>
  Array.isArray(value) ? value.map((v) => toDates(v))
  : value && typeof value === "object" ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toDates(v, k)]))
  : typeof value === "string" && /Timestamp$/.test(key ?? "") ? new Date(value)
  : value;

const operations = JSON.parse(readFileSync(join(here, "operations.json"), "utf8"));
for (const { service, operation, fixture: name, input } of operations) {
  const mod = modules[service];
  const config = { region: "us-east-1", endpoint, credentials: credentials(), maxAttempts: 1 };
  // CloudWatch's JS client defaults to awsJson 1.0; Phoenix speaks CloudWatch's AWS Query protocol, which the
  // official client also implements from the same model.
  if (service === "CloudWatch") config.protocol = AwsQueryProtocol;
  const client = new mod[clientNames[service]](config);
  await client.send(new mod[`${operation}Command`](toDates(input)));
  const contentType = captured.headers["content-type"];
  const fixture = {
    service,
    operation,
    method: captured.method,
    path: captured.path,
    contentType,
    target: captured.headers["x-amz-target"] ?? null,
  };
  if (fixture.target) {
    fixture.body = JSON.parse(captured.body);
  } else {
    const parameters = Object.fromEntries(new URLSearchParams(captured.body));
    fixture.action = parameters.Action;
    fixture.parameters = parameters;
  }
  writeFileSync(join(out, `${name ?? operation}.json`), JSON.stringify(fixture, null, 2) + "\n");
  client.destroy();
}
server.close();

// A signature with fixed credentials and time, to check AWSSDK.Core's SigV4 against the official JS signer.
const signer = new SignatureV4({ credentials: credentials(), region: "us-east-1", service: "autoscaling", sha256: Sha256 });
const body = "Action=DescribeAutoScalingGroups&Version=2011-01-01&AutoScalingGroupNames.member.1=web-blue";
const signed = await signer.sign(
  {
    method: "POST",
    protocol: "https:",
    hostname: "autoscaling.us-east-1.amazonaws.com",
    path: "/",
    headers: {
      host: "autoscaling.us-east-1.amazonaws.com",
      "content-type": "application/x-www-form-urlencoded; charset=utf-8",
      "x-amz-content-sha256": Buffer.from(await (async () => { const h = new Sha256(); h.update(body); return h.digest(); })()).toString("hex"),
    },
    body,
  },
  { signingDate: new Date("2026-01-01T00:00:00Z") },
);
writeFileSync(
  join(out, "..", "sigv4.json"),
  JSON.stringify({ body, signingDate: "2026-01-01T00:00:00Z", accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", headers: signed.headers }, null, 2) + "\n",
);
// The same with temporary (session) credentials: the official signer sends X-Amz-Security-Token and signs it.
const sessionToken = "IQoJb3JpZ2luX2VjEXAMPLESESSIONTOKEN//////////wEaCXVzLWVhc3QtMSJHMEUCIQ==";
const sessionSigner = new SignatureV4({ credentials: { ...credentials(), sessionToken }, region: "us-east-1", service: "states", sha256: Sha256 });
const sessionBody = JSON.stringify({ executionArn: "arn:aws:states:us-east-1:123456789012:execution:phoenix-deploy:web-20260101T000000Z" });
const sessionSigned = await sessionSigner.sign(
  {
    method: "POST",
    protocol: "http:",
    hostname: "127.0.0.1",
    port: 8080,
    path: "/",
    headers: {
      host: "127.0.0.1:8080",
      "content-type": "application/x-amz-json-1.0",
      "x-amz-target": "AWSStepFunctions.DescribeExecution",
    },
    body: sessionBody,
  },
  { signingDate: new Date("2026-01-01T00:00:00Z") },
);
writeFileSync(
  join(out, "..", "sigv4-session.json"),
  JSON.stringify({ method: "POST", path: "/", body: sessionBody, region: "us-east-1", service: "states", ...credentials(), sessionToken, headers: sessionSigned.headers }, null, 2) + "\n",
);
console.log(`recorded ${operations.length} operations`);
