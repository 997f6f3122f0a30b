using System.Text.Json.Nodes;
using Phoenix.Asl;
using Phoenix.Cli.Simulation;
using Phoenix.Core.Domain;
using Phoenix.Core.Ports;
using Phoenix.Core.Workflow;

namespace Phoenix.Core.Tests.Workflow;

/// <summary>
/// How whole executions of deploy.asl.json end when their last steps fail (issue 11, item 2): the ledger, the lock, the
/// chat message and the execution's own result must tell the same, true story.
/// </summary>
public class EndStateTests
{
    [Fact]
    public async Task Engine_RollbackFailsForGood_EndsRollbackFailedKeepsLockAndAlertsWithWhatIsLeft()
    {
        var harness = new RegionHarness(faults: new FaultPlan { AlarmAfterSwap = TimeSpan.FromMinutes(2) });
        var image = harness.RegisterImage();

        var (result, calls) = await WorkflowRunner.RunAsync(
            harness,
            $$$"""{"application":"web","imageId":"{{{image}}}","strategy":{"bakeTimeSeconds":600}}""",
            before: (step, _) => step == "Rollback" ? throw new TaskFailedException("TransientFailure", "Rate exceeded (ModifyListener)") : Task.CompletedTask);

        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Equal("RollbackFailed", result.Error);
        Assert.Contains("AlarmTriggered", result.Cause, StringComparison.Ordinal);
        Assert.Contains("TransientFailure", result.Cause, StringComparison.Ordinal);
        Assert.Equal(1 + TransientRetries("Rollback"), calls.Count(c => c.Step == "Rollback"));
        Assert.DoesNotContain("ReleaseLockAfterFailure", WorkflowRunner.Entered(result));

        var entry = Assert.Single(harness.Region.LedgerEntries("web"));
        Assert.Equal((DeploymentResults.RollbackFailed, "AlarmTriggered"), (entry.Result, entry.Error));
        Assert.Contains("Manual action needed", entry.Warning, StringComparison.Ordinal);
        Assert.Contains("traffic blue 0, green 100", entry.Warning, StringComparison.Ordinal);
        var green = harness.Fleet.Green;
        Assert.Contains($"green group 'phoenix-web-green' min {green.MinSize} max {green.MaxSize} desired 3 (3 InService)", entry.Warning, StringComparison.Ordinal);
        Assert.Contains("Rate exceeded (ModifyListener)", entry.Warning, StringComparison.Ordinal);

        var held = harness.Region.PeekLock("web");
        Assert.NotNull(held);
        Assert.EndsWith(":" + WorkflowRunner.ExecutionName, held.Owner, StringComparison.Ordinal);
        Assert.True(held.ExpiresAt >= harness.Clock.GetUtcNow().AddDays(RecordRollbackFailureStep.LockHoldDays - 1), $"lock expires {held.ExpiresAt:O}");

        var alert = JsonNode.Parse(Assert.Single(harness.Region.Published, m => m.Id == "result").Message)!;
        Assert.Equal("PhoenixDeploymentROLLBACK_FAILED", (string?)alert["metadata"]!["eventType"]);
        Assert.Contains("manual action needed", (string?)alert["content"]!["title"], StringComparison.Ordinal);
        var description = (string)alert["content"]!["description"]!;
        Assert.Contains("What is left: traffic blue 0, green 100", description, StringComparison.Ordinal);
        Assert.Contains("stays held", description, StringComparison.Ordinal);
        var nextSteps = alert["content"]!["nextSteps"]!.AsArray().Select(s => (string)s!).ToList();
        Assert.Contains(nextSteps, s => s.Contains("100% of the listener's traffic on blue", StringComparison.Ordinal));
        Assert.Contains(nextSteps, s => s.Contains("`phoenix-web-green` to min = max = desired = 0", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Engine_RollbackSucceeds_LedgerRolledBackLockReleasedAndIdleAtZero()
    {
        var harness = new RegionHarness(faults: new FaultPlan { AlarmAfterSwap = TimeSpan.FromMinutes(2) });
        var image = harness.RegisterImage();

        var (result, _) = await WorkflowRunner.RunAsync(harness, $$$"""{"application":"web","imageId":"{{{image}}}","strategy":{"bakeTimeSeconds":600}}""");

        Assert.Equal(("AlarmTriggered", ExecutionStatus.Failed), (result.Error, result.Status));
        Assert.Equal((DeploymentResults.RolledBack, "AlarmTriggered"), (harness.Region.LedgerEntries("web")[0].Result, harness.Region.LedgerEntries("web")[0].Error));
        Assert.Null(harness.Region.PeekLock("web"));
        var green = harness.Fleet.Green;
        Assert.Equal((0, 0, 0, 0), (green.Weight, green.MinSize, green.MaxSize, green.DesiredCapacity));
        var message = JsonNode.Parse(Assert.Single(harness.Region.Published).Message)!;
        Assert.Equal("PhoenixDeploymentROLLED_BACK", (string?)message["metadata"]!["eventType"]);
    }

    [Fact]
    public async Task Engine_ScaleDownPreviousFailsForGood_DeployedWithWarningAndSucceeds()
    {
        var harness = new RegionHarness();
        var image = harness.RegisterImage();

        var (result, calls) = await WorkflowRunner.RunAsync(
            harness,
            $$$"""{"application":"web","imageId":"{{{image}}}","strategy":{"bakeTimeSeconds":0,"keepPreviousSeconds":0}}""",
            before: (step, _) => step == "ScaleDownPrevious" ? throw new TaskFailedException("TransientFailure", "Rate exceeded (UpdateAutoScalingGroup)") : Task.CompletedTask);

        Assert.True(result.Status == ExecutionStatus.Succeeded, $"{result.Status}: {result.Error} {result.Cause}");
        Assert.Equal(6, calls.Count(c => c.Step == "ScaleDownPrevious"));
        var entry = Assert.Single(harness.Region.LedgerEntries("web"));
        Assert.Equal((DeploymentResults.Deployed, image), (entry.Result, entry.ImageId));
        Assert.Contains("scaling the previous colour to 0 failed", entry.Warning, StringComparison.Ordinal);
        Assert.Contains("Rate exceeded (UpdateAutoScalingGroup)", entry.Warning, StringComparison.Ordinal);
        Assert.Null(harness.Region.PeekLock("web"));
        Assert.Equal((100, 3), (harness.Fleet.Green.Weight, harness.Fleet.Green.DesiredCapacity));

        var message = JsonNode.Parse(Assert.Single(harness.Region.Published).Message)!;
        Assert.Equal("PhoenixDeploymentDEPLOYED_WITH_WARNING", (string?)message["metadata"]!["eventType"]);
        Assert.Contains("(with a warning)", (string?)message["content"]!["title"], StringComparison.Ordinal);
        var description = (string)message["content"]!["description"]!;
        Assert.Contains("is live", description, StringComparison.Ordinal);
        Assert.DoesNotContain("before any change", description, StringComparison.Ordinal);
        Assert.Contains("--auto-scaling-group-name phoenix-web-blue --min-size 0 --max-size 0 --desired-capacity 0", message.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Engine_ReleaseLockFailsAfterDeploy_DeployedAndTheChatSaysTheLockIsHeld()
    {
        var harness = new RegionHarness();
        var image = harness.RegisterImage();

        var (result, _) = await WorkflowRunner.RunAsync(
            harness,
            $$$"""{"application":"web","imageId":"{{{image}}}","strategy":{"bakeTimeSeconds":0,"keepPreviousSeconds":0}}""",
            before: (step, _) => step == "ReleaseLock" ? throw new TaskFailedException("TransientFailure", "DynamoDB unavailable") : Task.CompletedTask);

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal(DeploymentResults.Deployed, Assert.Single(harness.Region.LedgerEntries("web")).Result);
        var message = Assert.Single(harness.Region.Published).Message;
        Assert.Contains("the deployment lock could not be released", message, StringComparison.Ordinal);
        Assert.DoesNotContain("deployment failed", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Engine_Deployed_IdleColourHeldAtZeroAndScalingResumedOnBoth()
    {
        var harness = new RegionHarness();
        var image = harness.RegisterImage();
        var restore = new RestorePoint("blue", new Capacity(3, 6, 3), "green", new Dictionary<string, IReadOnlyList<string>>
        {
            ["phoenix-web-blue"] = FleetRestore.SuspendedDuringDeployment,
            ["phoenix-web-green"] = FleetRestore.SuspendedDuringDeployment,
        });

        // The restore point and suspensions as ScaleUpGreen leaves them, so the endings are judged on their own.
        var (result, _) = await WorkflowRunner.RunAsync(
            harness,
            $$$"""{"application":"web","imageId":"{{{image}}}","strategy":{"bakeTimeSeconds":0,"keepPreviousSeconds":0}}""",
            after: async (step, _, _) =>
            {
                if (step == "ScaleUpGreen")
                {
                    await SuspendBothAsync(harness, restore);
                }
            });

        Assert.True(result.Status == ExecutionStatus.Succeeded, $"{result.Status}: {result.Error} {result.Cause}");
        var blue = harness.Fleet.Blue;
        Assert.Equal((0, 0, 0, 0), (blue.Weight, blue.MinSize, blue.MaxSize, blue.DesiredCapacity));
        Assert.Null(await SuspendedAsync(harness, "phoenix-web-blue"));
        Assert.Null(await SuspendedAsync(harness, "phoenix-web-green"));
    }

    [Fact]
    public async Task Engine_RolledBack_ScalingResumedOnBothAndPreviousMinSizeBack()
    {
        var harness = new RegionHarness(faults: new FaultPlan { AlarmAfterSwap = TimeSpan.FromMinutes(2) });
        var image = harness.RegisterImage();
        var restore = new RestorePoint("blue", new Capacity(2, 6, 3), "green", new Dictionary<string, IReadOnlyList<string>>
        {
            ["phoenix-web-blue"] = FleetRestore.SuspendedDuringDeployment,
            ["phoenix-web-green"] = FleetRestore.SuspendedDuringDeployment,
        });

        var (result, _) = await WorkflowRunner.RunAsync(
            harness,
            $$$"""{"application":"web","imageId":"{{{image}}}","strategy":{"bakeTimeSeconds":600}}""",
            after: async (step, _, _) =>
            {
                if (step == "ScaleUpGreen")
                {
                    await SuspendBothAsync(harness, restore);
                }
            });

        Assert.Equal("AlarmTriggered", result.Error);
        Assert.Equal((100, 2, 3), (harness.Fleet.Blue.Weight, harness.Fleet.Blue.MinSize, harness.Fleet.Blue.DesiredCapacity));
        Assert.Null(await SuspendedAsync(harness, "phoenix-web-blue"));
        Assert.Null(await SuspendedAsync(harness, "phoenix-web-green"));
        Assert.Equal(DeploymentResults.RolledBack, Assert.Single(harness.Region.LedgerEntries("web")).Result);
    }

    private static async Task SuspendBothAsync(RegionHarness harness, RestorePoint restore)
    {
        var ledger = harness.Ports.Ledger;
        var record = await ledger.GetAsync("web", WorkflowRunner.ExecutionName, CancellationToken.None);
        await ledger.PutAsync(record! with { Restore = restore }, CancellationToken.None);
        foreach (var (group, processes) in restore.SuspendedProcesses)
        {
            await harness.Ports.AutoScaling.SuspendProcessesAsync(group, processes, CancellationToken.None);
        }
    }

    private static async Task<IReadOnlyList<string>?> SuspendedAsync(RegionHarness harness, string group) =>
        (await harness.Ports.AutoScaling.DescribeAutoScalingGroupAsync(group, CancellationToken.None))!.SuspendedProcesses;

    /// <summary>MaxAttempts of the state's TransientFailure retrier in the shipped definition.</summary>
    private static int TransientRetries(string state) =>
        JsonNode.Parse(File.ReadAllText(Repository.DeployDefinitionPath))!["States"]![state]!["Retry"]!.AsArray()
            .Single(r => r!["ErrorEquals"]!.AsArray().Any(e => e!.GetValue<string>() == "TransientFailure"))!["MaxAttempts"]!.GetValue<int>();
}
