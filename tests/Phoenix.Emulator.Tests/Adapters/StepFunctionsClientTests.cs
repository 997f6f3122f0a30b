using Phoenix.Aws.StepFunctions;
using Phoenix.Aws.StepFunctions.Model;
using Phoenix.Emulator.Tests.Support;
using Xunit.Abstractions;

namespace Phoenix.Emulator.Tests.Adapters;

/// <summary>Every Step Functions operation Phoenix calls (the CLI and deploy --local), with the errors it maps.</summary>
public sealed class StepFunctionsClientTests(MotoServer moto, ITestOutputHelper output) : EmulatorTest(moto)
{
    [EmulatorFact]
    public async Task StartAndDescribe_PassMachine_SucceedsWithItsInput()
    {
        await Moto.SetStepFunctionsExecutionAsync(true);
        var machine = await StateMachines.CreateAsync(Moto, "phoenix-deploy", StateMachines.Passes);
        using var client = Moto.Clients().StepFunctions();

        var started = await client.StartExecutionAsync(new StartExecutionRequest { StateMachineArn = machine, Name = "web-1", Input = "{\"application\":\"web\"}" });
        var described = await WaitAsync(client, started.ExecutionArn!);

        Assert.Equal($"arn:aws:states:{MotoServer.RegionName}:{MotoServer.Account}:execution:phoenix-deploy:web-1", started.ExecutionArn);
        Assert.Equal(("SUCCEEDED", "web-1", machine), (described.Status, described.Name, described.StateMachineArn));
        Assert.Equal("{\"application\":\"web\"}", described.Input);
        Assert.NotNull(described.StopDate);
        Assert.True(described.StopDate >= described.StartDate);
    }

    [EmulatorFact]
    public async Task StartExecution_WithoutName_GetsAGeneratedUniqueName()
    {
        await Moto.SetStepFunctionsExecutionAsync(true);
        var machine = await StateMachines.CreateAsync(Moto, "phoenix-deploy", StateMachines.Passes);
        using var client = Moto.Clients().StepFunctions();

        var started = await client.StartExecutionAsync(new StartExecutionRequest { StateMachineArn = machine, Input = "{}" });
        var name = started.ExecutionArn![(started.ExecutionArn!.LastIndexOf(':') + 1)..];

        if (name == "None")
        {
            MotoGap.StartExecutionWithoutName.Met(output);
            return;
        }

        Assert.True(Guid.TryParse(name, out _), $"'{name}' is not a generated (UUID) name.");
    }

    [EmulatorFact]
    public async Task StartExecution_SameNameTwiceWithOtherInput_ThrowsExecutionAlreadyExists()
    {
        var machine = await StateMachines.CreateAsync(Moto, "phoenix-deploy", StateMachines.Passes);
        using var client = Moto.Clients().StepFunctions();
        await client.StartExecutionAsync(new StartExecutionRequest { StateMachineArn = machine, Name = "web-1", Input = "{\"a\":1}" });

        var error = await Assert.ThrowsAsync<ExecutionAlreadyExistsException>(() =>
            client.StartExecutionAsync(new StartExecutionRequest { StateMachineArn = machine, Name = "web-1", Input = "{\"a\":2}" }));

        Assert.Equal("ExecutionAlreadyExists", error.ErrorCode);
    }

    [EmulatorFact]
    public async Task StartExecution_UnknownStateMachine_ThrowsStateMachineDoesNotExist()
    {
        using var client = Moto.Clients().StepFunctions();

        var error = await Assert.ThrowsAsync<StateMachineDoesNotExistException>(() => client.StartExecutionAsync(new StartExecutionRequest
        {
            StateMachineArn = $"arn:aws:states:{MotoServer.RegionName}:{MotoServer.Account}:stateMachine:nobody",
            Input = "{}",
        }));

        Assert.Equal("StateMachineDoesNotExist", error.ErrorCode);
    }

    [EmulatorFact]
    public async Task DescribeExecution_UnknownExecution_ThrowsExecutionDoesNotExist()
    {
        await StateMachines.CreateAsync(Moto, "phoenix-deploy", StateMachines.Passes);
        using var client = Moto.Clients().StepFunctions();

        var error = await Assert.ThrowsAsync<ExecutionDoesNotExistException>(() => client.DescribeExecutionAsync(new DescribeExecutionRequest
        {
            ExecutionArn = $"arn:aws:states:{MotoServer.RegionName}:{MotoServer.Account}:execution:phoenix-deploy:nobody",
        }));

        Assert.Equal("ExecutionDoesNotExist", error.ErrorCode);
    }

    [EmulatorFact]
    public async Task DescribeExecution_MalformedArn_ThrowsInvalidArn()
    {
        using var client = Moto.Clients().StepFunctions();

        var error = await Assert.ThrowsAsync<InvalidArnException>(() => client.DescribeExecutionAsync(new DescribeExecutionRequest { ExecutionArn = "not-an-arn" }));

        Assert.Equal("InvalidArn", error.ErrorCode);
    }

    [EmulatorFact]
    public async Task GetExecutionHistory_SmallPages_FollowsNextTokenToTheWholeHistory()
    {
        await Moto.SetStepFunctionsExecutionAsync(true);
        var machine = await StateMachines.CreateAsync(Moto, "phoenix-deploy", StateMachines.Passes);
        using var client = Moto.Clients().StepFunctions();
        var execution = (await client.StartExecutionAsync(new StartExecutionRequest { StateMachineArn = machine, Input = "{}" })).ExecutionArn!;
        await WaitAsync(client, execution);

        var events = new List<HistoryEvent>();
        var pages = 0;
        string? token = null;
        do
        {
            var page = await client.GetExecutionHistoryAsync(new GetExecutionHistoryRequest { ExecutionArn = execution, MaxResults = 3, NextToken = token });
            events.AddRange(page.Events!);
            token = page.NextToken;
            pages++;
        }
        while (token is not null && pages < 20);

        Assert.Equal(
            ["ExecutionStarted", "PassStateEntered", "PassStateExited", "PassStateEntered", "PassStateExited", "PassStateEntered", "PassStateExited", "ExecutionSucceeded"],
            events.Select(e => e.Type));
        Assert.Equal(["Validate", "ResolveFleet", "Notify"], events.Where(e => e.Type == "PassStateEntered").Select(e => e.StateEnteredEventDetails!.Name));
        Assert.Equal(Enumerable.Range(1, 8).Select(i => (long?)i), events.Select(e => e.Id));
        if (pages == 1)
        {
            MotoGap.ExecutionHistoryMaxResults.Met(output);
            return;
        }

        Assert.Equal(3, pages);
    }

    [EmulatorFact]
    public async Task GetExecutionHistory_RecordingOnly_IsCannedAndPrecedesTheStart()
    {
        var machine = await StateMachines.CreateAsync(Moto, "phoenix-deploy", StateMachines.Passes);
        using var client = Moto.Clients().StepFunctions();
        var execution = (await client.StartExecutionAsync(new StartExecutionRequest { StateMachineArn = machine, Input = "{}" })).ExecutionArn!;

        var described = await client.DescribeExecutionAsync(new DescribeExecutionRequest { ExecutionArn = execution });
        var history = await client.GetExecutionHistoryAsync(new GetExecutionHistoryRequest { ExecutionArn = execution });

        // On AWS an execution's first event is ExecutionStarted at its start date, and nothing precedes it.
        Assert.NotEmpty(history.Events!);
        if (history.Events![0].Timestamp < described.StartDate || history.Events[0].Type != "ExecutionStarted")
        {
            MotoGap.StepFunctionsCannedHistory.Met(output);
            return;
        }

        Assert.All(history.Events, e => Assert.True(e.Timestamp >= described.StartDate));
    }

    [EmulatorFact]
    public async Task ListExecutions_ByStatus_ListsTheMachinesExecutions()
    {
        await Moto.SetStepFunctionsExecutionAsync(true);
        var machine = await StateMachines.CreateAsync(Moto, "phoenix-deploy", StateMachines.Passes);
        using var client = Moto.Clients().StepFunctions();
        var first = (await client.StartExecutionAsync(new StartExecutionRequest { StateMachineArn = machine, Name = "web-1", Input = "{}" })).ExecutionArn!;
        var second = (await client.StartExecutionAsync(new StartExecutionRequest { StateMachineArn = machine, Name = "web-2", Input = "{}" })).ExecutionArn!;
        await WaitAsync(client, first);
        await WaitAsync(client, second);

        var listed = await client.ListExecutionsAsync(new ListExecutionsRequest { StateMachineArn = machine, StatusFilter = "SUCCEEDED" });
        var running = await client.ListExecutionsAsync(new ListExecutionsRequest { StateMachineArn = machine, StatusFilter = "RUNNING" });

        Assert.Equal([first, second], listed.Executions!.Select(e => e.ExecutionArn!).Order(StringComparer.Ordinal));
        Assert.Empty(running.Executions ?? []);
    }

    [EmulatorFact]
    public async Task StopExecution_Running_AbortsWithErrorAndCause()
    {
        // Recording mode: with execution on, moto answers StopExecution with {} and the execution keeps RUNNING.
        var machine = await StateMachines.CreateAsync(Moto, "phoenix-deploy", StateMachines.Passes);
        using var client = Moto.Clients().StepFunctions();
        var execution = (await client.StartExecutionAsync(new StartExecutionRequest { StateMachineArn = machine, Name = "web-1", Input = "{}" })).ExecutionArn!;

        var stopped = await client.StopExecutionAsync(new StopExecutionRequest { ExecutionArn = execution, Error = "DeploymentInterrupted", Cause = "Ctrl-C" });
        var described = await client.DescribeExecutionAsync(new DescribeExecutionRequest { ExecutionArn = execution });

        Assert.NotNull(stopped.StopDate);
        Assert.Equal(("ABORTED", stopped.StopDate), (described.Status, described.StopDate));
        if (described.Error is null)
        {
            MotoGap.StopExecutionDropsErrorAndCause.Met(output);
            return;
        }

        Assert.Equal(("DeploymentInterrupted", "Ctrl-C"), (described.Error, described.Cause));
    }

    [EmulatorFact]
    public async Task SendTaskSuccess_RealToken_CompletesTheWaitingExecution()
    {
        await Moto.SetStepFunctionsExecutionAsync(true);
        using var sqs = EmulatorFleet.CreateSqsClient(Moto);
        var queue = (await sqs.CreateQueueAsync("approvals")).QueueUrl;
        var machine = await StateMachines.CreateAsync(Moto, "phoenix-deploy", StateMachines.Approval(queue));
        using var client = Moto.Clients().StepFunctions();
        var execution = (await client.StartExecutionAsync(new StartExecutionRequest { StateMachineArn = machine, Input = "{}" })).ExecutionArn!;
        var token = await StateMachines.ReceiveTaskTokenAsync(sqs, queue);

        await client.SendTaskSuccessAsync(new SendTaskSuccessRequest { TaskToken = token, Output = "{\"approved\":true}" });
        var described = await WaitAsync(client, execution);

        Assert.Equal("SUCCEEDED", described.Status);
        Assert.Equal("{\"approved\":true}", described.Output?.Replace(" ", string.Empty, StringComparison.Ordinal));
    }

    [EmulatorFact]
    public async Task SendTaskFailure_ApprovalRejected_IsCaughtLikeTheWorkflowDoes()
    {
        await Moto.SetStepFunctionsExecutionAsync(true);
        using var sqs = EmulatorFleet.CreateSqsClient(Moto);
        var queue = (await sqs.CreateQueueAsync("approvals")).QueueUrl;
        var machine = await StateMachines.CreateAsync(Moto, "phoenix-deploy", StateMachines.Approval(queue));
        using var client = Moto.Clients().StepFunctions();
        var execution = (await client.StartExecutionAsync(new StartExecutionRequest { StateMachineArn = machine, Input = "{}" })).ExecutionArn!;
        var token = await StateMachines.ReceiveTaskTokenAsync(sqs, queue);

        await client.SendTaskFailureAsync(new SendTaskFailureRequest { TaskToken = token, Error = "ApprovalRejected", Cause = "error budget spent" });
        var described = await WaitAsync(client, execution);

        Assert.Equal(("FAILED", "DeploymentRejected"), (described.Status, described.Error));
    }

    [EmulatorTheory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task SendTask_UnknownToken_ThrowsInvalidToken(bool success)
    {
        await Moto.SetStepFunctionsExecutionAsync(true);
        using var client = Moto.Clients().StepFunctions();

        var error = success
            ? await Assert.ThrowsAsync<InvalidTokenException>(() => client.SendTaskSuccessAsync(new SendTaskSuccessRequest { TaskToken = "AQCEAAAAKgAAAA", Output = "{}" }))
            : await Assert.ThrowsAsync<InvalidTokenException>(() => client.SendTaskFailureAsync(new SendTaskFailureRequest { TaskToken = "AQCEAAAAKgAAAA", Error = "ApprovalRejected" }));

        Assert.Equal("InvalidToken", error.ErrorCode);
    }

    /// <summary>Polls (bounded) until the execution leaves RUNNING: moto runs it on a background thread.</summary>
    public static async Task<DescribeExecutionResponse> WaitAsync(AmazonStepFunctionsClient client, string executionArn)
    {
        ArgumentNullException.ThrowIfNull(client);
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var described = await client.DescribeExecutionAsync(new DescribeExecutionRequest { ExecutionArn = executionArn });
            if (described.Status != "RUNNING")
            {
                return described;
            }

            await Task.Delay(100);
        }

        throw new InvalidOperationException($"Execution {executionArn} still RUNNING after 10 s.");
    }
}
