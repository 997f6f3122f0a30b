using System.CommandLine;
using Phoenix.Cli.Commands;

namespace Phoenix.Cli.Tests.Aws;

/// <summary>
/// <c>phoenix abort</c>, <c>phoenix rollback</c>, <c>phoenix unlock</c> and <c>phoenix approve/reject EXECUTION_ARN</c> against recorded
/// responses on a loopback fake: which calls they make, in which order, and their exit codes. The fleet side of the
/// cleanup and the rollback is covered in Core over the simulated region and end to end against moto.
/// </summary>
[Collection(AwsCliTests.Name)]
public sealed class OperatorCommandsTests : IDisposable
{
    private const string StateMachine = "arn:aws:states:us-east-1:123456789012:stateMachine:phoenix-deploy";
    private const string Execution = "arn:aws:states:us-east-1:123456789012:execution:phoenix-deploy:web-20260101T000000Z";
    private const string Query = "DynamoDB_20120810.Query";
    private const string GetItem = "DynamoDB_20120810.GetItem";
    private const string DeleteItem = "DynamoDB_20120810.DeleteItem";
    private const string PutItem = "DynamoDB_20120810.PutItem";
    private const string Describe = "AWSStepFunctions.DescribeExecution";
    private const string GetParameter = "AmazonSSM.GetParameter";
    private const string PublishedTable = "{\"Parameter\":{\"Name\":\"/phoenix/environment/table-name\",\"Type\":\"String\",\"Value\":\"PhoenixPipeline-StateTable-1\",\"Version\":1}}";
    private const string LockItem =
        $"{{\"Item\":{{\"pk\":{{\"S\":\"APP#web\"}},\"sk\":{{\"S\":\"LOCK\"}},\"owner\":{{\"S\":\"{Execution}\"}},\"acquiredAt\":{{\"S\":\"2026-01-01T00:00:00.0000000Z\"}},\"expiresAt\":{{\"N\":\"4102444800\"}}}}}}";

    private readonly AwsCliEnvironment _environment = new();
    private readonly FakeAwsEndpoint _aws = new();

    public void Dispose()
    {
        _aws.Dispose();
        _environment.Dispose();
    }

    [Fact]
    public async Task Approve_ExecutionArn_SendsTheTokenTheLedgerHoldsNow()
    {
        _aws.On(Describe, Described("RUNNING"))
            .On(Query, $"{{\"Items\":[{LedgerItem("IN_PROGRESS", "\"approvalToken\":{\"S\":\"token-after-retry\"},")}],\"Count\":1}}")
            .On("AWSStepFunctions.SendTaskSuccess", "{}");

        var (exit, output, error) = await RunAsync("approve", Execution, "--table", "phoenix", "--endpoint-url", _aws.Url);

        Assert.Equal((0, string.Empty, "Approved: the deployment continues."), (exit, error, output.Trim()));
        var call = Assert.Single(_aws.CallsTo("AWSStepFunctions.SendTaskSuccess"));
        Assert.Equal("token-after-retry", (string?)call["taskToken"]);
        var query = Assert.Single(_aws.CallsTo(Query));
        Assert.Equal("APP#web", (string?)query["ExpressionAttributeValues"]![":pk"]!["S"]);
        Assert.Equal("web-20260101T000000Z", (string?)query["ExpressionAttributeValues"]![":id"]!["S"]);
    }

    [Fact]
    public async Task Reject_ExecutionArnWithoutPendingApproval_ExitsOneAndAnswersNothing()
    {
        _aws.On(Describe, Described("RUNNING")).On(Query, $"{{\"Items\":[{LedgerItem("IN_PROGRESS")}],\"Count\":1}}");

        var (exit, _, error) = await RunAsync("reject", Execution, "--table", "phoenix", "--endpoint-url", _aws.Url);

        Assert.Equal(1, exit);
        Assert.Equal($"phoenix reject: no approval is pending for {Execution}: its ledger entry (web/web-20260101T000000Z) holds no approval token.", error.Trim());
        Assert.Empty(_aws.CallsTo("AWSStepFunctions.SendTaskFailure"));
    }

    [Fact]
    public async Task Approve_ExecutionNotRunning_ExitsOneSayingSo()
    {
        _aws.On(Describe, Described("SUCCEEDED"));

        var (exit, _, error) = await RunAsync("approve", Execution, "--table", "phoenix", "--endpoint-url", _aws.Url);

        Assert.Equal(1, exit);
        Assert.Equal($"phoenix approve: {Execution} is SUCCEEDED: nothing waits for an approval.", error.Trim());
        Assert.Empty(_aws.CallsTo(Query));
    }

    /// <summary>No --table and no PHOENIX_TABLE, and the PhoenixPipeline stack published none: one line naming the parameter and the options, before anything is read, stopped or answered.</summary>
    [Theory]
    [InlineData("approve", new[] { Execution })]
    [InlineData("abort", new[] { Execution })]
    [InlineData("rollback", new[] { "--app", "web" })]
    [InlineData("unlock", new[] { "--app", "web" })]
    [InlineData("history", new[] { "--app", "web" })]
    public async Task NoTableNamedOrPublished_ExitsTwoNamingTheParameterAndDoesNothingElse(string command, string[] arguments)
    {
        _aws.On(GetParameter, (400, "{\"__type\":\"ParameterNotFound\",\"message\":\"Parameter /phoenix/environment/table-name not found.\"}"));

        var (exit, output, error) = await RunAsync([command, .. arguments, "--region", "us-east-1", "--endpoint-url", _aws.Url]);

        Assert.Equal((2, string.Empty), (exit, output));
        Assert.Equal(
            $"phoenix {command}: No table: pass --table, set PHOENIX_TABLE, or deploy the PhoenixPipeline stack, " +
            "which publishes it as the SSM parameter /phoenix/environment/table-name (not found in this account and region).",
            error.Trim());
        Assert.Equal([GetParameter], _aws.Calls.Select(c => c.Target));
        Assert.Equal("/phoenix/environment/table-name", (string?)_aws.CallsTo(GetParameter)[0]["Name"]);
    }

    [Fact]
    public async Task Unlock_NoTableNamed_UsesThePublishedOneAndSaysSo()
    {
        _aws.On(GetParameter, PublishedTable)
            .On(GetItem, "{}");

        var (exit, output, error) = await RunAsync("unlock", "--app", "web", "--region", "us-east-1", "--endpoint-url", _aws.Url);

        Assert.Equal(
            (0, string.Empty, "Table PhoenixPipeline-StateTable-1 (from /phoenix/environment/table-name)\nweb is not locked: nothing to release.\n"),
            (exit, error, output));
        Assert.Equal("PhoenixPipeline-StateTable-1", (string?)Assert.Single(_aws.CallsTo(GetItem))["TableName"]);
    }

    [Fact]
    public async Task Abort_NoTableNamed_CleansUpWithThePublishedOne()
    {
        _aws.On(GetParameter, PublishedTable)
            .On(Describe, Described("TIMED_OUT", "\"stopDate\":1767225700,"))
            .On(Query, "{\"Items\":[],\"Count\":0}")
            .On(GetItem, "{}");

        var (exit, output, _) = await RunAsync("abort", Execution, "--region", "us-east-1", "--endpoint-url", _aws.Url);

        Assert.Equal(0, exit);
        Assert.StartsWith("Table PhoenixPipeline-StateTable-1 (from /phoenix/environment/table-name)\n", output, StringComparison.Ordinal);
        Assert.Contains(_aws.Calls, c => c.Target.StartsWith("DynamoDB_", StringComparison.Ordinal));
        Assert.All(
            _aws.Calls.Where(c => c.Target.StartsWith("DynamoDB_", StringComparison.Ordinal)),
            c => Assert.Equal("PhoenixPipeline-StateTable-1", (string?)c.Body["TableName"]));
    }

    [Fact]
    public async Task Approve_TokenWithoutTable_LooksNothingUp()
    {
        _aws.On("AWSStepFunctions.SendTaskSuccess", "{}");

        var (exit, output, _) = await RunAsync("approve", "AQCEAAAAKgAAAA", "--region", "us-east-1", "--endpoint-url", _aws.Url);

        Assert.Equal((0, "Approved: the deployment continues.\n"), (exit, output));
        Assert.Empty(_aws.CallsTo(GetParameter));
    }

    [Fact]
    public async Task Approve_StateMachineArn_ExitsTwoNamingIt()
    {
        var (exit, _, error) = await RunAsync("approve", StateMachine, "--table", "phoenix", "--endpoint-url", _aws.Url);

        Assert.Equal(2, exit);
        Assert.Equal($"phoenix approve: '{StateMachine}' is neither an execution ARN nor a task token (1 to 1024 characters, no spaces).", error.Trim());
        Assert.Empty(_aws.Calls);
    }

    [Fact]
    public async Task Abort_RunningExecution_StopsWaitsThenCleansUpAndSaysWhat()
    {
        Environment.SetEnvironmentVariable(HistoryCommand.TableVariable, "phoenix");
        _aws.On(Describe, (200, Described("RUNNING")), (200, Described("RUNNING")), (200, Described("RUNNING")), (200, Described("ABORTED", "\"error\":\"PhoenixAbort\",\"cause\":\"bad canary\",\"stopDate\":1767225700,")))
            .On("AWSStepFunctions.StopExecution", "{\"stopDate\":1767225700}")
            .On(Query, "{\"Items\":[],\"Count\":0}")
            .On(GetItem, LockItem)
            .On(DeleteItem, "{}");

        var (exit, output, error) = await RunAsync("abort", Execution, "--reason", "bad canary", "--poll-seconds", "0", "--endpoint-url", _aws.Url);

        Assert.Equal((0, string.Empty), (exit, error));
        var stop = Assert.Single(_aws.CallsTo("AWSStepFunctions.StopExecution"));
        Assert.Equal((Execution, AbortCommand.StopError, "bad canary"), ((string?)stop["executionArn"], (string?)stop["error"], (string?)stop["cause"]));
        Assert.Contains("Execution web-20260101T000000Z: ABORTED.", output, StringComparison.Ordinal);
        Assert.Contains("  Released the stale lock on web held by this execution.", output, StringComparison.Ordinal);
        Assert.Contains("  No ledger entry for web-20260101T000000Z", output, StringComparison.Ordinal);
        var release = Assert.Single(_aws.CallsTo(DeleteItem));
        Assert.Equal(Execution, (string?)release["ExpressionAttributeValues"]![":owner"]!["S"]);

        // Nothing is cleaned up before Step Functions stops saying RUNNING.
        var order = _aws.Calls.Select(c => c.Target).ToList();
        Assert.True(order.LastIndexOf(Describe) < order.IndexOf(GetItem));
    }

    [Fact]
    public async Task Abort_AlreadyStopped_CleansUpWithoutStopping()
    {
        _aws.On(Describe, Described("TIMED_OUT", "\"stopDate\":1767225700,"))
            .On(Query, "{\"Items\":[],\"Count\":0}")
            .On(GetItem, "{}");

        var (exit, output, _) = await RunAsync("abort", Execution, "--table", "phoenix", "--endpoint-url", _aws.Url);

        Assert.Equal(0, exit);
        Assert.Empty(_aws.CallsTo("AWSStepFunctions.StopExecution"));
        Assert.Contains("Execution web-20260101T000000Z already TIMED_OUT: cleaning up only.", output, StringComparison.Ordinal);
        Assert.Contains("web is not locked: the workflow already released it.", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Abort_StillRunningAtTheDeadline_ExitsOneAndCleansNothing()
    {
        _aws.On(Describe, Described("RUNNING")).On("AWSStepFunctions.StopExecution", "{\"stopDate\":1767225700}");

        var (exit, _, error) = await RunAsync("abort", Execution, "--table", "phoenix", "--poll-seconds", "1", "--timeout-seconds", "1", "--endpoint-url", _aws.Url);

        Assert.Equal(1, exit);
        Assert.Contains("is still RUNNING 1 s after StopExecution; nothing was cleaned up", error, StringComparison.Ordinal);
        Assert.Empty(_aws.CallsTo(GetItem));
        Assert.Empty(_aws.CallsTo(Query));
    }

    [Fact]
    public async Task Abort_NotAPhoenixExecution_ExitsTwo()
    {
        _aws.On(Describe, Described("RUNNING", input: "{\\\"hello\\\":1}"));

        var (exit, _, error) = await RunAsync("abort", Execution, "--table", "phoenix", "--endpoint-url", _aws.Url);

        Assert.Equal(2, exit);
        Assert.Equal($"phoenix abort: {Execution} is not a Phoenix deployment: its input names no application.", error.Trim());
        Assert.Empty(_aws.CallsTo("AWSStepFunctions.StopExecution"));
    }

    [Theory]
    [InlineData(new[] { "abort", "not-an-arn", "--table", "t" }, "phoenix abort: EXECUTION_ARN: expected an execution ARN (arn:aws:states:REGION:ACCOUNT:execution:STATE_MACHINE:NAME), got 'not-an-arn'.")]
    [InlineData(new[] { "abort", Execution, "--table", "t", "--timeout-seconds", "0" }, "phoenix abort: --timeout-seconds: expected a whole number from 1 to 3600, got '0'.")]
    [InlineData(new[] { "abort", Execution, "--table", "t", "--poll-seconds", "often" }, "phoenix abort: --poll-seconds: expected a whole number from 0 to 60, got 'often'.")]
    [InlineData(new[] { "abort" }, "phoenix abort: missing EXECUTION_ARN: an execution ARN (arn:aws:states:REGION:ACCOUNT:execution:STATE_MACHINE:NAME).")]
    [InlineData(new[] { "rollback", "--app", " ", "--table", "t" }, "phoenix rollback: --app: expected an application name (a letter or digit, then letters, digits, '-', '_' or '.', at most 64), got ' '.")]
    [InlineData(new[] { "unlock", "--app", " ", "--table", "t" }, "phoenix unlock: --app: expected an application name (a letter or digit, then letters, digits, '-', '_' or '.', at most 64), got ' '.")]
    [InlineData(new[] { "unlock", "--table", "t" }, "phoenix unlock: missing --app NAME: an application name (a letter or digit, then letters, digits, '-', '_' or '.', at most 64).")]
    [InlineData(new[] { "unlock", "--app", "web", "--table", " " }, "phoenix unlock: --table: expected TABLE (not blank), got ' '.")]
    [InlineData(new[] { "abort", Execution, "--table", "" }, "phoenix abort: --table: expected TABLE (not blank), got ''.")]
    [InlineData(new[] { "unlock", "--app", "web", "--dry-runn" }, "phoenix unlock: unknown option '--dry-runn'. Did you mean '--dry-run'? Its options: --app, --reason, --dry-run, --table, --region, --profile, --endpoint-url.")]
    public async Task BadArguments_ExitTwoNamingTheValueAndSendNothing(string[] arguments, string message)
    {
        var (exit, _, error) = await RunAsync([.. arguments, "--endpoint-url", _aws.Url]);

        Assert.Equal((2, message), (exit, error.Trim()));
        Assert.Empty(_aws.Calls);
    }

    [Fact]
    public async Task Rollback_UnknownApplication_ExitsTwoNamingItsParameter()
    {
        _aws.On("AmazonSSM.GetParameter", (400, "{\"__type\":\"ParameterNotFound\",\"message\":\"Parameter /phoenix/apps/shop/topology not found.\"}"));

        var (exit, _, error) = await RunAsync("rollback", "--app", "shop", "--table", "phoenix", "--region", "us-east-1", "--endpoint-url", _aws.Url);

        Assert.Equal(2, exit);
        Assert.Equal("phoenix rollback: unknown application 'shop': no topology parameter /phoenix/apps/shop/topology in us-east-1.", error.Trim());
    }

    [Fact]
    public async Task Rollback_DeploymentInProgressHoldsTheLock_ExitsOneNamingItAndStopsNothing()
    {
        _aws.On("AmazonSSM.GetParameter", $"{{\"Parameter\":{{\"Name\":\"/phoenix/apps/web/topology\",\"Type\":\"String\",\"Value\":{System.Text.Json.JsonSerializer.Serialize(Topology)}}}}}")
            .On(GetItem, LockItem)
            .On(Query, $"{{\"Items\":[{LedgerItem("IN_PROGRESS")}],\"Count\":1}}");

        var (exit, output, error) = await RunAsync("rollback", "--app", "web", "--table", "phoenix", "--region", "us-east-1", "--endpoint-url", _aws.Url);

        Assert.Equal((1, string.Empty), (exit, output));
        Assert.StartsWith($"phoenix rollback: refused: Application 'web' is locked by {Execution}", error, StringComparison.Ordinal);
        Assert.Empty(_aws.CallsTo("AWSStepFunctions.StopExecution"));
        Assert.Empty(_aws.CallsTo("DynamoDB_20120810.PutItem"));
    }

    [Fact]
    public async Task Unlock_LockOfAFailedExecution_DeletesItOnConditionOfItsHolderAndRecordsWhoAndWhy()
    {
        _aws.On(GetItem, LockItem)
            .On(Describe, Described("FAILED", "\"stopDate\":1767225700,"))
            .On(Query, $"{{\"Items\":[{LedgerItem("ROLLBACK_FAILED")}],\"Count\":1}}")
            .On(DeleteItem, "{}")
            .On(PutItem, "{}");

        var (exit, output, error) = await RunAsync("unlock", "--app", "web", "--table", "phoenix", "--reason", "blue repaired", "--region", "us-east-1", "--endpoint-url", _aws.Url);

        Assert.Equal((0, string.Empty), (exit, error));
        var lines = output.TrimEnd('\n').Split('\n');
        Assert.Equal(
            [
                $"Lock on web: held by {Execution} since 2026-01-01 00:00:00Z, expires 2100-01-01 00:00:00Z.",
                "Execution web-20260101T000000Z is FAILED; its ledger entry says ROLLBACK_FAILED.",
                "Released the lock on web.",
            ],
            lines[..3]);
        Assert.Matches($"^Ledger entry unlock-\\d{{8}}T\\d{{9}}Z: UNLOCKED by {FakeAwsEndpoint.CallerArn}\\.$", lines[3]);
        var delete = Assert.Single(_aws.CallsTo(DeleteItem));
        Assert.Equal(("#owner = :owner", "owner", Execution), ((string?)delete["ConditionExpression"], (string?)delete["ExpressionAttributeNames"]!["#owner"], (string?)delete["ExpressionAttributeValues"]![":owner"]!["S"]));
        var entry = Assert.Single(_aws.CallsTo(PutItem))["Item"]!;
        Assert.Equal(("UNLOCKED", "manual-unlock", FakeAwsEndpoint.CallerArn), ((string?)entry["result"]!["S"], (string?)entry["trigger"]!["S"], (string?)entry["startedBy"]!["S"]));
        Assert.EndsWith("Reason: blue repaired.", (string?)entry["cause"]!["S"], StringComparison.Ordinal);

        // The delete comes after Step Functions said the holder is not running.
        var order = _aws.Calls.Select(c => c.Target).ToList();
        Assert.True(order.IndexOf(Describe) < order.IndexOf(DeleteItem));
    }

    [Fact]
    public async Task Unlock_ExecutionStillRunning_ExitsOneNamingItAndItsStatusAndDeletesNothing()
    {
        _aws.On(GetItem, LockItem).On(Describe, Described("RUNNING"));

        var (exit, output, error) = await RunAsync("unlock", "--app", "web", "--table", "phoenix", "--region", "us-east-1", "--endpoint-url", _aws.Url);

        Assert.Equal(1, exit);
        Assert.Equal(
            $"phoenix unlock: refused: The lock on web is held by {Execution}, which is RUNNING: a running deployment keeps its lock. "
            + $"To stop it and clean up after it, run `phoenix abort {Execution}`. Nothing was changed.",
            error.Trim());
        Assert.Equal(string.Empty, output);
        Assert.Empty(_aws.CallsTo(DeleteItem));
        Assert.Empty(_aws.CallsTo(PutItem));
    }

    [Fact]
    public async Task Unlock_ExecutionStepFunctionsNoLongerKnows_ReleasesIt()
    {
        _aws.On(GetItem, LockItem)
            .On(Describe, (400, $"{{\"__type\":\"ExecutionDoesNotExist\",\"message\":\"Execution Does Not Exist: '{Execution}'\"}}"))
            .On(Query, "{\"Items\":[],\"Count\":0}")
            .On(DeleteItem, "{}")
            .On(PutItem, "{}");

        var (exit, output, _) = await RunAsync("unlock", "--app", "web", "--table", "phoenix", "--region", "us-east-1", "--endpoint-url", _aws.Url);

        Assert.Equal(0, exit);
        Assert.Contains("Execution web-20260101T000000Z is no longer known to Step Functions; its ledger entry does not exist.", output, StringComparison.Ordinal);
        Assert.Single(_aws.CallsTo(DeleteItem));
    }

    [Fact]
    public async Task Unlock_DryRun_ChecksAndChangesNothing()
    {
        _aws.On(GetItem, LockItem).On(Describe, Described("TIMED_OUT")).On(Query, $"{{\"Items\":[{LedgerItem("ABORTED")}],\"Count\":1}}");

        var (exit, output, _) = await RunAsync("unlock", "--app", "web", "--table", "phoenix", "--dry-run", "--region", "us-east-1", "--endpoint-url", _aws.Url);

        Assert.Equal(0, exit);
        Assert.EndsWith("Dry run: the lock would be released and an UNLOCKED entry written; nothing was changed.\n", output, StringComparison.Ordinal);
        Assert.Empty(_aws.CallsTo(DeleteItem));
        Assert.Empty(_aws.CallsTo(PutItem));
    }

    [Fact]
    public async Task Unlock_NotLocked_ExitsZeroSayingSo()
    {
        _aws.On(GetItem, "{}");

        var (exit, output, error) = await RunAsync("unlock", "--app", "web", "--table", "phoenix", "--region", "us-east-1", "--endpoint-url", _aws.Url);

        Assert.Equal((0, string.Empty, "web is not locked: nothing to release.\n"), (exit, error, output));
        Assert.Empty(_aws.CallsTo(Describe));
    }

    private const string Topology =
        "{\"application\":\"web\",\"blue\":{\"autoScalingGroupName\":\"phoenix-web-blue\",\"targetGroupArn\":\"arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-blue/1\",\"launchTemplateId\":\"lt-0blue\"},"
        + "\"green\":{\"autoScalingGroupName\":\"phoenix-web-green\",\"targetGroupArn\":\"arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-green/2\",\"launchTemplateId\":\"lt-0green\"},"
        + "\"listenerArn\":\"arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/phoenix-web/1/2\",\"alarmNames\":[]}";

    private static string LedgerItem(string result, string extra = "") =>
        $"{{{extra}\"pk\":{{\"S\":\"APP#web\"}},\"sk\":{{\"S\":\"DEPLOY#2026-01-01T00:00:00Z#web-20260101T000000Z\"}},\"application\":{{\"S\":\"web\"}},"
        + $"\"deploymentId\":{{\"S\":\"web-20260101T000000Z\"}},\"result\":{{\"S\":\"{result}\"}},\"startedAt\":{{\"S\":\"2026-01-01T00:00:00.0000000Z\"}},\"startedBy\":{{\"S\":\"{Execution}\"}}}}";

    private static string Described(string status, string extra = "", string input = "{\\\"application\\\":\\\"web\\\"}") =>
        $"{{{extra}\"executionArn\":\"{Execution}\",\"stateMachineArn\":\"{StateMachine}\",\"name\":\"web-20260101T000000Z\",\"status\":\"{status}\",\"startDate\":1767225600,\"input\":\"{input}\"}}";

    private static async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await PhoenixCli.RunAsync(args, new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }
}
