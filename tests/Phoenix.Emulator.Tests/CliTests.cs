using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using Phoenix.Aws.Adapters;
using Phoenix.Aws.StepFunctions.Model;
using Phoenix.Core.Discovery;
using Phoenix.Core.Ports;
using Phoenix.Emulator.Tests.Adapters;
using Phoenix.Emulator.Tests.Support;
using Xunit.Abstractions;

namespace Phoenix.Emulator.Tests;

/// <summary>The CLI's AWS commands (deploy, status, history, approve, reject) run in-process against the emulator.</summary>
public sealed partial class CliTests(MotoServer moto, ITestOutputHelper output) : EmulatorTest(moto), IDisposable
{
    private ProcessEnvironment? _environment;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _environment = CliRunner.Environment();
    }

    public void Dispose() => _environment?.Dispose();

    [EmulatorFact]
    public async Task Deploy_Wait_StartsTheExecutionWithCliInputAndPrintsItsTimeline()
    {
        await Moto.SetStepFunctionsExecutionAsync(true);
        var machine = await StateMachines.CreateAsync(Moto, "phoenix-deploy", StateMachines.Passes);

        var (exit, text, error) = await RunAsync("deploy", "--app", "web", "--image", "ami-0123456789abcdef0", "--wait", "--poll-seconds", "1", "--state-machine-arn", machine);

        Assert.Equal((0, string.Empty), (exit, error));
        var executionArn = Assert.Single(StartedArn().Matches(text)).Groups[1].Value;
        Assert.Matches(@"Execution web-\d{8}T\d{6}Z  SUCCEEDED", text);
        Assert.Matches(@"\+0m0\ds\s+Validate\s+PassStateEntered", text);
        Assert.Matches(@"\+0m0\ds\s+Notify\s+ExecutionSucceeded", text);
        Assert.DoesNotContain("+-", text, StringComparison.Ordinal);
        using var client = Moto.Clients().StepFunctions();
        var described = await client.DescribeExecutionAsync(new DescribeExecutionRequest { ExecutionArn = executionArn });
        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse("{\"application\":\"web\",\"source\":{\"trigger\":\"cli\"},\"imageId\":\"ami-0123456789abcdef0\"}"),
            JsonNode.Parse(described.Input!)));
    }

    /// <summary>
    /// Nothing names the state machine (a GitHub job that set only its role): deploy reads the one the PhoenixPipeline
    /// stack published in the region and starts it; a name that is not published reads as absent, not as an error.
    /// </summary>
    [EmulatorFact]
    public async Task Deploy_NothingNamed_StartsTheStateMachineThePipelinePublished()
    {
        await Moto.SetStepFunctionsExecutionAsync(true);
        var machine = await StateMachines.CreateAsync(Moto, "phoenix-deploy", StateMachines.Passes);
        using var ssm = Moto.Clients().SimpleSystemsManagement();
        await ssm.PutParameterAsync(new PutParameterRequest { Name = EnvironmentDiscovery.StateMachineParameter, Value = machine, Type = ParameterType.String });

        var (exit, text, error) = await RunAsync("deploy", "--app", "web", "--image", "ami-0123456789abcdef0", "--wait", "--poll-seconds", "1");

        Assert.Equal((0, string.Empty), (exit, error));
        Assert.Contains($"State machine {machine} (from /phoenix/environment/state-machine-arn)", text, StringComparison.Ordinal);
        Assert.Matches(@"Execution web-\d{8}T\d{6}Z  SUCCEEDED", text);
        Assert.Null(await new EnvironmentParametersAdapter(ssm).GetAsync(EnvironmentDiscovery.TableParameter, CancellationToken.None));
    }

    [EmulatorFact]
    public async Task Deploy_NothingNamedOrPublished_ExitsTwoNamingTheParameter()
    {
        var (exit, _, error) = await RunAsync("deploy", "--app", "web", "--image", "ami-0123456789abcdef0");

        Assert.Equal(2, exit);
        Assert.Contains("/phoenix/environment/state-machine-arn (not found in this account and region)", error, StringComparison.Ordinal);
    }

    [EmulatorFact]
    public async Task Deploy_UnknownStateMachine_ExitsOneWithAwsMessage()
    {
        var (exit, _, error) = await RunAsync("deploy", "--app", "web", "--state-machine-arn", $"arn:aws:states:{MotoServer.RegionName}:{MotoServer.Account}:stateMachine:nobody");

        Assert.Equal(1, exit);
        Assert.StartsWith("phoenix deploy: AWS refused the request: StateMachineDoesNotExist:", error.Trim(), StringComparison.Ordinal);
    }

    [EmulatorFact]
    public async Task Status_RecordedExecution_PrintsATimelineThatNeverGoesBackInTime()
    {
        // Recording mode: moto's canned history has timestamps before the execution's start date.
        var machine = await StateMachines.CreateAsync(Moto, "phoenix-deploy", StateMachines.Passes);
        using var client = Moto.Clients().StepFunctions();
        var execution = (await client.StartExecutionAsync(new StartExecutionRequest { StateMachineArn = machine, Name = "web-1", Input = "{}" })).ExecutionArn!;

        var (exit, text, error) = await RunAsync("status", execution);

        Assert.Equal((0, string.Empty), (exit, error));
        Assert.Contains("Execution web-1  RUNNING", text, StringComparison.Ordinal);
        Assert.Contains(execution, text, StringComparison.Ordinal);
        Assert.DoesNotContain("+-", text, StringComparison.Ordinal);
        Assert.Matches(@"\+\d+m\d\ds", text);
    }

    [EmulatorFact]
    public async Task Status_FailedExecution_PrintsTheErrorAndCause()
    {
        await Moto.SetStepFunctionsExecutionAsync(true);
        var machine = await StateMachines.CreateAsync(Moto, "phoenix-deploy", """
            {"StartAt":"Validate","States":{"Validate":{"Type":"Fail","Error":"InvalidDeploymentRequest","Cause":"imageId 'ami-x' is not an AMI id"}}}
            """);
        using var client = Moto.Clients().StepFunctions();
        var execution = (await client.StartExecutionAsync(new StartExecutionRequest { StateMachineArn = machine, Name = "web-2", Input = "{}" })).ExecutionArn!;
        await StepFunctionsClientTests.WaitAsync(client, execution);

        var (exit, text, _) = await RunAsync("status", execution);

        Assert.Equal(0, exit);
        Assert.Contains("Execution web-2  FAILED", text, StringComparison.Ordinal);
        Assert.Contains("ExecutionFailed  InvalidDeploymentRequest: imageId 'ami-x' is not an AMI id", text, StringComparison.Ordinal);
        Assert.Contains("Error: InvalidDeploymentRequest: imageId 'ami-x' is not an AMI id", text, StringComparison.Ordinal);
    }

    [EmulatorFact]
    public async Task Status_UnknownExecution_ExitsOneWithAwsMessage()
    {
        await StateMachines.CreateAsync(Moto, "phoenix-deploy", StateMachines.Passes);
        var execution = $"arn:aws:states:{MotoServer.RegionName}:{MotoServer.Account}:execution:phoenix-deploy:nobody";

        var (exit, text, error) = await RunAsync("status", execution);

        Assert.Equal((1, string.Empty), (exit, text));
        Assert.StartsWith("phoenix status: AWS refused the request: ExecutionDoesNotExist:", error.Trim(), StringComparison.Ordinal);
    }

    [EmulatorFact]
    public async Task History_Ledger_PrintsDeploymentsNewestFirst()
    {
        using var dynamo = Moto.Clients().DynamoDb();
        await StateTable.CreateAsync(dynamo, "phoenix-state");
        var ledger = new DeploymentLedgerAdapter(dynamo, "phoenix-state");
        var start = new DateTimeOffset(2026, 1, 1, 9, 0, 0, TimeSpan.Zero);
        await ledger.PutAsync(new DeploymentRecord("web", "exec-1", "SUCCEEDED", "ami-0000000000000000a", null, "green", null, null, "codepipeline", null, start, start.AddMinutes(20)), CancellationToken.None);
        await ledger.PutAsync(
            new DeploymentRecord("web", "exec-2", "ROLLED_BACK", "ami-0000000000000000b", "ami-0000000000000000a", "blue", "0123456789abcdef0123", null, "cli", "alice",
                start.AddDays(1), start.AddDays(1).AddMinutes(12.5), "AlarmTriggered", "phoenix-web-target-5xx in ALARM"),
            CancellationToken.None);

        var (exit, text, error) = await RunAsync("history", "--app", "web", "--table", "phoenix-state", "--limit", "5");

        Assert.Equal((0, string.Empty), (exit, error));
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^STARTED \(UTC\)\s+RESULT\s+IMAGE\s+PREVIOUS\s+COLOUR\s+DURATION\s+COMMIT\s+BY\s+DEPLOYMENT$", lines[0]);
        Assert.Matches(@"^2026-01-02 09:00:00\s+ROLLED_BACK\s+ami-0000000000000000b\s+ami-0000000000000000a\s+blue\s+12m30s\s+0123456789ab\s+alice\s+exec-2$", lines[1]);
        Assert.Matches(@"^2026-01-01 09:00:00\s+SUCCEEDED\s+ami-0000000000000000a\s+-\s+green\s+20m00s\s+-\s+codepipeline\s+exec-1$", lines[2]);
        Assert.Equal("exec-2: AlarmTriggered: phoenix-web-target-5xx in ALARM", lines[3]);
    }

    /// <summary>Nothing names the table: history reads the one the PhoenixPipeline stack published in the region, and says so.</summary>
    [EmulatorFact]
    public async Task History_NoTableNamed_ReadsTheTableThePipelinePublished()
    {
        using var dynamo = Moto.Clients().DynamoDb();
        await StateTable.CreateAsync(dynamo, "phoenix-published");
        var start = new DateTimeOffset(2026, 1, 1, 9, 0, 0, TimeSpan.Zero);
        await new DeploymentLedgerAdapter(dynamo, "phoenix-published").PutAsync(
            new DeploymentRecord("web", "exec-1", "SUCCEEDED", "ami-0000000000000000a", null, "green", null, null, "codepipeline", null, start, start.AddMinutes(20)), CancellationToken.None);
        using var ssm = Moto.Clients().SimpleSystemsManagement();
        await ssm.PutParameterAsync(new PutParameterRequest { Name = EnvironmentDiscovery.TableParameter, Value = "phoenix-published", Type = ParameterType.String });

        var (exit, text, error) = await RunAsync("history", "--app", "web");

        Assert.Equal((0, string.Empty), (exit, error));
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("Table phoenix-published (from /phoenix/environment/table-name)", lines[0]);
        Assert.Matches(@"^2026-01-01 09:00:00\s+SUCCEEDED\s+ami-0000000000000000a\s+-\s+green\s+20m00s\s+-\s+codepipeline\s+exec-1$", lines[2]);
    }

    [EmulatorFact]
    public async Task History_NoTableNamedOrPublished_ExitsTwoNamingTheParameter()
    {
        var (exit, text, error) = await RunAsync("history", "--app", "web");

        Assert.Equal((2, string.Empty), (exit, text));
        Assert.Equal(
            "phoenix history: No table: pass --table, set PHOENIX_TABLE, or deploy the PhoenixPipeline stack, " +
            "which publishes it as the SSM parameter /phoenix/environment/table-name (not found in this account and region).",
            error.Trim());
    }

    [EmulatorFact]
    public async Task History_MissingTable_ExitsOneNamingIt()
    {
        var (exit, _, error) = await RunAsync("history", "--app", "web", "--table", "no-such-table");

        Assert.Equal(1, exit);
        Assert.StartsWith("phoenix history: AWS refused the request: ResourceNotFoundException:", error.Trim(), StringComparison.Ordinal);
    }

    [EmulatorFact]
    public async Task Approve_RealTaskToken_LetsTheWaitingExecutionSucceed()
    {
        var (execution, token) = await StartApprovalAsync();

        var (exit, text, error) = await RunAsync("approve", token, "--reason", "looks good");

        Assert.Equal((0, "Approved: the deployment continues.", string.Empty), (exit, text.Trim(), error));
        using var client = Moto.Clients().StepFunctions();
        var described = await StepFunctionsClientTests.WaitAsync(client, execution);
        Assert.Equal("SUCCEEDED", described.Status);
        var result = JsonNode.Parse(described.Output!)!;
        Assert.Equal((true, "looks good"), ((bool?)result["approved"], (string?)result["reason"]));
        Assert.False(string.IsNullOrEmpty((string?)result["by"]));
    }

    [EmulatorFact]
    public async Task Reject_RealTaskToken_FailsTheTaskWithApprovalRejected()
    {
        var (execution, token) = await StartApprovalAsync();

        var (exit, text, error) = await RunAsync("reject", token, "--reason", "error budget spent");

        Assert.Equal((0, "Rejected: the deployment rolls back.", string.Empty), (exit, text.Trim(), error));
        using var client = Moto.Clients().StepFunctions();
        var described = await StepFunctionsClientTests.WaitAsync(client, execution);
        Assert.Equal(("FAILED", "DeploymentRejected"), (described.Status, described.Error));
        var history = await client.GetExecutionHistoryAsync(new GetExecutionHistoryRequest { ExecutionArn = execution });
        var failed = Assert.Single(history.Events!, e => e.TaskFailedEventDetails is not null).TaskFailedEventDetails!;
        Assert.Equal("ApprovalRejected", failed.Error);
        if (failed.Cause is null)
        {
            MotoGap.TaskFailureCauseDropped.Met(output);
            return;
        }

        Assert.Equal("error budget spent", failed.Cause);
    }

    [EmulatorFact]
    public async Task Approve_TokenAlreadyAnswered_ExitsOneWithAwsMessage()
    {
        var (execution, token) = await StartApprovalAsync();
        Assert.Equal(0, (await RunAsync("approve", token)).Exit);
        using (var client = Moto.Clients().StepFunctions())
        {
            Assert.Equal("SUCCEEDED", (await StepFunctionsClientTests.WaitAsync(client, execution)).Status);
        }

        var (exit, _, error) = await RunAsync("approve", token);

        // AWS answers TaskTimedOut ("Provided task does not exist anymore") or InvalidToken for an answered token.
        Assert.Equal(1, exit);
        Assert.Matches("^phoenix approve: AWS refused the request: (InvalidToken|TaskTimedOut|TaskDoesNotExist): ", error.Trim());
        output.WriteLine(error.Trim());
    }

    private async Task<(string Execution, string Token)> StartApprovalAsync()
    {
        await Moto.SetStepFunctionsExecutionAsync(true);
        using var sqs = EmulatorFleet.CreateSqsClient(Moto);
        var queue = (await sqs.CreateQueueAsync("approvals")).QueueUrl;
        var machine = await StateMachines.CreateAsync(Moto, "phoenix-deploy", StateMachines.Approval(queue));
        using var client = Moto.Clients().StepFunctions();
        var execution = (await client.StartExecutionAsync(new StartExecutionRequest { StateMachineArn = machine, Name = "web-approval", Input = "{}" })).ExecutionArn!;
        return (execution, await StateMachines.ReceiveTaskTokenAsync(sqs, queue));
    }

    private Task<(int Exit, string Output, string Error)> RunAsync(params string[] args) => CliRunner.RunAsync(Moto, output, args);

    [GeneratedRegex(@"^Started (arn:\S+)$", RegexOptions.Multiline)]
    private static partial Regex StartedArn();
}
