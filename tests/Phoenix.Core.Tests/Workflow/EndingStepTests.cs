using System.Text.Json;
using System.Text.Json.Nodes;
using Phoenix.Core.Domain;
using Phoenix.Core.Ports;
using Phoenix.Core.Serialization;
using Phoenix.Core.Workflow;

namespace Phoenix.Core.Tests.Workflow;

/// <summary>The steps that end a deployment, one at a time: what each writes, keeps and resumes, and what Notify says.</summary>
public class EndingStepTests
{
    private static readonly IReadOnlyList<string> Suspended = FleetRestore.SuspendedDuringDeployment;

    [Fact]
    public async Task Finalize_WithRestorePoint_ResumesOnlyTheNewLiveColourAndKeepsTheRestorePoint()
    {
        var (h, request, plan, image) = await StartedAsync();
        var restore = await SuspendBothAsync(h);
        await SetTokenAsync(h, "token-1");

        await h.RunAsync<FinalizeInput, FinalizeOutput>("Finalize", new FinalizeInput(plan, request, image, h.Execution));

        Assert.Null(await SuspendedAsync(h, "phoenix-web-green"));
        Assert.Equal(Suspended.Order(), (await SuspendedAsync(h, "phoenix-web-blue"))!.Order());
        var entry = Assert.Single(h.Region.LedgerEntries("web"));
        Assert.Equal(DeploymentResults.Deployed, entry.Result);
        Assert.Equal(restore.TargetColour, entry.Restore?.TargetColour);
        Assert.Null(entry.ApprovalToken);
    }

    [Fact]
    public async Task ScaleDownPrevious_WithRestorePoint_HoldsPreviousAtZeroAndResumesOnlyIt()
    {
        var (h, _, plan, _) = await StartedAsync();
        await SuspendBothAsync(h);

        await h.RunAsync<ScaleDownPreviousInput, ScaleDownPreviousOutput>("ScaleDownPrevious", new ScaleDownPreviousInput(plan, h.Execution));

        Assert.Equal((0, 0, 0), (h.Fleet.Blue.MinSize, h.Fleet.Blue.MaxSize, h.Fleet.Blue.DesiredCapacity));
        Assert.Null(await SuspendedAsync(h, "phoenix-web-blue"));
        Assert.Equal(Suspended.Order(), (await SuspendedAsync(h, "phoenix-web-green"))!.Order());
    }

    [Fact]
    public async Task Rollback_WithRestorePoint_GivesBackPreviousMinSizeAndResumesBoth()
    {
        var (h, request, plan, image) = await StartedAsync();
        await SuspendBothAsync(h, previous: new Capacity(2, 6, 3));
        // Only the live group's MinSize pinned, as ScaleUpGreen leaves it.
        await h.Ports.AutoScaling.UpdateAutoScalingGroupAsync(new UpdateAutoScalingGroup("phoenix-web-blue", MinSize: 3, MaxSize: 6), CancellationToken.None);

        var output = await h.RunAsync<RollbackInput, RollbackOutput>(
            "Rollback", new RollbackInput(plan, request, image, h.Execution, new StepError("AlarmTriggered", "5xx")));

        Assert.Equal(DeploymentResults.RolledBack, output.Result);
        Assert.Equal((2, 6, 3), (h.Fleet.Blue.MinSize, h.Fleet.Blue.MaxSize, h.Fleet.Blue.DesiredCapacity));
        Assert.Equal((0, 0, 0), (h.Fleet.Green.MinSize, h.Fleet.Green.MaxSize, h.Fleet.Green.DesiredCapacity));
        Assert.Null(await SuspendedAsync(h, "phoenix-web-blue"));
        Assert.Null(await SuspendedAsync(h, "phoenix-web-green"));
        Assert.NotNull(Assert.Single(h.Region.LedgerEntries("web")).Restore);
    }

    [Fact]
    public async Task ReleaseLock_WarningAfterDeploy_RecordsItOnTheDeployedEntryAndReleases()
    {
        var (h, request, plan, image) = await StartedAsync();
        await h.RunAsync<FinalizeInput, FinalizeOutput>("Finalize", new FinalizeInput(plan, request, image, h.Execution));
        var input = new ReleaseLockInput("web", h.Execution, Warning: new StepError("TransientFailure", "Rate exceeded"));

        var output = await h.RunAsync<ReleaseLockInput, ReleaseLockOutput>("ReleaseLock", input);
        var again = await h.RunAsync<ReleaseLockInput, ReleaseLockOutput>("ReleaseLock", input);

        Assert.Equal((true, DeploymentResults.Deployed), (output.Released, output.LedgerResult));
        Assert.Equal((false, DeploymentResults.Deployed), (again.Released, again.LedgerResult));
        var entry = Assert.Single(h.Region.LedgerEntries("web"));
        Assert.Equal(DeploymentResults.Deployed, entry.Result);
        Assert.Contains("TransientFailure: Rate exceeded", entry.Warning, StringComparison.Ordinal);
        Assert.Null(h.Region.PeekLock("web"));
    }

    [Fact]
    public async Task Finalize_PreviousColourScaledOutUnseenBeforeTheSwap_RaisesTheNewColourToIt()
    {
        // A scaling policy grew blue seconds before the final traffic step, within the describe lag, so SwapTraffic sized
        // green from a stale answer. Finalize, minutes later, sees blue's settled desired and raises green to it.
        var (h, request, plan, image) = await StartedAsync();
        await h.Ports.AutoScaling.UpdateAutoScalingGroupAsync(new UpdateAutoScalingGroup("phoenix-web-blue", MaxSize: 6, DesiredCapacity: 5), CancellationToken.None);

        await h.RunAsync<FinalizeInput, FinalizeOutput>("Finalize", new FinalizeInput(plan, request, image, h.Execution));

        Assert.Equal(5, h.Fleet.Green.DesiredCapacity);
        Assert.True(h.Fleet.Green.MaxSize >= 5);
    }

    [Fact]
    public async Task Finalize_FirstDeploymentEmptyColourScaledOutUnseen_RaisesTheNewColourToIt()
    {
        // No previous colour, but a scaling policy gave the empty one instances right before the swap: green must carry them.
        var d = await StoppedDeployment.StartAsync(greenWeight: 100, initialCapacity: 0);
        await d.H.Ports.AutoScaling.UpdateAutoScalingGroupAsync(new UpdateAutoScalingGroup("phoenix-web-blue", MaxSize: 6, DesiredCapacity: 5), CancellationToken.None);

        await d.H.RunAsync<FinalizeInput, FinalizeOutput>("Finalize", new FinalizeInput(d.Plan, d.Request, d.Image, d.H.Execution));

        Assert.Equal(5, d.H.Fleet.Green.DesiredCapacity);
    }

    [Fact]
    public async Task ReleaseLock_WarningWhileTheLedgerRefusesWrites_ReleasesTheLockFirst()
    {
        // DynamoDB refuses PutItem for longer than the step's retries: the DEPLOYED entry misses its annotation (chat
        // carries the warning), but the lock does not stay held for hours, blocking the next deployment.
        var (h, request, plan, image) = await StartedAsync();
        await h.RunAsync<FinalizeInput, FinalizeOutput>("Finalize", new FinalizeInput(plan, request, image, h.Execution));
        var step = new ReleaseLockStep(h.Ports with { Ledger = new RefusingWrites(h.Ports.Ledger) }, h.Clock);

        await Assert.ThrowsAsync<TransientFailure>(() => step.ExecuteAsync(
            new ReleaseLockInput("web", h.Execution, Warning: new StepError("TransientFailure", "Rate exceeded")), CancellationToken.None));

        Assert.Null(h.Region.PeekLock("web"));
        Assert.Equal(DeploymentResults.Deployed, Assert.Single(h.Region.LedgerEntries("web")).Result);
    }

    private sealed class RefusingWrites(IDeploymentLedger inner) : IDeploymentLedger
    {
        public Task PutAsync(DeploymentRecord record, CancellationToken cancellationToken) =>
            throw new TransientFailure("ServiceUnavailable: PutItem is failing (test).");

        public Task<DeploymentRecord?> GetAsync(string application, string deploymentId, CancellationToken cancellationToken) =>
            inner.GetAsync(application, deploymentId, cancellationToken);

        public Task<IReadOnlyList<DeploymentRecord>> ListAsync(string application, int limit, CancellationToken cancellationToken) =>
            inner.ListAsync(application, limit, cancellationToken);
    }

    [Fact]
    public async Task RecordRollbackFailure_RunTwice_LedgerRollbackFailedAndLockHeldForDays()
    {
        var (h, request, plan, image) = await StartedAsync();
        await h.RunAsync<SwapTrafficInput, SwapTrafficOutput>("SwapTraffic", new SwapTrafficInput(plan, request, 2, 0));
        var input = new RecordRollbackFailureInput(
            plan, request, image, h.Execution, new StepError("AlarmTriggered", "5xx"), new StepError("States.Timeout", ""));

        await h.RunAsync<RecordRollbackFailureInput, RecordRollbackFailureOutput>("RecordRollbackFailure", input);
        var output = await h.RunAsync<RecordRollbackFailureInput, RecordRollbackFailureOutput>("RecordRollbackFailure", input);

        Assert.Equal(DeploymentResults.RollbackFailed, output.Result);
        var blue = h.Fleet.Blue;
        Assert.StartsWith($"traffic blue 0, green 100; blue group 'phoenix-web-blue' min {blue.MinSize} max {blue.MaxSize} desired 3 (3 InService)", output.Left, StringComparison.Ordinal);
        Assert.Equal(h.Clock.GetUtcNow().AddDays(RecordRollbackFailureStep.LockHoldDays), output.LockExpiresAt);
        Assert.Equal(h.Execution.Id, h.Region.PeekLock("web")!.Owner);
        var entry = Assert.Single(h.Region.LedgerEntries("web"));
        Assert.Equal((DeploymentResults.RollbackFailed, "AlarmTriggered", "5xx"), (entry.Result, entry.Error, entry.Cause));
        Assert.Contains("(States.Timeout: )", entry.Warning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RecordRollbackFailure_LockTakenByAnother_SaysSoAndStillRecords()
    {
        var (h, request, plan, image) = await StartedAsync();
        await h.RunAsync<ReleaseLockInput, ReleaseLockOutput>("ReleaseLock", new ReleaseLockInput("web", h.Execution));
        await h.Ports.Locks.TryAcquireAsync("web", "arn:other", h.Clock.GetUtcNow().AddHours(1), CancellationToken.None);

        var output = await h.RunAsync<RecordRollbackFailureInput, RecordRollbackFailureOutput>("RecordRollbackFailure", new RecordRollbackFailureInput(
            plan, request, image, h.Execution, new StepError("AlarmTriggered", "5xx"), new StepError("TransientFailure", "throttled")));

        Assert.Null(output.LockExpiresAt);
        Assert.Equal("arn:other", h.Region.PeekLock("web")!.Owner);
        Assert.Contains("The lock could not be kept: it is held by arn:other.", Assert.Single(h.Region.LedgerEntries("web")).Warning, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("FAILED", null, "deployment failed", "failed before any change to the fleet")]
    [InlineData("FAILED", "rollback", "deployment rolled back", "was rolled back; traffic is on blue")]
    [InlineData("ROLLBACK_FAILED", "rollbackFailure", "ROLLBACK FAILED, manual action needed", "What is left: traffic blue 0, green 100")]
    [InlineData("DEPLOYED", null, "is live", "replacing blue")]
    [InlineData("DEPLOYED", "scaleDownError", "is live (with a warning)", "scaling the previous colour (`phoenix-web-blue`) to 0 failed")]
    [InlineData("REJECTED", null, "deployment request rejected", "rejected before any change")]
    [InlineData("REFUSED", null, "deployment refused, another deployment is running", "another execution holds the deployment lock, and it, its lock and its ledger entry were left alone")]
    public async Task Notify_EveryOutcome_TitleAndTextMatchTheLedgersEndState(string outcome, string? extra, string title, string text)
    {
        var (h, _, plan, image) = await StartedAsync();
        var state = new JsonObject
        {
            ["request"] = JsonNode.Parse("""{"application":"web"}"""),
            ["resolved"] = new JsonObject { ["plan"] = JsonSerializer.SerializeToNode(plan, CoreJsonContext.Default.DeploymentPlan) },
            ["image"] = new JsonObject { ["imageId"] = image },
            ["error"] = new JsonObject { ["Error"] = "AlarmTriggered", ["Cause"] = "5xx" },
        };
        switch (extra)
        {
            case "rollback":
                state["rollback"] = new JsonObject { ["result"] = "ROLLED_BACK" };
                break;
            case "rollbackFailure":
                state["rollbackError"] = new JsonObject { ["Error"] = "TransientFailure", ["Cause"] = "throttled" };
                state["rollbackFailure"] = new JsonObject { ["left"] = "traffic blue 0, green 100; …", ["lockExpiresAt"] = "2027-01-01T00:00:00Z" };
                break;
            case "scaleDownError":
                state["scaleDownError"] = new JsonObject { ["Error"] = "TransientFailure", ["Cause"] = "throttled" };
                break;
        }

        if (outcome == "DEPLOYED")
        {
            state.Remove("error");
        }

        var output = await h.RunAsync<NotifyInput, NotifyOutput>("Notify", new NotifyInput(outcome, h.Execution, state));

        var content = JsonNode.Parse(Assert.Single(h.Region.Published).Message)!["content"]!;
        Assert.Contains(title, (string?)content["title"], StringComparison.Ordinal);
        Assert.Contains(text, (string?)content["description"], StringComparison.Ordinal);
        Assert.Equal(extra == "scaleDownError", output.Warning);
    }

    [Fact]
    public async Task Notify_RollbackFailedWithoutASurvey_ReadsTheFleetItself()
    {
        var (h, _, plan, _) = await StartedAsync();
        var state = new JsonObject
        {
            ["request"] = JsonNode.Parse("""{"application":"web"}"""),
            ["resolved"] = new JsonObject { ["plan"] = JsonSerializer.SerializeToNode(plan, CoreJsonContext.Default.DeploymentPlan) },
            ["error"] = new JsonObject { ["Error"] = "AlarmTriggered", ["Cause"] = "5xx" },
            ["rollbackError"] = new JsonObject { ["Error"] = "TransientFailure", ["Cause"] = "throttled" },
            ["recordError"] = new JsonObject { ["Error"] = "TransientFailure", ["Cause"] = "DynamoDB unavailable" },
        };

        await h.RunAsync<NotifyInput, NotifyOutput>("Notify", new NotifyInput("ROLLBACK_FAILED", h.Execution, state));

        var description = (string?)JsonNode.Parse(Assert.Single(h.Region.Published).Message)!["content"]!["description"];
        var blue = h.Fleet.Blue;
        Assert.Contains($"What is left: traffic blue 100, green 0; blue group 'phoenix-web-blue' min {blue.MinSize} max {blue.MaxSize} desired 3", description, StringComparison.Ordinal);
        Assert.Contains("did not release its deployment lock", description, StringComparison.Ordinal);
    }

    /// <summary>Lock taken, launch template updated, green scaled up and healthy (version 2): mid-deployment.</summary>
    private static async Task<(RegionHarness H, DeploymentRequest Request, DeploymentPlan Plan, string Image)> StartedAsync()
    {
        var h = new RegionHarness();
        var image = h.RegisterImage();
        var request = await h.ValidateAsync($$$"""{"application":"web","imageId":"{{{image}}}"}""");
        var plan = await h.ResolveAsync(request);
        await h.RunAsync<AcquireLockInput, AcquireLockOutput>("AcquireLock", new AcquireLockInput(request, h.Execution));
        var version = (await h.RunAsync<UpdateLaunchTemplateInput, UpdateLaunchTemplateOutput>(
            "UpdateLaunchTemplate", new UpdateLaunchTemplateInput(plan, image, h.Execution))).Version;
        await h.RunAsync<ScaleUpGreenInput, ScaleUpGreenOutput>("ScaleUpGreen", new ScaleUpGreenInput(plan, request));
        await h.WaitHealthyAsync(plan, version, TimeSpan.FromMinutes(20));
        return (h, request, plan, image);
    }

    /// <summary>What ScaleUpGreen records and suspends before its first change, so the endings are judged on their own.</summary>
    private static async Task<RestorePoint> SuspendBothAsync(RegionHarness h, Capacity? previous = null)
    {
        var restore = new RestorePoint("blue", previous ?? new Capacity(3, 6, 3), "green", new Dictionary<string, IReadOnlyList<string>>
        {
            ["phoenix-web-blue"] = Suspended,
            ["phoenix-web-green"] = Suspended,
        });
        var record = await h.Ports.Ledger.GetAsync("web", h.Execution.DeploymentId, CancellationToken.None);
        await h.Ports.Ledger.PutAsync(record! with { Restore = restore }, CancellationToken.None);
        foreach (var (group, processes) in restore.SuspendedProcesses)
        {
            await h.Ports.AutoScaling.SuspendProcessesAsync(group, processes, CancellationToken.None);
        }

        return restore;
    }

    private static async Task SetTokenAsync(RegionHarness h, string token)
    {
        var record = await h.Ports.Ledger.GetAsync("web", h.Execution.DeploymentId, CancellationToken.None);
        await h.Ports.Ledger.PutAsync(record! with { ApprovalToken = token }, CancellationToken.None);
    }

    private static async Task<IReadOnlyList<string>?> SuspendedAsync(RegionHarness h, string group) =>
        (await h.Ports.AutoScaling.DescribeAutoScalingGroupAsync(group, CancellationToken.None))!.SuspendedProcesses;
}
