using Phoenix.Cli.Tests.Aws;
using Phoenix.Cli.Tests.Delivery.Support;

namespace Phoenix.Cli.Tests.Delivery;

/// <summary>
/// The action's deployment step (.github/actions/phoenix-deploy/deploy.sh) run as GitHub would run it, with the phoenix
/// CLI from this build against a loopback stand-in for Step Functions and DynamoDB: how the job ends, what the job
/// summary says and which outputs the step sets. (The same script deploys a whole fleet on moto in the emulator tests.)
/// </summary>
public sealed class DeployScriptTests : IDisposable
{
    private const string StateMachine = "arn:aws:states:us-east-1:123456789012:stateMachine:phoenix-deploy";
    private const string Execution = "arn:aws:states:us-east-1:123456789012:execution:phoenix-deploy:web-20260101T000000Z";
    private const string Commit = "0123456789abcdef0123456789abcdef01234567";

    private readonly FakeAwsEndpoint _aws = new();
    private readonly DirectoryInfo _scratch = Directory.CreateTempSubdirectory("phoenix-deploy-script-");

    private string SummaryFile => Path.Combine(_scratch.FullName, "summary.md");

    private string OutputFile => Path.Combine(_scratch.FullName, "output.txt");

    public void Dispose()
    {
        _aws.Dispose();
        _scratch.Delete(recursive: true);
    }

    [Fact]
    public async Task Deploy_ExecutionRollsBack_FailsTheJobWithSummaryAndOutputs()
    {
        ScriptExecution("FAILED", "\"error\":\"AlarmFired\",\"cause\":\"web-5xx in ALARM\",\"stopDate\":1767226200,", "Rollback", "ExecutionFailed");
        Ledger("ROLLED_BACK", "\"error\":{\"S\":\"AlarmFired\"},\"cause\":{\"S\":\"web-5xx in ALARM\"},");

        var run = await RunScriptAsync(new() { ["PHOENIX_IMAGE_ID"] = "ami-0123456789abcdef0", ["PHOENIX_TABLE"] = "phoenix-state" });

        Assert.True(run.Exit == 1, run.ToString());
        // Progress reached the log as the execution ran, before the end.
        Assert.Matches(@"\+0m01s\s+Validate\s+TaskStateEntered", run.Output);
        Assert.Matches(@"\+0m05s\s+Rollback\s+TaskStateEntered", run.Output);
        Assert.Contains("phoenix-deploy: web ROLLED_BACK", run.Output, StringComparison.Ordinal);
        var summary = File.ReadAllText(SummaryFile);
        Assert.StartsWith("## Phoenix: web ❌ ROLLED_BACK", summary, StringComparison.Ordinal);
        Assert.Contains("| Error | `AlarmFired`: web-5xx in ALARM |", summary, StringComparison.Ordinal);
        Assert.Matches(@"\| 0m05s \| Rollback \| TaskStateEntered \|", summary);
        Assert.Contains("| Previous image | `ami-0000000000000000a` |", summary, StringComparison.Ordinal);
        var outputs = File.ReadAllLines(OutputFile);
        Assert.Equal([$"execution-arn={Execution}", "status=FAILED", "result=ROLLED_BACK", "image-id=ami-0123456789abcdef0"], outputs);

        // The execution input names the commit and repository (the ledger's source; what a bake builds).
        var start = Assert.Single(_aws.CallsTo("AWSStepFunctions.StartExecution"));
        var input = System.Text.Json.Nodes.JsonNode.Parse((string)start["input"]!)!;
        Assert.Equal(Commit, (string?)input["source"]!["commit"]);
        Assert.Equal("acme/web", (string?)input["source"]!["repository"]);
        Assert.Equal("github-actions", (string?)input["source"]!["trigger"]);
        Assert.Equal([10, 100], input["strategy"]!["trafficSteps"]!.AsArray().Select(s => (int)s!));
    }

    [Fact]
    public async Task Deploy_ExecutionSucceeds_PassesWithDeployedSummary()
    {
        ScriptExecution("SUCCEEDED", "\"stopDate\":1767226800,", "Finalize", "ExecutionSucceeded");
        Ledger("DEPLOYED", string.Empty);

        var run = await RunScriptAsync(new() { ["PHOENIX_TABLE"] = "phoenix-state" });

        Assert.True(run.Exit == 0, run.ToString());
        var summary = File.ReadAllText(SummaryFile);
        Assert.StartsWith("## Phoenix: web ✅ DEPLOYED", summary, StringComparison.Ordinal);
        Assert.Contains("| Duration | 20m00s |", summary, StringComparison.Ordinal);
        Assert.Contains("result=DEPLOYED", File.ReadAllLines(OutputFile));
        // No image given: the workflow bakes, so the input carries none.
        Assert.Null(System.Text.Json.Nodes.JsonNode.Parse((string)_aws.CallsTo("AWSStepFunctions.StartExecution")[0]["input"]!)!["imageId"]);
    }

    /// <summary>What the example workflow does: only the role (credentials) and the region; the rest is published.</summary>
    [Fact]
    public async Task Deploy_NoStateMachineOrTable_FindsThePublishedOnesAndReportsTheLedger()
    {
        ScriptExecution("SUCCEEDED", "\"stopDate\":1767226800,", "Finalize", "ExecutionSucceeded");
        Ledger("DEPLOYED", string.Empty);
        _aws.On("AmazonSSM.GetParameter",
            (200, $"{{\"Parameter\":{{\"Name\":\"/phoenix/environment/state-machine-arn\",\"Type\":\"String\",\"Value\":\"{StateMachine}\",\"Version\":1}}}}"),
            (200, "{\"Parameter\":{\"Name\":\"/phoenix/environment/table-name\",\"Type\":\"String\",\"Value\":\"phoenix-state\",\"Version\":1}}"));

        var run = await RunScriptAsync(new() { ["PHOENIX_STATE_MACHINE_ARN"] = null });

        Assert.True(run.Exit == 0, run.ToString());
        Assert.Equal(StateMachine, (string?)Assert.Single(_aws.CallsTo("AWSStepFunctions.StartExecution"))["stateMachineArn"]);
        Assert.Equal("phoenix-state", (string?)Assert.Single(_aws.CallsTo("DynamoDB_20120810.Query"))["TableName"]);
        Assert.Contains("result=DEPLOYED", File.ReadAllLines(OutputFile));
        Assert.StartsWith("## Phoenix: web ✅ DEPLOYED", File.ReadAllText(SummaryFile), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deploy_LedgerSaysRolledBackButExecutionSucceeded_StillFailsTheJob()
    {
        ScriptExecution("SUCCEEDED", "\"stopDate\":1767226800,", "Finalize", "ExecutionSucceeded");
        Ledger("ROLLED_BACK", string.Empty);

        var run = await RunScriptAsync(new() { ["PHOENIX_TABLE"] = "phoenix-state" });

        Assert.True(run.Exit == 1, run.ToString());
    }

    [Fact]
    public async Task Deploy_BadImageId_ExitsTwoAndSummaryNamesIt()
    {
        var run = await RunScriptAsync(new() { ["PHOENIX_IMAGE_ID"] = "ami-XYZ" });

        Assert.Equal(2, run.Exit);
        Assert.Contains("--image: expected an AMI id (ami- followed by 8 or 17 lowercase hex digits), got 'ami-XYZ'.", run.Error, StringComparison.Ordinal);
        var summary = File.ReadAllText(SummaryFile);
        Assert.StartsWith("## Phoenix: web ❌ NOT STARTED", summary, StringComparison.Ordinal);
        Assert.Contains("'ami-XYZ'", summary, StringComparison.Ordinal);
        Assert.Empty(_aws.CallsTo("AWSStepFunctions.StartExecution"));
    }

    [Theory]
    [InlineData("PHOENIX_APP", "", "input 'application' is required.")]
    [InlineData("PHOENIX_INPUT", "[1, 2]", "input 'input' is not a JSON object: [1, 2]")]
    [InlineData("PHOENIX_INPUT", "{strategy", "input 'input' is not a JSON object: {strategy")]
    [InlineData("PHOENIX_POLL_SECONDS", "ten", "poll-seconds 'ten' is not a whole number of seconds.")]
    [InlineData("PHOENIX_BIN", "/nowhere/phoenix", "phoenix executable '/nowhere/phoenix' not found")]
    public async Task Deploy_BadInput_ExitsTwoNamingTheValue(string variable, string value, string message)
    {
        var run = await RunScriptAsync(new() { [variable] = value });

        Assert.Equal(2, run.Exit);
        Assert.Contains("phoenix-deploy: " + message, run.Error, StringComparison.Ordinal);
        Assert.Contains(message, File.ReadAllText(SummaryFile), StringComparison.Ordinal);
        Assert.DoesNotContain(_aws.Calls, c => c.Target.StartsWith("AWSStepFunctions.", StringComparison.Ordinal));
    }

    /// <summary>A running execution seen first with its first state, then ended after <paramref name="lastState"/>.</summary>
    private void ScriptExecution(string status, string stopped, string lastState, string endEvent)
    {
        const string first = "{\"timestamp\":1767225600,\"type\":\"ExecutionStarted\",\"id\":1,\"previousEventId\":0}," +
            "{\"timestamp\":1767225601,\"type\":\"TaskStateEntered\",\"id\":2,\"previousEventId\":1,\"stateEnteredEventDetails\":{\"name\":\"Validate\"}}";
        var ended = first + $",{{\"timestamp\":1767225605,\"type\":\"TaskStateEntered\",\"id\":3,\"previousEventId\":2,\"stateEnteredEventDetails\":{{\"name\":\"{lastState}\"}}}}" +
            $",{{\"timestamp\":1767225610,\"type\":\"{endEvent}\",\"id\":4,\"previousEventId\":3}}";
        _aws.On("AWSStepFunctions.StartExecution", $"{{\"executionArn\":\"{Execution}\",\"startDate\":1767225600}}")
            .On("AWSStepFunctions.DescribeExecution", (200, Described("RUNNING", string.Empty)), (200, Described(status, stopped)))
            .On("AWSStepFunctions.GetExecutionHistory", (200, $"{{\"events\":[{first}]}}"), (200, $"{{\"events\":[{ended}]}}"));
    }

    private void Ledger(string result, string extra) =>
        _aws.On("DynamoDB_20120810.Query",
            "{\"Count\":1,\"ScannedCount\":1,\"Items\":[{\"pk\":{\"S\":\"APP#web\"},\"sk\":{\"S\":\"DEPLOY#2026-01-01T00:00:00Z#web-20260101T000000Z\"}," +
            $"\"application\":{{\"S\":\"web\"}},\"deploymentId\":{{\"S\":\"web-20260101T000000Z\"}},\"result\":{{\"S\":\"{result}\"}},{extra}" +
            "\"imageId\":{\"S\":\"ami-0123456789abcdef0\"},\"previousImageId\":{\"S\":\"ami-0000000000000000a\"},\"colour\":{\"S\":\"green\"}," +
            $"\"commit\":{{\"S\":\"{Commit}\"}},\"trigger\":{{\"S\":\"github-actions\"}},\"startedAt\":{{\"S\":\"2026-01-01T00:00:00.0000000Z\"}}}}]}}");

    private static string Described(string status, string extra) =>
        $"{{{extra}\"executionArn\":\"{Execution}\",\"stateMachineArn\":\"{StateMachine}\",\"name\":\"web-20260101T000000Z\",\"status\":\"{status}\",\"startDate\":1767225600}}";

    private Task<ProcessResult> RunScriptAsync(Dictionary<string, string?> overrides)
    {
        var environment = new Dictionary<string, string?>
        {
            // The credentials configure-aws-credentials would export, and nothing of whoever runs the tests.
            ["AWS_ACCESS_KEY_ID"] = "AKIDEXAMPLE",
            ["AWS_SECRET_ACCESS_KEY"] = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            ["AWS_SESSION_TOKEN"] = null,
            ["AWS_PROFILE"] = null,
            ["AWS_REGION"] = "us-east-1",
            ["AWS_CONFIG_FILE"] = Path.Combine(_scratch.FullName, "no-config"),
            ["AWS_SHARED_CREDENTIALS_FILE"] = Path.Combine(_scratch.FullName, "no-credentials"),
            ["AWS_EC2_METADATA_DISABLED"] = "true",
            ["PHOENIX_TABLE"] = null,
            ["PHOENIX_APP"] = "web",
            ["PHOENIX_STATE_MACHINE_ARN"] = StateMachine,
            ["PHOENIX_INPUT"] = "{\"strategy\": {\"trafficSteps\": [10, 100]}}",
            ["PHOENIX_POLL_SECONDS"] = "1",
            ["PHOENIX_ENDPOINT_URL"] = _aws.Url,
            ["PHOENIX_BIN"] = Path.Combine(AppContext.BaseDirectory, "phoenix"),
            ["GITHUB_SHA"] = Commit,
            ["GITHUB_REPOSITORY"] = "acme/web",
            ["GITHUB_STEP_SUMMARY"] = SummaryFile,
            ["GITHUB_OUTPUT"] = OutputFile,
        };
        foreach (var (name, value) in overrides)
        {
            environment[name] = value;
        }

        return ChildProcess.RunAsync("bash", [Repository.PathOf(".github/actions/phoenix-deploy/deploy.sh")], environment);
    }
}
