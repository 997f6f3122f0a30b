using Phoenix.Asl;
using Phoenix.Cli.Simulation;
using Phoenix.Core.Domain;

namespace Phoenix.Cli.Tests.Simulation;

public class ScenarioTests
{
    private const int Instances = 3;

    public static TheoryData<string> BuiltInScenarios()
    {
        var data = new TheoryData<string>();
        foreach (var scenario in ScenarioCatalog.BuiltIn)
        {
            data.Add(scenario.Name);
        }

        return data;
    }

    private static async Task<SimulationResult> RunAsync(string name, ScenarioParameters? parameters = null)
    {
        var scenario = Assert.Single(ScenarioCatalog.BuiltIn, s => s.Name == name);
        return await DeploymentSimulation.RunAsync(scenario.Build(parameters ?? new ScenarioParameters(Instances)));
    }

    [Fact]
    public void BuiltIn_IssueScenarios_AllPresent()
    {
        string[] required = ["healthy", "bad-image", "slow-boot", "bake-fails", "alarm-after-swap", "throttling", "step-crash", "concurrent", "first-deploy", "canary", "approval", "dry-run"];

        Assert.Empty(required.Except(ScenarioCatalog.BuiltIn.Select(s => s.Name)));
        Assert.Equal("healthy", ScenarioCatalog.DefaultScenario);
    }

    [Theory]
    [MemberData(nameof(BuiltInScenarios))]
    public async Task Run_EachScenario_EndsAsExpectedWithTheInvariantHeldAndTheLockReleased(string name)
    {
        var scenario = Assert.Single(ScenarioCatalog.BuiltIn, s => s.Name == name);

        var result = await DeploymentSimulation.RunAsync(scenario.Build(new ScenarioParameters(Instances)));

        Assert.Equal(scenario.Expected, result.Outcome);
        Assert.Empty(result.Violations);
        Assert.Equal(result.Violations, SafetyInvariant.Check(result.Timeline));
        var final = result.FinalFleet;
        switch (result.Outcome)
        {
            case SimulationOutcome.RollbackFailed:
                Assert.Equal(result.ExecutionArn, result.Lock?.Owner);
                return;
            case SimulationOutcome.Aborted:
                Assert.Null(result.Lock);
                return;
            default:
                Assert.Null(result.Lock);
                break;
        }

        switch (result.Outcome)
        {
            case SimulationOutcome.Deployed:
                AssertNewImageLive(result);
                break;
            case SimulationOutcome.Failed when result.LedgerEntry is null:
                // Refused by Validate (a warm pool, an alarm already firing): no lock, no ledger entry, nothing changed.
                Assert.DoesNotContain(result.Execution.History, e => e.StateName == "AcquireLock");
                Assert.Equal(result.InitialFleet with { At = final.At }, final);
                break;
            case SimulationOutcome.Failed:
                AssertOldImageLive(result);
                break;
            default:
                Assert.Equal(result.InitialFleet with { At = final.At }, final);
                Assert.Empty(result.Ledger);
                break;
        }
    }

    /// <summary>The new image serves all traffic from green at full capacity; blue is empty; the ledger says so.</summary>
    internal static void AssertNewImageLive(SimulationResult result)
    {
        var green = result.FinalFleet.Green;
        // At least the requested capacity: green follows the live group when it scaled out during the deployment.
        var capacity = Math.Max(result.Setup.Capacity, green.DesiredCapacity);
        Assert.Equal(Colour.Green, result.LiveColour);
        Assert.Equal((100, capacity, capacity, capacity), (green.Weight, green.DesiredCapacity, green.InService, green.HealthyTargets));
        Assert.Equal(result.NewImageId, green.ImageId);
        Assert.Equal("2", green.LaunchTemplateVersion);
        Assert.Equal([1L, 2L], result.Region.LaunchTemplateVersions(result.Topology.Green.LaunchTemplateId));
        Assert.Equal([1L], result.Region.LaunchTemplateVersions(result.Topology.Blue.LaunchTemplateId));
        Assert.Equal((0, 0, 0, 0), (result.FinalFleet.Blue.Weight, result.FinalFleet.Blue.DesiredCapacity, result.FinalFleet.Blue.InService, result.FinalFleet.Blue.Terminating));
        var entry = Assert.IsType<Phoenix.Core.Ports.DeploymentRecord>(result.LedgerEntry);
        Assert.Equal(DeploymentResults.Deployed, entry.Result);
        Assert.Equal(result.NewImageId, entry.ImageId);
        Assert.Equal("green", entry.Colour);
        Assert.Equal(result.Setup.InitialCapacity == 0 ? null : result.Setup.InitialImageId, entry.PreviousImageId);
        Assert.NotNull(entry.FinishedAt);
    }

    /// <summary>The old image serves all traffic from blue at full capacity; green is at 0; the ledger records the failure.</summary>
    internal static void AssertOldImageLive(SimulationResult result)
    {
        var blue = result.FinalFleet.Blue;
        var capacity = result.Setup.InitialCapacity ?? result.Setup.Capacity;
        Assert.Equal(Colour.Blue, result.LiveColour);
        Assert.Equal((100, capacity, capacity, capacity), (blue.Weight, blue.DesiredCapacity, blue.InService, blue.HealthyTargets));
        Assert.Equal(result.Setup.InitialImageId, blue.ImageId);
        Assert.Equal(result.InitialFleet.Blue with { }, blue with { });
        var green = result.FinalFleet.Green;
        Assert.Equal((0, 0, 0, 0), (green.Weight, green.DesiredCapacity, green.InService, green.Terminating));
        Assert.Equal([1L], result.Region.LaunchTemplateVersions(result.Topology.Blue.LaunchTemplateId));
        var entry = Assert.IsType<Phoenix.Core.Ports.DeploymentRecord>(result.LedgerEntry);
        Assert.Contains(entry.Result, new[] { DeploymentResults.RolledBack, DeploymentResults.Failed });
        Assert.Equal(result.Execution.Error, entry.Error);
    }

    [Fact]
    public async Task Healthy_Default_BakesDeploysAndScalesDownAfterKeepPrevious()
    {
        var result = await RunAsync("healthy");

        Assert.Equal(ExecutionStatus.Succeeded, result.Execution.Status);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal([(100, 0), (0, 100)], result.TrafficChanges.Select(p => (p.Blue.Weight, p.Green.Weight)));
        Assert.StartsWith("ami-", result.NewImageId, StringComparison.Ordinal);
        Assert.NotEqual(result.Setup.InitialImageId, result.NewImageId);

        // The shipped fleet's timings: bake 8 min (polled each minute); green launches in 40 s, boots in 60 s, and passes the
        // second of its checks 15 s apart at 1 min 55 s, seen by the CheckHealth poll at 2 min.
        Assert.Equal(TimeSpan.FromSeconds((8 * 60) + 120), result.FirstTrafficToNewColour);
        Assert.Contains(result.Published, m => m.Subject!.Contains("is live", StringComparison.Ordinal));
    }

    [Fact]
    public async Task BadImage_NeverHealthy_HealthDeadlineRollsBackBeforeAnyTraffic()
    {
        var result = await RunAsync("bad-image");

        Assert.Equal("HealthCheckFailed", result.Execution.Error);
        Assert.Equal(1, result.ExitCode);
        Assert.Equal(DeploymentResults.RolledBack, result.LedgerEntry!.Result);
        Assert.All(result.Timeline, p => Assert.Equal(0, p.Green.Weight));
        Assert.All(result.Timeline, p => Assert.Equal(0, p.Green.HealthyTargets));
        Assert.Contains(result.Execution.History, e => e.StateName == "Rollback");
    }

    [Fact]
    public async Task SlowBoot_FourMinuteBoot_DeploysLaterThanHealthy()
    {
        var slow = await RunAsync("slow-boot");
        var normal = await RunAsync("healthy", new ScenarioParameters(Instances, ImageId: "ami-0123456789abcdef0"));

        Assert.Equal(SimulationOutcome.Deployed, slow.Outcome);
        Assert.True(slow.FirstTrafficToNewColour > normal.FirstTrafficToNewColour, $"{slow.FirstTrafficToNewColour} vs {normal.FirstTrafficToNewColour}");
    }

    [Fact]
    public async Task BakeFails_BeforeAnyChange_NoRollbackLedgerFailedFleetUntouched()
    {
        var result = await RunAsync("bake-fails");

        Assert.Equal("BakeFailed", result.Execution.Error);
        Assert.DoesNotContain(result.Execution.History, e => e.StateName == "Rollback");
        Assert.Equal(DeploymentResults.Failed, result.LedgerEntry!.Result);
        Assert.Equal([1L], result.Region.LaunchTemplateVersions(result.Topology.Green.LaunchTemplateId));
        Assert.Equal(result.InitialFleet with { At = result.FinalFleet.At }, result.FinalFleet);
    }

    [Fact]
    public async Task AlarmAfterSwap_AlarmDuringBakeTimeWatch_TrafficBackToBlue()
    {
        var result = await RunAsync("alarm-after-swap");

        Assert.Equal("AlarmTriggered", result.Execution.Error);
        Assert.Equal([(100, 0), (0, 100), (100, 0)], result.TrafficChanges.Select(p => (p.Blue.Weight, p.Green.Weight)));
        Assert.Equal(DeploymentResults.RolledBack, result.LedgerEntry!.Result);
        var swap = result.TrafficChanges[1].At;
        var back = result.TrafficChanges[2].At;
        Assert.InRange(back - swap, TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(3));
    }

    [Fact]
    public async Task Throttling_ThirtyPercent_RetriedAndDeployed()
    {
        var result = await RunAsync("throttling");

        Assert.True(result.Region.ThrottledCalls > 2, $"{result.Region.ThrottledCalls} throttled calls");
        Assert.Contains(result.Execution.History, e => e.Type == "LambdaFunctionFailed" && e.Details["error"]?.GetValue<string>() == "TransientFailure");
    }

    [Fact]
    public async Task StepCrash_SwapTrafficCrashesOnce_RetriedByTheStateMachine()
    {
        var result = await RunAsync("step-crash");

        Assert.Equal(1, result.CrashesInjected);
        var failure = Assert.Single(result.Execution.History, e => e.Type == "LambdaFunctionFailed");
        Assert.Equal("Lambda.ServiceException", failure.Details["error"]?.GetValue<string>());
        Assert.Equal(2, result.Execution.History.Count(e => e.Type == "LambdaFunctionScheduled" && IsIn(result, e, "SwapTraffic")));
    }

    private static bool IsIn(SimulationResult result, HistoryEvent e, string state)
    {
        var entered = result.Execution.History.LastOrDefault(h => h.Id < e.Id && h.Type.EndsWith("StateEntered", StringComparison.Ordinal));
        return entered?.StateName == state;
    }

    [Fact]
    public async Task Concurrent_SecondDeployment_RefusedByTheLockAndFirstIntact()
    {
        var result = await RunAsync("concurrent");

        var second = Assert.IsType<ExecutionResult>(result.Concurrent);
        Assert.Equal(ExecutionStatus.Failed, second.Status);
        Assert.Equal("DeploymentLocked", second.Error);
        Assert.DoesNotContain(second.History, e => e.StateName is "Rollback");
        // Its own ending, REFUSED, touches no lock: the first deployment's stays.
        Assert.Contains(second.History, e => e.StateName == "NotifyRefused");
        Assert.DoesNotContain(second.History, e => e.StateName is "ReleaseLockAfterFailure" or "NotifyFailed");
        Assert.Single(result.Ledger);
        Assert.Equal(SimulationOutcome.Deployed, result.Outcome);
    }

    [Fact]
    public async Task Concurrent_HostThreadStallsAfterTheFirstStart_SecondStillStartsAtItsVirtualMoment()
    {
        // The flaky failure, made certain: the host thread is preempted between starting the first execution and arming
        // the second's timer. Unless the clock is held over both, the first execution runs on (here: until virtual time
        // has passed the second's moment, or ended) and the second starts late or never.
        var scenario = Assert.Single(ScenarioCatalog.BuiltIn, s => s.Name == "concurrent");
        var setup = scenario.Build(new ScenarioParameters(Instances)) with
        {
            AfterFirstExecutionStarted = clock =>
            {
                var startedAt = clock.GetUtcNow();
                // Bounded so the passing case (the clock held) costs a moment, not a hang.
                SpinWait.SpinUntil(() => clock.GetUtcNow() > startedAt + TimeSpan.FromMinutes(2), TimeSpan.FromSeconds(1));
            },
        };

        var result = await DeploymentSimulation.RunAsync(setup);

        var second = Assert.IsType<ExecutionResult>(result.Concurrent);
        Assert.Equal(setup.Start + TimeSpan.FromMinutes(2), second.History[0].Timestamp);
        Assert.Equal("DeploymentLocked", second.Error);
    }

    [Fact]
    public async Task FirstDeploy_EmptyFleet_GreenGoesStraightToFullTraffic()
    {
        var result = await RunAsync("first-deploy");

        Assert.Equal((100, 0, 0), (result.InitialFleet.Blue.Weight, result.InitialFleet.Blue.DesiredCapacity, result.InitialFleet.Blue.HealthyTargets));
        Assert.Equal([(100, 0), (0, 100)], result.TrafficChanges.Select(p => (p.Blue.Weight, p.Green.Weight)));
        Assert.Null(result.LedgerEntry!.PreviousImageId);
    }

    [Fact]
    public async Task Canary_DefaultSteps_TrafficMovesInThreeStepsWithWaits()
    {
        var result = await RunAsync("canary");

        Assert.Equal([(100, 0), (90, 10), (50, 50), (0, 100)], result.TrafficChanges.Select(p => (p.Blue.Weight, p.Green.Weight)));
        Assert.Equal(TimeSpan.FromSeconds(60), result.TrafficChanges[2].At - result.TrafficChanges[1].At);
    }

    [Fact]
    public async Task Canary_CustomSteps_Used()
    {
        var result = await RunAsync("canary", new ScenarioParameters(2, TrafficSteps: [25, 100]));

        Assert.Equal([(100, 0), (75, 25), (0, 100)], result.TrafficChanges.Select(p => (p.Blue.Weight, p.Green.Weight)));
    }

    [Fact]
    public async Task Approval_ApprovedAfterTenMinutes_RequestNamesTheExecutionAndSwapAfterApproval()
    {
        var result = await RunAsync("approval");

        var request = Assert.Single(result.Published, m => m.Subject!.Contains("approve", StringComparison.Ordinal));
        Assert.Contains($"phoenix approve {result.ExecutionArn}", request.Message, StringComparison.Ordinal);
        Assert.Equal(request.At + TimeSpan.FromMinutes(10), result.TrafficChanges[1].At);
    }

    [Fact]
    public async Task ApprovalRejected_Rejected_RolledBackWithoutTrafficMoving()
    {
        var result = await RunAsync("approval-rejected");

        Assert.Equal("ApprovalRejected", result.Execution.Error);
        Assert.Single(result.TrafficChanges);
    }

    [Fact]
    public async Task DryRun_Plan_ReportedAndNothingChanged()
    {
        var result = await RunAsync("dry-run");

        Assert.Equal(ExecutionStatus.Succeeded, result.Execution.Status);
        Assert.Equal("green", result.Execution.Output!["resolved"]!["plan"]!["targetColour"]!.GetValue<string>());
        Assert.Equal([1L], result.Region.LaunchTemplateVersions(result.Topology.Green.LaunchTemplateId));
        Assert.DoesNotContain(result.Changes, c => c.Kind is "Lock" or "Ledger" or "AutoScalingGroup" or "Listener" or "LaunchTemplate" or "Bake");
    }

    [Fact]
    public async Task Run_StepsNotEndingAt100_RejectedByValidateAndNothingChanged()
    {
        var result = await RunAsync("canary", new ScenarioParameters(2, TrafficSteps: [10, 50]));

        Assert.Equal("InvalidDeploymentRequest", result.Execution.Error);
        Assert.Contains("50", result.Execution.Cause, StringComparison.Ordinal);
        Assert.Equal(2, result.ExitCode);
        Assert.DoesNotContain(result.Changes, c => c.Kind is "Lock" or "Ledger" or "AutoScalingGroup" or "Listener" or "LaunchTemplate" or "Bake");
    }
}
