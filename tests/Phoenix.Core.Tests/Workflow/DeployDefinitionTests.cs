using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Phoenix.Asl;
using Phoenix.Core.Domain;

namespace Phoenix.Core.Tests.Workflow;

/// <summary>statemachines/deploy.asl.json: checked by the npm asl-validator, by its structure, and run on Phoenix.Asl.</summary>
public partial class DeployDefinitionTests
{
    private static readonly string[] LambdaErrors =
        ["Lambda.ServiceException", "Lambda.AWSLambdaException", "Lambda.SdkClientException", "Lambda.TooManyRequestsException"];

    /// <summary>States whose failure must roll back: from the first change (the launch template) up to Finalize.</summary>
    private static readonly string[] AfterFirstChange =
    [
        "UpdateLaunchTemplate", "ScaleUpGreen", "CheckHealth", "RequestApproval", "SwapTraffic", "CheckCanaryAlarms",
        "StartBakeTimeWatch", "WatchAlarms", "Finalize",
    ];

    private static readonly string[] BeforeAnyChange = ["Validate", "AcquireLock", "ResolveFleet", "PlanDryRun", "StartBake", "CheckBake"];

    [Fact]
    public async Task AslValidator_DeployDefinition_Passes()
    {
        var tool = Path.Combine(Repository.Root, "tests", "tools", "asl-validator");
        Assert.True(File.Exists(Path.Combine(tool, "node_modules", ".bin", "asl-validator")),
            $"asl-validator is not installed: run `npm ci` in {tool}.");
        var start = new ProcessStartInfo("node")
        {
            ArgumentList = { Path.Combine(tool, "node_modules", ".bin", "asl-validator"), "--json-path", Path.Combine(Repository.Root, "statemachines", "deploy.asl.json") },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };

        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.True(process.ExitCode == 0, $"asl-validator failed ({process.ExitCode}): {output}{errors}");
        Assert.Contains("is valid", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Placeholders_EveryStep_UsedAndNothingElse()
    {
        var text = File.ReadAllText(Repository.DeployDefinitionPath);
        var harness = new RegionHarness();

        var used = Placeholder().Matches(text).Select(m => m.Groups[1].Value).ToHashSet();

        Assert.Equal(harness.Catalog.Names.Order(), used.Order());
    }

    [Fact]
    public void TaskStates_Every_RetriesLambdaAndTransientErrors()
    {
        foreach (var (name, state) in Tasks())
        {
            var retried = state["Retry"]!.AsArray().SelectMany(r => r!["ErrorEquals"]!.AsArray().Select(e => (string)e!)).ToList();
            foreach (var error in LambdaErrors.Append("TransientFailure"))
            {
                Assert.True(retried.Contains(error), $"{name} does not retry {error}");
            }
        }
    }

    [Fact]
    public void TaskStates_AfterFirstChange_CatchToRollback()
    {
        var states = States();

        foreach (var name in AfterFirstChange)
        {
            var targets = states[name]!["Catch"]!.AsArray().Select(c => (string)c!["Next"]!).ToList();
            Assert.True(targets.SequenceEqual(["Rollback"]), $"{name} catches to {string.Join(", ", targets)}");
        }

        foreach (var name in BeforeAnyChange)
        {
            var targets = states[name]!["Catch"]!.AsArray().Select(c => (string)c!["Next"]!).ToList();
            Assert.DoesNotContain("Rollback", targets);
        }
    }

    [Fact]
    public void TaskStates_Every_HasComment()
    {
        foreach (var (name, state) in States())
        {
            Assert.False(string.IsNullOrWhiteSpace((string?)state!["Comment"]), $"{name} has no Comment");
        }
    }

    [Fact]
    public async Task Engine_HealthyCanaryDeployment_SucceedsWithGreenLive()
    {
        var harness = new RegionHarness();
        var image = harness.RegisterImage();

        var result = await RunAsync(harness, $$$"""
            {"application":"web","imageId":"{{{image}}}","source":{"commit":"abc"},
             "strategy":{"trafficSteps":[10,50,100],"stepWaitSeconds":30,"bakeTimeSeconds":120,"keepPreviousSeconds":60}}
            """);

        Assert.True(result.Status == ExecutionStatus.Succeeded, $"{result.Status}: {result.Error} {result.Cause}");
        var fleet = harness.Fleet;
        Assert.Equal((100, 3, image), (fleet.Green.Weight, fleet.Green.DesiredCapacity, fleet.Green.ImageId));
        Assert.Equal((0, 0), (fleet.Blue.Weight, fleet.Blue.DesiredCapacity));
        Assert.Null(harness.Region.PeekLock("web"));
        Assert.Equal(DeploymentResults.Deployed, Assert.Single(harness.Region.LedgerEntries("web")).Result);
        Assert.Contains(harness.Region.Published, m => m.Message.Contains("PhoenixDeploymentDEPLOYED", StringComparison.Ordinal));
        Assert.Contains(result.History, e => e.StateName == "CheckCanaryAlarms");
    }

    [Fact]
    public async Task Engine_BadImage_RollsBackAndFailsWithHealthCheckFailed()
    {
        var harness = new RegionHarness();
        var image = harness.RegisterImage(healthy: false);

        var result = await RunAsync(harness, $$$"""{"application":"web","imageId":"{{{image}}}","strategy":{"healthTimeoutSeconds":600}}""");

        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.True(result.Error == "HealthCheckFailed", $"{result.Error}: {result.Cause}");
        var fleet = harness.Fleet;
        Assert.Equal((100, 3, RegionHarness.InitialImage), (fleet.Blue.Weight, fleet.Blue.DesiredCapacity, fleet.Blue.ImageId));
        Assert.Equal((0, 0), (fleet.Green.Weight, fleet.Green.DesiredCapacity));
        Assert.Null(harness.Region.PeekLock("web"));
        var entry = Assert.Single(harness.Region.LedgerEntries("web"));
        Assert.Equal((DeploymentResults.RolledBack, "HealthCheckFailed"), (entry.Result, entry.Error));
    }

    [Fact]
    public async Task Engine_InvalidRequest_FailsBeforeAnyChange()
    {
        var harness = new RegionHarness();
        var before = harness.Snapshot();

        var result = await RunAsync(harness, """{"application":"web","imageId":"ami-nothex00","colour":"green"}""");

        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.True(result.Error == "InvalidDeploymentRequest", $"{result.Error}: {result.Cause}");
        Assert.Contains("unknown field 'colour'", result.Cause, StringComparison.Ordinal);
        Assert.Equal(before, harness.Snapshot());
        Assert.DoesNotContain(result.History, e => e.StateName is "AcquireLock" or "ReleaseLockAfterFailure");
    }

    [Fact]
    public async Task Engine_DryRun_ReportsPlanAndChangesNothing()
    {
        var harness = new RegionHarness();
        var image = harness.RegisterImage();
        var before = harness.Fleet;

        var result = await RunAsync(harness, $$$"""{"application":"web","imageId":"{{{image}}}","dryRun":true}""");
        var after = harness.Fleet;

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal("green", (string?)result.Output!["resolved"]!["plan"]!["targetColour"]);
        Assert.Equal((before.Blue, before.Green), (after.Blue, after.Green));
        Assert.Null(harness.Region.PeekLock("web"));
        Assert.Empty(harness.Region.LedgerEntries("web"));
        Assert.Contains("dry run", Assert.Single(harness.Region.Published).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Engine_LockHeldByAnotherExecution_FailsWithDeploymentLockedAndKeepsTheirLock()
    {
        var harness = new RegionHarness();
        var image = harness.RegisterImage();
        await harness.Ports.Locks.TryAcquireAsync("web", "arn:other", harness.Clock.GetUtcNow().AddHours(1), CancellationToken.None);
        var before = harness.Fleet;

        var result = await RunAsync(harness, $$$"""{"application":"web","imageId":"{{{image}}}"}""");

        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.True(result.Error == "DeploymentLocked", $"{result.Error}: {result.Cause}");
        Assert.Equal("arn:other", harness.Region.PeekLock("web")?.Owner);
        Assert.Equal((before.Blue, before.Green), (harness.Fleet.Blue, harness.Fleet.Green));
        // Its own ending: REFUSED, through no lock release (the lock is the other execution's).
        var entered = result.History.Where(e => e.Type.EndsWith("StateEntered", StringComparison.Ordinal)).Select(e => e.StateName).ToList();
        Assert.Equal(["Validate", "IsDryRun", "AcquireLock", "NotifyRefused", "DeploymentFailed"], entered);
        Assert.Contains("deployment refused, another deployment is running", Assert.Single(harness.Region.Published).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Engine_FirstDeploymentToEmptyFleet_SucceedsAtDefaultCapacity()
    {
        var harness = new RegionHarness(capacity: 2, initialCapacity: 0);
        var image = harness.RegisterImage();

        var result = await RunAsync(harness, $$$"""{"application":"web","imageId":"{{{image}}}","strategy":{"trafficSteps":[50,100]}}""");

        Assert.True(result.Status == ExecutionStatus.Succeeded, $"{result.Status}: {result.Error} {result.Cause}");
        Assert.Equal((100, 2, image), (harness.Fleet.Green.Weight, harness.Fleet.Green.DesiredCapacity, harness.Fleet.Green.ImageId));
    }

    [Fact]
    public async Task Engine_BakeFromCommit_DeploysTheBakedImage()
    {
        var harness = new RegionHarness();

        var result = await RunAsync(harness, """{"application":"web","source":{"commit":"abc","repository":"acme/web"},"strategy":{"bakeTimeSeconds":0}}""");

        Assert.True(result.Status == ExecutionStatus.Succeeded, $"{result.Status}: {result.Error} {result.Cause}");
        var baked = (string?)result.Output!["image"]!["imageId"];
        Assert.Equal(baked, harness.Fleet.Green.ImageId);
        Assert.NotEqual(RegionHarness.InitialImage, baked);
    }

    [Fact]
    public async Task Engine_ApprovalGranted_SwapsAfterTheAnswer()
    {
        var harness = new RegionHarness();
        var image = harness.RegisterImage();

        var result = await RunAsync(harness, $$$"""{"application":"web","imageId":"{{{image}}}","strategy":{"approval":true}}""",
            (execution, token) => execution.SendTaskSuccess(token, new JsonObject { ["approvedBy"] = "alice" }));

        Assert.True(result.Status == ExecutionStatus.Succeeded, $"{result.Status}: {result.Error} {result.Cause}");
        Assert.Equal("alice", (string?)result.Output!["approval"]!["approvedBy"]);
        Assert.Equal(100, harness.Fleet.Green.Weight);
        Assert.Contains(harness.Region.Published, m => m.Message.Contains("phoenix approve arn:aws:states:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Engine_ApprovalRejected_RollsBackWithoutMovingTraffic()
    {
        var harness = new RegionHarness();
        var image = harness.RegisterImage();

        var result = await RunAsync(harness, $$$"""{"application":"web","imageId":"{{{image}}}","strategy":{"approval":true}}""",
            (execution, token) => execution.SendTaskFailure(token, "ApprovalRejected", "not during the sale"));

        Assert.True(result.Error == "ApprovalRejected", $"{result.Error}: {result.Cause}");
        Assert.Equal("not during the sale", result.Cause);
        Assert.DoesNotContain(result.History, e => e.StateName == "SwapTraffic");
        Assert.Equal((100, 0), (harness.Fleet.Blue.Weight, harness.Fleet.Green.DesiredCapacity));
        Assert.Equal(DeploymentResults.RolledBack, Assert.Single(harness.Region.LedgerEntries("web")).Result);
    }

    [Fact]
    public async Task Engine_AlarmDuringBakeTime_RollsBackToBlue()
    {
        var harness = new RegionHarness(faults: new Phoenix.Cli.Simulation.FaultPlan { AlarmAfterSwap = TimeSpan.FromMinutes(30) });
        var image = harness.RegisterImage();

        var result = await RunAsync(harness, $$$"""{"application":"web","imageId":"{{{image}}}","strategy":{"stepWaitSeconds":0,"bakeTimeSeconds":3600}}""");

        var entered = result.History.Where(e => e.Type.EndsWith("StateEntered", StringComparison.Ordinal)).Select(e => $"{e.StateName}@{e.Timestamp:HH:mm:ss}").ToList();
        Assert.True(result.Error == "AlarmTriggered", $"{result.Error}: {result.Cause}");
        Assert.True(entered.Exists(e => e.StartsWith("WatchAlarms@", StringComparison.Ordinal)), string.Join(", ", entered));
        Assert.Equal((100, 3, 0), (harness.Fleet.Blue.Weight, harness.Fleet.Blue.DesiredCapacity, harness.Fleet.Green.DesiredCapacity));
        Assert.Null(harness.Region.PeekLock("web"));
    }

    /// <summary>
    /// Runs the definition on the harness's clock. <paramref name="answerApproval"/> answers the approval request five
    /// virtual minutes after it was published, as a person reading the chat message would.
    /// </summary>
    private static async Task<ExecutionResult> RunAsync(RegionHarness harness, string input, Action<AslExecution, string>? answerApproval = null)
    {
        var text = Placeholder().Replace(
            File.ReadAllText(Repository.DeployDefinitionPath), m => $"arn:aws:lambda:us-east-1:000000000000:function:phoenix-{m.Groups[1].Value}");
        var definition = StateMachineDefinition.Parse(text);
        var tasks = new TaskRegistry();
        // The answer's timer may fire on the clock's thread before Start has returned the execution to this one.
        var started = new TaskCompletionSource<AslExecution>(TaskCreationOptions.RunContinuationsAsynchronously);
        foreach (var step in harness.Catalog.Names)
        {
            tasks.Register($"phoenix-{step}", async (request, ct) =>
            {
                var output = await harness.Catalog.InvokeAsync(step, request.Input, ct);
                if (request.TaskToken is { } token && answerApproval is not null)
                {
                    harness.Clock.CreateTimer(_ => answerApproval(started.Task.GetAwaiter().GetResult(), token), null, TimeSpan.FromMinutes(5), Timeout.InfiniteTimeSpan);
                }

                return output;
            });
        }

        var execution = AslEngine.Start(definition, JsonNode.Parse(input), new ExecutionOptions
        {
            Time = harness.Clock,
            Tasks = tasks,
            ExecutionName = "deploy-1",
            StateMachineName = "phoenix-deploy",
        });
        started.SetResult(execution);
        return await execution.Completion.WaitAsync(TimeSpan.FromMinutes(1));
    }

    private static JsonObject States() =>
        JsonNode.Parse(File.ReadAllText(Repository.DeployDefinitionPath))!["States"]!.AsObject();

    private static IEnumerable<(string Name, JsonObject State)> Tasks() =>
        States().Where(s => (string?)s.Value!["Type"] == "Task").Select(s => (s.Key, s.Value!.AsObject()));

    [GeneratedRegex(@"\$\{(\w+)FunctionArn\}")]
    private static partial Regex Placeholder();
}
