using Phoenix.Asl;
using Phoenix.Cli.Simulation;
using Phoenix.Core.Domain;
using Phoenix.Core.Workflow;

namespace Phoenix.Cli.Tests.Simulation;

/// <summary>The scenarios of issue 11: a real fleet's states, other actors and faults, each ending truthfully.</summary>
public class Issue11ScenarioTests
{
    private const int Instances = 3;

    public static readonly string[] Names =
    [
        "leftover-idle", "stale-state", "scale-out-during", "scheduled-action", "instance-replaced", "launch-failure-one-az",
        "launch-failure-all-azs", "fault-after-side-effect", "eventual-consistency", "lambda-timeout", "aborted", "alarm-before",
        "listener-rules", "warm-pool", "rollback-fails",
    ];

    public static TheoryData<string> Scenarios() => [.. Names];

    private static async Task<SimulationResult> RunAsync(string name)
    {
        var scenario = Assert.Single(ScenarioCatalog.BuiltIn, s => s.Name == name);
        return await DeploymentSimulation.RunAsync(scenario.Build(new ScenarioParameters(Instances)));
    }

    [Fact]
    public void BuiltIn_Issue11Scenarios_AllListed()
    {
        Assert.Empty(Names.Except(ScenarioCatalog.BuiltIn.Select(s => s.Name)));
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public async Task Run_Issue11Scenario_ExpectedOutcomeInvariantHeldAndATruthfulEnd(string name)
    {
        var scenario = Assert.Single(ScenarioCatalog.BuiltIn, s => s.Name == name);

        var result = await RunAsync(name);

        Assert.Equal(scenario.Expected, result.Outcome);
        Assert.True(result.Violations.Count == 0, string.Join("\n", result.Violations));
        var problems = EndStates.Problems(result, Assert.Single(result.Runs));
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public async Task LeftoverIdle_OldInstancesInTheIdleGroup_NoneOfThemServesAfterTheDeployment()
    {
        var result = await RunAsync("leftover-idle");

        Assert.Equal((2, 2), (result.InitialFleet.Green.InService, result.InitialFleet.Green.HealthyTargets));
        Assert.Equal(SimulationOutcome.Deployed, result.Outcome);
        Assert.Equal(result.NewImageId, result.FinalFleet.Green.ImageId);
    }

    [Fact]
    public async Task StaleState_DeadExecutionsPinsAndSuspensions_ScalingRunsAgainAfterTheDeployment()
    {
        var result = await RunAsync("stale-state");

        Assert.Equal(FleetRestore.SuspendedDuringDeployment.Order(), result.Runs[0].Before.BlueSuspended);
        Assert.Empty(result.Region.SuspendedProcessesOf(result.Topology.Blue.AutoScalingGroupName));
        Assert.Empty(result.Region.SuspendedProcessesOf(result.Topology.Green.AutoScalingGroupName));
    }

    [Fact]
    public async Task ScaleOutDuring_LiveGroupGrowsToFive_GreenTakesAllTrafficAtFive()
    {
        var result = await RunAsync("scale-out-during");

        Assert.Equal(Instances + 2, result.Timeline.Max(p => p.Blue.DesiredCapacity));
        Assert.Equal((100, Instances + 2, Instances + 2), (result.FinalFleet.Green.Weight, result.FinalFleet.Green.DesiredCapacity, result.FinalFleet.Green.HealthyTargets));
    }

    [Fact]
    public async Task ScheduledAction_DuringTheDeployment_SkippedBecauseSuspended()
    {
        var result = await RunAsync("scheduled-action");

        Assert.Contains(result.Changes, c => c.Detail.Contains("a scheduled action did not run: ScheduledActions is suspended", StringComparison.Ordinal));
        Assert.All(result.Timeline.Where(p => p.Blue.Traffic > 0), p => Assert.True(p.Blue.DesiredCapacity >= Instances));
    }

    [Fact]
    public async Task InstanceReplaced_GreenInstanceFailsAfterTheSwap_ReplacedByTheGroup()
    {
        var result = await RunAsync("instance-replaced");

        Assert.Contains(result.Region.ActivitiesOf(result.Topology.Green.AutoScalingGroupName),
            a => a.Cause!.EndsWith("in response to an ELB system health check failure.", StringComparison.Ordinal));
        Assert.Equal((Instances, Instances), (result.FinalFleet.Green.InService, result.FinalFleet.Green.HealthyTargets));
    }

    [Fact]
    public async Task LaunchFailureOneAz_NoCapacityInUsEast1a_GreenRunsInUsEast1bAndActivitiesSayWhy()
    {
        var result = await RunAsync("launch-failure-one-az");

        var green = result.Topology.Green.AutoScalingGroupName;
        Assert.All(result.Region.InstanceZonesOf(green), z => Assert.Equal("us-east-1b", z));
        Assert.Contains(result.Region.ActivitiesOf(green), a => a.StatusCode == "Failed" && a.StatusMessage!.Contains("(us-east-1a)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task LaunchFailureAllAzs_KmsKeyUnusable_FailsWithAwsReasonLongBeforeTheHealthDeadline()
    {
        var result = await RunAsync("launch-failure-all-azs");

        Assert.Contains("Client.InternalError: Client error on launch", result.Execution.Cause, StringComparison.Ordinal);
        Assert.True(result.VirtualDuration < TimeSpan.FromMinutes(5), $"took {result.VirtualDuration}");
        Assert.Single(result.TrafficChanges);
    }

    [Fact]
    public async Task FaultAfterSideEffect_LostResponses_RetriedWithoutDoingAnythingTwice()
    {
        var result = await RunAsync("fault-after-side-effect");

        Assert.True(result.Region.LostResponses > 2, $"{result.Region.LostResponses} lost responses");
        Assert.Equal([1L, 2L], result.Region.LaunchTemplateVersions(result.Topology.Green.LaunchTemplateId));
        Assert.Equal([(100, 0), (0, 100)], result.TrafficChanges.Select(p => (p.Blue.Weight, p.Green.Weight)));
    }

    [Fact]
    public async Task EventualConsistency_StaleDescribes_SomeAnsweredAndStillDeployed()
    {
        var result = await RunAsync("eventual-consistency");

        Assert.True(result.Region.StaleReads > 0, "no stale read was served");
    }

    [Fact]
    public async Task LambdaTimeout_SwapTrafficTimesOutAfterMovingTraffic_RolledBackToBlue()
    {
        var result = await RunAsync("lambda-timeout");

        Assert.Contains(result.Execution.History, e => e.Type == "LambdaFunctionFailed" && e.Details["error"]?.GetValue<string>() == "Lambda.Unknown");
        Assert.Equal([(100, 0), (0, 100), (100, 0)], result.TrafficChanges.Select(p => (p.Blue.Weight, p.Green.Weight)));
        Assert.Equal(DeploymentResults.RolledBack, result.LedgerEntry!.Result);
    }

    [Fact]
    public async Task Aborted_StoppedDuringHealthChecks_CleanupFromTheStatusChangeEventLedgerAborted()
    {
        var result = await RunAsync("aborted");

        Assert.Equal(ExecutionStatus.Aborted, result.Execution.Status);
        Assert.True(result.Runs[0].Cleanup is { Status: "ABORTED", Handled: true }, $"{result.Runs[0].Cleanup}");
        Assert.Null(result.Lock);
        Assert.Equal(DeploymentResults.Aborted, result.LedgerEntry!.Result);
    }

    [Fact]
    public async Task AlarmBefore_AlarmAlreadyFiring_NoTrafficEverMovesToGreen()
    {
        var result = await RunAsync("alarm-before");

        Assert.Single(result.TrafficChanges);
        Assert.Equal(0, result.Timeline.Max(p => p.Green.Traffic));
    }

    [Fact]
    public async Task ListenerRules_OidcStickinessRules_RuleToTheLiveColourMovesWithItAndNothingElseChanges()
    {
        var result = await RunAsync("listener-rules");

        Assert.Equal(result.Runs[0].Before.ListenerSettings, result.Runs[0].After.ListenerSettings);
        // ELBv2 weights are relative: the rule now sends everything to green, whatever number carries it.
        Assert.Equal(0, result.FinalFleet.Blue.RuleWeight);
        Assert.True(result.FinalFleet.Green.RuleWeight > 0, $"green's rule weight {result.FinalFleet.Green.RuleWeight}");
        var actions = await result.Region.LoadBalancer.DescribeListenerActionsAsync(result.Topology.ListenerArn, CancellationToken.None);
        Assert.Equal(ListenerSpec.ExampleOidc, actions[0].Configuration);
        Assert.True(actions[1].Forward!.StickinessEnabled);
    }

    [Fact]
    public async Task WarmPool_GroupsWithAWarmPool_RefusedBeforeAnyChange()
    {
        var result = await RunAsync("warm-pool");

        Assert.Contains("warm pool", result.Execution.Cause, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(result.Changes, c => c.Kind is "Listener" or "LaunchTemplate" || (c.Kind == "AutoScalingGroup" && !c.Detail.Contains("warm pool", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task RollbackFails_ModifyListenerDownDuringRollback_RollbackFailedLockKeptManualActionAlert()
    {
        var result = await RunAsync("rollback-fails");

        Assert.Equal(DeploymentResults.RollbackFailed, result.LedgerEntry!.Result);
        Assert.Equal(result.ExecutionArn, result.Lock?.Owner);
        Assert.Contains(result.Published, m => $"{m.Subject} {m.Message}".Contains("manual", StringComparison.OrdinalIgnoreCase));
        Assert.True(result.Region.FailedByOutage > 0);
    }
}
