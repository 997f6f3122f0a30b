using System.CommandLine;
using System.Text.Json.Nodes;
using Phoenix.Cli.Commands;

namespace Phoenix.Cli.Tests.Aws;

[Collection(AwsCliTests.Name)]
public sealed class AwsCommandsTests : IDisposable
{
    private const string StateMachine = "arn:aws:states:us-east-1:123456789012:stateMachine:phoenix-deploy";
    private const string Execution = "arn:aws:states:us-east-1:123456789012:execution:phoenix-deploy:web-20260101T000000Z";

    private readonly AwsCliEnvironment _environment = new();
    private readonly FakeAwsEndpoint _aws = new();

    public void Dispose()
    {
        _aws.Dispose();
        _environment.Dispose();
    }

    [Fact]
    public async Task Status_ExecutionWithTwoHistoryPages_PrintsWholeTimeline()
    {
        _aws.On("AWSStepFunctions.DescribeExecution", Described("FAILED", "\"error\":\"ValidationFailed\",\"cause\":\"imageId 'ami-x' is not an AMI id\",\"stopDate\":1767225603,"))
            .On(
                "AWSStepFunctions.GetExecutionHistory",
                (200, "{\"events\":[{\"timestamp\":1767225600,\"type\":\"ExecutionStarted\",\"id\":1,\"previousEventId\":0}," +
                      "{\"timestamp\":1767225601,\"type\":\"TaskStateEntered\",\"id\":2,\"previousEventId\":1,\"stateEnteredEventDetails\":{\"name\":\"Validate\"}}],\"nextToken\":\"page-2\"}"),
                (200, "{\"events\":[{\"timestamp\":1767225602.5,\"type\":\"LambdaFunctionFailed\",\"id\":3,\"previousEventId\":2," +
                      "\"lambdaFunctionFailedEventDetails\":{\"error\":\"ValidationFailed\",\"cause\":\"imageId 'ami-x' is not an AMI id\"}}," +
                      "{\"timestamp\":1767225603,\"type\":\"ExecutionFailed\",\"id\":4,\"previousEventId\":3,\"executionFailedEventDetails\":{\"error\":\"ValidationFailed\",\"cause\":\"bad\"}}]}"));

        var (exit, output, error) = await RunAsync("status", Execution, "--endpoint-url", _aws.Url);

        Assert.Equal((0, string.Empty), (exit, error));
        Assert.Contains("Execution web-20260101T000000Z  FAILED", output, StringComparison.Ordinal);
        Assert.Contains("started 2026-01-01 00:00:00Z, stopped 2026-01-01 00:00:03Z (0m03s)", output, StringComparison.Ordinal);
        Assert.Matches(@"\+0m01s\s+Validate\s+TaskStateEntered", output);
        Assert.Matches(@"\+0m02s\s+Validate\s+LambdaFunctionFailed  ValidationFailed: imageId 'ami-x' is not an AMI id", output);
        Assert.Contains("ExecutionFailed  ValidationFailed: bad", output, StringComparison.Ordinal);
        var pages = _aws.CallsTo("AWSStepFunctions.GetExecutionHistory");
        Assert.Equal([null, "page-2"], pages.Select(p => (string?)p["nextToken"]));
        Assert.All(pages, p => Assert.Equal(Execution, (string?)p["executionArn"]));
    }

    [Theory]
    [InlineData("not-an-arn")]
    [InlineData("arn:aws:states:us-east-1:123456789012:stateMachine:phoenix-deploy")]
    [InlineData("arn:aws:states:us-east-1:12345:execution:phoenix-deploy:x")]
    public async Task Status_MalformedExecutionArn_ExitsTwoNamingItAndSendsNothing(string arn)
    {
        var (exit, _, error) = await RunAsync("status", arn, "--endpoint-url", _aws.Url);

        Assert.Equal(2, exit);
        Assert.Equal($"phoenix status: EXECUTION_ARN: expected an execution ARN (arn:aws:states:REGION:ACCOUNT:execution:STATE_MACHINE:NAME), got '{arn}'.", error.Trim());
        Assert.Empty(_aws.Calls);
    }

    [Fact]
    public async Task Status_ExecutionDoesNotExist_ExitsOneWithAwsMessage()
    {
        _aws.On("AWSStepFunctions.DescribeExecution", (400, $"{{\"__type\":\"com.amazonaws.swf.service.v2.model#ExecutionDoesNotExist\",\"message\":\"Execution Does Not Exist: '{Execution}'\"}}"));

        var (exit, output, error) = await RunAsync("status", Execution, "--endpoint-url", _aws.Url);

        Assert.Equal((1, string.Empty), (exit, output));
        Assert.Equal($"phoenix status: AWS refused the request: ExecutionDoesNotExist: Execution Does Not Exist: '{Execution}'", error.Trim());
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_UnknownRegion_ExitsTwoNamingIt()
    {
        var (exit, _, error) = await RunAsync("status", Execution, "--region", "mars-north-1", "--endpoint-url", _aws.Url);

        Assert.Equal(2, exit);
        Assert.Equal("phoenix status: --region: expected an AWS region (e.g. us-east-1), got 'mars-north-1'.", error.Trim());
        Assert.Empty(_aws.Calls);
    }

    [Fact]
    public async Task Status_NoCredentials_ExitsTwoSayingHowToProvideThem()
    {
        AwsCliEnvironment.RemoveCredentials();

        var (exit, _, error) = await RunAsync("status", Execution, "--endpoint-url", _aws.Url);

        Assert.Equal(2, exit);
        Assert.StartsWith("phoenix status: No AWS credentials found", error, StringComparison.Ordinal);
        Assert.Empty(_aws.Calls);
    }

    [Fact]
    public async Task Status_UnknownProfile_ExitsTwoNamingIt()
    {
        var (exit, _, error) = await RunAsync("status", Execution, "--profile", "staging", "--endpoint-url", _aws.Url);

        Assert.Equal(2, exit);
        Assert.Equal("phoenix status: AWS profile 'staging' was not found in the shared config or credentials file.", error.Trim());
    }

    [Fact]
    public async Task Deploy_WaitUntilSucceeded_StartsWithCliInputAndPrintsTimeline()
    {
        _aws.On("AWSStepFunctions.StartExecution", $"{{\"executionArn\":\"{Execution}\",\"startDate\":1767225600}}")
            .On("AWSStepFunctions.DescribeExecution", (200, Described("RUNNING", string.Empty)), (200, Described("SUCCEEDED", "\"stopDate\":1767225900,")))
            .On("AWSStepFunctions.GetExecutionHistory", "{\"events\":[{\"timestamp\":1767225600,\"type\":\"ExecutionStarted\",\"id\":1},{\"timestamp\":1767225900,\"type\":\"ExecutionSucceeded\",\"id\":2,\"previousEventId\":1}]}");

        var (exit, output, error) = await RunAsync(
            "deploy", "--app", "web", "--image", "ami-0123456789abcdef0", "--wait", "--poll-seconds", "1", "--state-machine-arn", StateMachine, "--endpoint-url", _aws.Url);

        Assert.Equal((0, string.Empty), (exit, error));
        Assert.StartsWith($"Started {Execution}", output, StringComparison.Ordinal);
        Assert.Contains("Execution web-20260101T000000Z  SUCCEEDED", output, StringComparison.Ordinal);
        Assert.Contains("(5m00s)", output, StringComparison.Ordinal);
        var start = Assert.Single(_aws.CallsTo("AWSStepFunctions.StartExecution"));
        Assert.Equal(StateMachine, (string?)start["stateMachineArn"]);
        Assert.Matches("^web-[0-9]{8}T[0-9]{6}Z$", (string?)start["name"]);
        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse("{\"application\":\"web\",\"source\":{\"trigger\":\"cli\"},\"imageId\":\"ami-0123456789abcdef0\"}"),
            JsonNode.Parse((string)start["input"]!)));
        // One describe per poll: RUNNING, then SUCCEEDED; the events were printed as they were read.
        Assert.Equal(2, _aws.CallsTo("AWSStepFunctions.DescribeExecution").Count);
        Assert.Matches(@"Following the execution[^\n]*\n\s+\+0m00s\s+-\s+ExecutionStarted\n", output);
    }

    [Fact]
    public async Task Deploy_WaitStreams_EachEventPrintedOnceInOrder()
    {
        _aws.On("AWSStepFunctions.StartExecution", $"{{\"executionArn\":\"{Execution}\",\"startDate\":1767225600}}")
            .On("AWSStepFunctions.DescribeExecution", (200, Described("RUNNING", string.Empty)), (200, Described("RUNNING", string.Empty)), (200, Described("SUCCEEDED", "\"stopDate\":1767225900,")))
            .On(
                "AWSStepFunctions.GetExecutionHistory",
                (200, "{\"events\":[{\"timestamp\":1767225600,\"type\":\"ExecutionStarted\",\"id\":1}]}"),
                (200, "{\"events\":[{\"timestamp\":1767225600,\"type\":\"ExecutionStarted\",\"id\":1},{\"timestamp\":1767225660,\"type\":\"TaskStateEntered\",\"id\":2,\"previousEventId\":1,\"stateEnteredEventDetails\":{\"name\":\"SwapTraffic\"}}]}"),
                (200, "{\"events\":[{\"timestamp\":1767225600,\"type\":\"ExecutionStarted\",\"id\":1},{\"timestamp\":1767225660,\"type\":\"TaskStateEntered\",\"id\":2,\"previousEventId\":1,\"stateEnteredEventDetails\":{\"name\":\"SwapTraffic\"}},{\"timestamp\":1767225900,\"type\":\"ExecutionSucceeded\",\"id\":3,\"previousEventId\":2}]}"));

        var (exit, output, error) = await RunAsync(
            "deploy", "--app", "web", "--image", "ami-0123456789abcdef0", "--wait", "--poll-seconds", "1", "--state-machine-arn", StateMachine, "--endpoint-url", _aws.Url);

        Assert.Equal((0, string.Empty), (exit, error));
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(output, "ExecutionStarted"));
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(output, "TaskStateEntered"));
        Assert.Matches(@"\+0m00s\s+-\s+ExecutionStarted\n\s+\+1m00s\s+SwapTraffic\s+TaskStateEntered\n\s+\+5m00s\s+SwapTraffic\s+ExecutionSucceeded\n", output);
        Assert.Equal(3, _aws.CallsTo("AWSStepFunctions.GetExecutionHistory").Count);
    }

    [Fact]
    public async Task Deploy_WaitWithFiles_WritesMarkdownSummaryAndJsonResult()
    {
        var folder = Directory.CreateTempSubdirectory("phoenix-report-").FullName;
        try
        {
            var summary = Path.Combine(folder, "summary.md");
            var result = Path.Combine(folder, "result.json");
            await File.WriteAllTextAsync(summary, "## An earlier step\n\n");
            _aws.On("AWSStepFunctions.StartExecution", $"{{\"executionArn\":\"{Execution}\",\"startDate\":1767225600}}")
                .On("AWSStepFunctions.DescribeExecution", Described("FAILED", "\"error\":\"HealthCheckTimedOut\",\"cause\":\"green | never healthy\",\"stopDate\":1767226000,"))
                .On("AWSStepFunctions.GetExecutionHistory", "{\"events\":[{\"timestamp\":1767225600,\"type\":\"ExecutionStarted\",\"id\":1},{\"timestamp\":1767225601,\"type\":\"TaskScheduled\",\"id\":2,\"previousEventId\":1},{\"timestamp\":1767226000,\"type\":\"ExecutionFailed\",\"id\":3,\"previousEventId\":2,\"executionFailedEventDetails\":{\"error\":\"HealthCheckTimedOut\",\"cause\":\"green | never healthy\"}}]}");

            var (exit, _, error) = await RunAsync(
                "deploy", "--app", "web", "--wait", "--state-machine-arn", StateMachine, "--summary-file", summary, "--result-file", result, "--endpoint-url", _aws.Url);

            Assert.Equal((1, string.Empty), (exit, error));
            var markdown = await File.ReadAllTextAsync(summary);
            Assert.StartsWith("## An earlier step\n\n## Phoenix: web ❌ FAILED\n", markdown, StringComparison.Ordinal);
            Assert.Contains("| Duration | 6m40s |", markdown, StringComparison.Ordinal);
            // A pipe in a cause would end the table cell: it is escaped.
            Assert.Contains("| Error | `HealthCheckTimedOut`: green \\| never healthy |", markdown, StringComparison.Ordinal);
            Assert.Contains("| 6m40s | - | ExecutionFailed | HealthCheckTimedOut: green \\| never healthy |", markdown, StringComparison.Ordinal);
            Assert.DoesNotContain("TaskScheduled", markdown, StringComparison.Ordinal);
            Assert.Contains("No ledger entry was read", markdown, StringComparison.Ordinal);
            var json = JsonNode.Parse(await File.ReadAllTextAsync(result))!;
            Assert.Equal(("FAILED", 1, "web-20260101T000000Z", null), ((string?)json["status"], (int?)json["exitCode"], (string?)json["deploymentId"], (string?)json["result"]));
            Assert.Equal(Execution, (string?)json["executionArn"]);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Deploy_WaitUntilFailed_ExitsOne()
    {
        Environment.SetEnvironmentVariable(DeployCommand.StateMachineVariable, StateMachine);
        _aws.On("AWSStepFunctions.StartExecution", $"{{\"executionArn\":\"{Execution}\",\"startDate\":1767225600}}")
            .On("AWSStepFunctions.DescribeExecution", Described("FAILED", "\"error\":\"HealthCheckTimedOut\",\"cause\":\"green never became healthy\",\"stopDate\":1767226000,"))
            .On("AWSStepFunctions.GetExecutionHistory", "{\"events\":[]}");

        var (exit, output, _) = await RunAsync("deploy", "--app", "web", "--wait", "--endpoint-url", _aws.Url);

        Assert.Equal(1, exit);
        Assert.Contains("Error: HealthCheckTimedOut: green never became healthy", output, StringComparison.Ordinal);
        Assert.Null(JsonNode.Parse((string)_aws.CallsTo("AWSStepFunctions.StartExecution")[0]["input"]!)!["imageId"]);
    }

    /// <summary>
    /// Nothing names the state machine: the one the PhoenixPipeline stack published in the region is started, and with
    /// --wait and a summary its table is read for the ledger entry (a GitHub job that set only a role).
    /// </summary>
    [Fact]
    public async Task Deploy_NoStateMachineNamed_StartsThePublishedOneAndReadsItsTable()
    {
        var summary = Path.Combine(Path.GetTempPath(), $"phoenix-summary-{Guid.NewGuid():N}.md");
        _aws.On("AmazonSSM.GetParameter",
                (200, $"{{\"Parameter\":{{\"Name\":\"/phoenix/environment/state-machine-arn\",\"Type\":\"String\",\"Value\":\"{StateMachine}\",\"Version\":1}}}}"),
                (200, "{\"Parameter\":{\"Name\":\"/phoenix/environment/table-name\",\"Type\":\"String\",\"Value\":\"PhoenixPipeline-StateTable-1\",\"Version\":1}}"))
            .On("AWSStepFunctions.StartExecution", $"{{\"executionArn\":\"{Execution}\",\"startDate\":1767225600}}")
            .On("AWSStepFunctions.DescribeExecution", Described("SUCCEEDED", "\"stopDate\":1767226000,"))
            .On("AWSStepFunctions.GetExecutionHistory", "{\"events\":[]}")
            .On("DynamoDB_20120810.Query", "{\"Count\":0,\"ScannedCount\":0,\"Items\":[]}");
        try
        {
            var (exit, output, error) = await RunAsync(
                "deploy", "--app", "web", "--wait", "--poll-seconds", "1", "--summary-file", summary, "--region", "us-east-1", "--endpoint-url", _aws.Url);

            Assert.Equal((0, string.Empty), (exit, error));
            Assert.Contains($"State machine {StateMachine} (from /phoenix/environment/state-machine-arn), table PhoenixPipeline-StateTable-1", output, StringComparison.Ordinal);
            Assert.Equal(["/phoenix/environment/state-machine-arn", "/phoenix/environment/table-name"], _aws.CallsTo("AmazonSSM.GetParameter").Select(c => (string?)c["Name"]));
            Assert.Equal(StateMachine, (string?)Assert.Single(_aws.CallsTo("AWSStepFunctions.StartExecution"))["stateMachineArn"]);
            Assert.Equal("PhoenixPipeline-StateTable-1", (string?)Assert.Single(_aws.CallsTo("DynamoDB_20120810.Query"))["TableName"]);
        }
        finally
        {
            File.Delete(summary);
        }
    }

    [Fact]
    public async Task Deploy_NothingNamedOrPublished_ExitsTwoNamingTheParameterAndStartsNothing()
    {
        _aws.On("AmazonSSM.GetParameter", (400, "{\"__type\":\"ParameterNotFound\",\"message\":\"Parameter /phoenix/environment/state-machine-arn not found.\"}"));

        var (exit, _, error) = await RunAsync("deploy", "--app", "web", "--region", "us-east-1", "--endpoint-url", _aws.Url);

        Assert.Equal(2, exit);
        Assert.Equal(
            "phoenix deploy: No state machine: pass --state-machine-arn, set PHOENIX_STATE_MACHINE_ARN, or deploy the PhoenixPipeline stack, " +
            "which publishes it as the SSM parameter /phoenix/environment/state-machine-arn (not found in this account and region).",
            error.Trim());
        Assert.Empty(_aws.CallsTo("AWSStepFunctions.StartExecution"));
    }

    [Fact]
    public async Task Deploy_PublishedValueNotAStateMachine_ExitsTwoNamingTheParameter()
    {
        _aws.On("AmazonSSM.GetParameter", "{\"Parameter\":{\"Name\":\"/phoenix/environment/state-machine-arn\",\"Type\":\"String\",\"Value\":\"stale\",\"Version\":1}}");

        var (exit, _, error) = await RunAsync("deploy", "--app", "web", "--region", "us-east-1", "--endpoint-url", _aws.Url);

        Assert.Equal(2, exit);
        Assert.Equal(
            "phoenix deploy: /phoenix/environment/state-machine-arn holds 'stale', which is not a Step Functions state machine ARN (arn:aws:states:REGION:ACCOUNT:stateMachine:NAME).",
            error.Trim());
        Assert.Empty(_aws.CallsTo("AWSStepFunctions.StartExecution"));
    }

    [Theory]
    [InlineData(new[] { "--app", "web", "--state-machine-arn", "arn:aws:lambda:us-east-1:123456789012:function:x" },
        "--state-machine-arn: expected a state machine ARN (arn:aws:states:REGION:ACCOUNT:stateMachine:NAME), got 'arn:aws:lambda:us-east-1:123456789012:function:x'.")]
    [InlineData(new[] { "--app", "web", "--image", "ami-XYZ", "--state-machine-arn", StateMachine }, "--image: expected an AMI id (ami- followed by 8 or 17 lowercase hex digits), got 'ami-XYZ'.")]
    [InlineData(new[] { "--app", "web app", "--state-machine-arn", StateMachine }, "--app: expected an application name (a letter or digit, then letters, digits, '-', '_' or '.', at most 64), got 'web app'.")]
    [InlineData(new[] { "--app", "web.v2", "--state-machine-arn", StateMachine }, "--app 'web.v2' is not an application name (letters, digits, '-' and '_', at most 63).")]
    [InlineData(new[] { "--app", "web", "--poll-seconds", "0", "--state-machine-arn", StateMachine }, "--poll-seconds: expected a whole number from 1 to 3600, got '0'.")]
    [InlineData(new[] { "--app", "web", "--local", "--wait", "--table", "t" }, "--wait applies to Step Functions executions, not to --local (which always waits).")]
    [InlineData(new[] { "--app", "web", "--local", "--state-machine-arn", StateMachine, "--table", "t" }, "--state-machine-arn applies to Step Functions executions, not to --local (which always waits).")]
    [InlineData(new[] { "--app", "web", "--json", "--state-machine-arn", StateMachine }, "--json applies only with --local.")]
    [InlineData(new[] { "--app", "web", "--local" }, "no lock and ledger table: pass --table or set PHOENIX_TABLE.")]
    [InlineData(new[] { "--input", "{\"application\":", "--state-machine-arn", StateMachine },
        "--input: expected a JSON file or JSON text, got '{\"application\":': not valid JSON: Expected depth to be zero at the end of the JSON payload. There is an open JSON object or array that should be closed. LineNumber: 0 | BytePositionInLine: 15.")]
    [InlineData(new[] { "--app", "web", "--state-machine-arn", StateMachine, "--summary-file", "s.md" }, "--summary-file needs --wait: it is about how the deployment ended.")]
    [InlineData(new[] { "--app", "web", "--state-machine-arn", StateMachine, "--table", "t" }, "--table needs --wait: it is about how the deployment ended.")]
    [InlineData(new[] { "--app", "web", "--state-machine-arn", StateMachine, "--wait", "--result-file", "/no/such/folder/r.json" }, "--result-file: expected a file to write (JSON) in an existing directory, got '/no/such/folder/r.json': no directory /no/such/folder.")]
    [InlineData(new[] { "--app", "web", "--state-machine-arn", StateMachine, "--wait", "--summary-file", "/" }, "--summary-file: expected a file to write (Markdown) in an existing directory, got '/': that is a directory.")]
    [InlineData(new[] { "--app", "web", "--state-machine-arn", StateMachine, "--region", "us east" }, "--region: expected an AWS region (e.g. us-east-1), got 'us east'.")]
    [InlineData(new[] { "--app", "web", "--state-machine-arn", StateMachine, "--profile", " " }, "--profile: expected PROFILE (not blank), got ' '.")]
    public async Task Deploy_BadArguments_ExitsTwoNamingTheValue(string[] arguments, string message)
    {
        var (exit, _, error) = await RunAsync(["deploy", .. arguments, "--endpoint-url", _aws.Url]);

        Assert.Equal(2, exit);
        Assert.Equal($"phoenix deploy: {message}", error.Trim());
        Assert.Empty(_aws.Calls);
    }

    [Fact]
    public async Task History_Ledger_PrintsDeploymentsNewestFirst()
    {
        _aws.On("DynamoDB_20120810.Query",
            "{\"Count\":2,\"ScannedCount\":2,\"Items\":[" +
            "{\"pk\":{\"S\":\"APP#web\"},\"sk\":{\"S\":\"DEPLOY#2026-01-02T10:00:00Z#exec-2\"},\"application\":{\"S\":\"web\"},\"deploymentId\":{\"S\":\"exec-2\"}," +
            "\"result\":{\"S\":\"ROLLED_BACK\"},\"imageId\":{\"S\":\"ami-0000000000000000b\"},\"previousImageId\":{\"S\":\"ami-0000000000000000a\"},\"colour\":{\"S\":\"blue\"}," +
            "\"startedAt\":{\"S\":\"2026-01-02T10:00:00.0000000Z\"},\"finishedAt\":{\"S\":\"2026-01-02T10:12:30.0000000Z\"},\"commit\":{\"S\":\"0123456789abcdef0123\"}," +
            "\"startedBy\":{\"S\":\"alice\"},\"error\":{\"S\":\"AlarmFired\"},\"cause\":{\"S\":\"web-5xx in ALARM\"}}," +
            "{\"pk\":{\"S\":\"APP#web\"},\"sk\":{\"S\":\"DEPLOY#2026-01-01T09:00:00Z#exec-1\"},\"application\":{\"S\":\"web\"},\"deploymentId\":{\"S\":\"exec-1\"}," +
            "\"result\":{\"S\":\"SUCCEEDED\"},\"imageId\":{\"S\":\"ami-0000000000000000a\"},\"colour\":{\"S\":\"green\"},\"startedAt\":{\"S\":\"2026-01-01T09:00:00.0000000Z\"}," +
            "\"finishedAt\":{\"S\":\"2026-01-01T09:20:00.0000000Z\"},\"trigger\":{\"S\":\"codepipeline\"},\"warning\":{\"S\":\"blue still runs\"}}]}");

        var (exit, output, error) = await RunAsync("history", "--app", "web", "--table", "phoenix", "--limit", "5", "--region", "eu-west-1", "--endpoint-url", _aws.Url);

        Assert.Equal((0, string.Empty), (exit, error));
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^STARTED \(UTC\)\s+RESULT\s+IMAGE\s+PREVIOUS\s+COLOUR\s+DURATION\s+COMMIT\s+BY\s+DEPLOYMENT$", lines[0]);
        Assert.Matches(@"^2026-01-02 10:00:00\s+ROLLED_BACK\s+ami-0000000000000000b\s+ami-0000000000000000a\s+blue\s+12m30s\s+0123456789ab\s+alice\s+exec-2$", lines[1]);
        Assert.Matches(@"^2026-01-01 09:00:00\s+SUCCEEDED\s+ami-0000000000000000a\s+-\s+green\s+20m00s\s+-\s+codepipeline\s+exec-1$", lines[2]);
        Assert.Equal("exec-2: AlarmFired: web-5xx in ALARM", lines[3]);
        Assert.Equal("exec-1: warning: blue still runs", lines[4]);
        var query = Assert.Single(_aws.CallsTo("DynamoDB_20120810.Query"));
        Assert.Equal(("phoenix", false, 5), ((string?)query["TableName"], (bool?)query["ScanIndexForward"], (int?)query["Limit"]));
        Assert.Equal("APP#web", (string?)query["ExpressionAttributeValues"]![":pk"]!["S"]);
    }

    [Fact]
    public async Task History_NoTableNamed_ReadsThePublishedOneAndSaysSo()
    {
        _aws.On("AmazonSSM.GetParameter", "{\"Parameter\":{\"Name\":\"/phoenix/environment/table-name\",\"Type\":\"String\",\"Value\":\"PhoenixPipeline-StateTable-1\",\"Version\":1}}")
            .On("DynamoDB_20120810.Query", "{\"Count\":0,\"ScannedCount\":0,\"Items\":[]}");

        var (exit, output, error) = await RunAsync("history", "--app", "web", "--region", "eu-west-1", "--endpoint-url", _aws.Url);

        Assert.Equal((0, string.Empty), (exit, error));
        Assert.Equal("Table PhoenixPipeline-StateTable-1 (from /phoenix/environment/table-name)\nNo deployments of web in the ledger.\n", output);
        Assert.Equal("/phoenix/environment/table-name", (string?)Assert.Single(_aws.CallsTo("AmazonSSM.GetParameter"))["Name"]);
        Assert.Equal("PhoenixPipeline-StateTable-1", (string?)Assert.Single(_aws.CallsTo("DynamoDB_20120810.Query"))["TableName"]);
    }

    [Fact]
    public async Task History_TableNamed_LooksNothingUp()
    {
        _aws.On("DynamoDB_20120810.Query", "{\"Count\":0,\"ScannedCount\":0,\"Items\":[]}");
        Environment.SetEnvironmentVariable("PHOENIX_TABLE", "from-variable");

        var (exit, output, _) = await RunAsync("history", "--app", "web", "--region", "eu-west-1", "--endpoint-url", _aws.Url);

        Assert.Equal((0, "No deployments of web in the ledger.\n"), (exit, output));
        Assert.Empty(_aws.CallsTo("AmazonSSM.GetParameter"));
        Assert.Equal("from-variable", (string?)Assert.Single(_aws.CallsTo("DynamoDB_20120810.Query"))["TableName"]);
    }

    [Fact]
    public async Task Approve_Token_SendsTaskSuccess()
    {
        _aws.On("AWSStepFunctions.SendTaskSuccess", "{}");

        var (exit, output, _) = await RunAsync("approve", "AQCEAAAAKgAAAA", "--region", "us-east-1", "--endpoint-url", _aws.Url);

        Assert.Equal((0, "Approved: the deployment continues."), (exit, output.Trim()));
        var call = Assert.Single(_aws.CallsTo("AWSStepFunctions.SendTaskSuccess"));
        Assert.Equal("AQCEAAAAKgAAAA", (string?)call["taskToken"]);
        var result = JsonNode.Parse((string)call["output"]!)!;
        Assert.True((bool)result["approved"]!);
        Assert.Equal(FakeAwsEndpoint.CallerArn, (string?)result["by"]);
        Assert.Equal("2011-06-15", (string?)Assert.Single(_aws.CallsTo("GetCallerIdentity"))["Version"]);
    }

    [Fact]
    public async Task Reject_NoReason_CauseNamesTheCallersAwsIdentity()
    {
        const string Role = "arn:aws:sts::123456789012:assumed-role/Deployers/bob";
        _aws.On("AWSStepFunctions.SendTaskFailure", "{}")
            .On("GetCallerIdentity", $"<GetCallerIdentityResponse><GetCallerIdentityResult><Arn>{Role}</Arn><Account>123456789012</Account></GetCallerIdentityResult></GetCallerIdentityResponse>");

        var (exit, _, _) = await RunAsync("reject", "AQCEAAAAKgAAAA", "--region", "us-east-1", "--endpoint-url", _aws.Url);

        Assert.Equal(0, exit);
        var call = Assert.Single(_aws.CallsTo("AWSStepFunctions.SendTaskFailure"));
        Assert.Equal($"Rejected by {Role} with the phoenix CLI.", (string?)call["cause"]);
    }

    [Fact]
    public async Task Approve_CallerIdentityRefused_ExitsOneAndAnswersNothing()
    {
        _aws.On("AWSStepFunctions.SendTaskSuccess", "{}")
            .On("GetCallerIdentity", (403, "<ErrorResponse><Error><Type>Sender</Type><Code>ExpiredToken</Code><Message>The security token included in the request is expired</Message></Error><RequestId>r</RequestId></ErrorResponse>"));

        var (exit, _, error) = await RunAsync("approve", "AQCEAAAAKgAAAA", "--region", "us-east-1", "--endpoint-url", _aws.Url);

        Assert.Equal(1, exit);
        Assert.Equal("phoenix approve: AWS refused the request: ExpiredToken: The security token included in the request is expired", error.Trim());
        Assert.Empty(_aws.CallsTo("AWSStepFunctions.SendTaskSuccess"));
    }

    [Fact]
    public async Task Reject_TokenWithReason_SendsApprovalRejected()
    {
        _aws.On("AWSStepFunctions.SendTaskFailure", "{}");

        var (exit, output, _) = await RunAsync("reject", "AQCEAAAAKgAAAA", "--reason", "error budget spent", "--region", "us-east-1", "--endpoint-url", _aws.Url);

        Assert.Equal((0, "Rejected: the deployment rolls back."), (exit, output.Trim()));
        var call = Assert.Single(_aws.CallsTo("AWSStepFunctions.SendTaskFailure"));
        Assert.Equal(("ApprovalRejected", "error budget spent"), ((string?)call["error"], (string?)call["cause"]));
    }

    [Fact]
    public async Task Approve_ExpiredToken_ExitsOneWithAwsMessage()
    {
        _aws.On("AWSStepFunctions.SendTaskSuccess", (400, "{\"__type\":\"com.amazonaws.swf.base.model#TaskTimedOut\",\"message\":\"Task Timed Out: 'Provided task does not exist anymore'\"}"));

        var (exit, _, error) = await RunAsync("approve", "AQCEAAAAKgAAAA", "--region", "us-east-1", "--endpoint-url", _aws.Url);

        Assert.Equal(1, exit);
        Assert.Equal("phoenix approve: AWS refused the request: TaskTimedOut: Task Timed Out: 'Provided task does not exist anymore'", error.Trim());
    }

    private static string Described(string status, string extra) =>
        $"{{{extra}\"executionArn\":\"{Execution}\",\"stateMachineArn\":\"{StateMachine}\",\"name\":\"web-20260101T000000Z\",\"status\":\"{status}\",\"startDate\":1767225600}}";

    private static async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await PhoenixCli.RunAsync(args, new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }
}
