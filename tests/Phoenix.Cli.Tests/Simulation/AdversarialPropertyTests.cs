using System.Text.RegularExpressions;
using CsCheck;
using Phoenix.Cli.Simulation;
using Xunit.Sdk;

namespace Phoenix.Cli.Tests.Simulation;

/// <summary>
/// The adversarial property (issue 11): one to three deployments in a row, starting from arbitrary leftovers (idle
/// instances, stale pins, a stale lock, an alarm firing), with any mix of the region's faults and other actors
/// (throttling, lost responses, describe lag, launch failures per zone or everywhere, a failing listener API, scaling
/// policies, scheduled actions, failing instances) and of the execution's own (aborts at any state, Lambda timeouts).
/// At every recorded moment traffic goes only to colours with their desired capacity healthy; every deployment ends in a
/// truthful state (<see cref="EndStates"/>). A failing case prints its seed and the command that replays it.
/// </summary>
public partial class AdversarialPropertyTests
{
    /// <summary>Cases per CI run.</summary>
    public const int Cases = 1000;

    private const string GivenImage = "ami-0c0ffee0c0ffee0c0";
    private const string NextImage = "ami-0feed0feed0feed00";
    private const string ThirdImage = "ami-0abc0abc0abc0abc0";

    private static Gen<T> Pick<T>(params T[] values) => Gen.Int[0, values.Length - 1].Select(i => values[i]);

    private static Gen<T?> Sometimes<T>(Gen<T> gen, int outOf)
        where T : class =>
        Gen.Int[0, outOf - 1].SelectMany(n => n == 0 ? gen.Select(v => (T?)v) : Gen.Const((T?)null));

    private static readonly Gen<Leftovers?> LeftoverStates = Sometimes(
        from idle in Gen.Int[0, 3]
        from pins in Gen.Bool
        from stale in Pick(StaleLock.None, StaleLock.None, StaleLock.Expired, StaleLock.Live)
        from alarm in Gen.Int[0, 4]
        select new Leftovers(idle, pins, stale, alarm == 0),
        2);

    private static readonly Gen<FleetEvent> Events = Gen.OneOf<FleetEvent>(
        from minute in Gen.Int[0, 25]
        from role in Pick(FleetRole.Live, FleetRole.Idle)
        from delta in Pick(-2, -1, 1, 2, 3)
        from source in Pick(CapacitySource.ScalingPolicy, CapacitySource.ScheduledAction)
        select (FleetEvent)new CapacityChange(TimeSpan.FromMinutes(minute), role, delta, source),
        from minute in Gen.Int[0, 25]
        from role in Pick(FleetRole.Live, FleetRole.Idle)
        from count in Gen.Int[1, 2]
        select (FleetEvent)new InstanceFailure(TimeSpan.FromMinutes(minute), role, count));

    private static readonly Gen<LaunchFailure> LaunchFailures =
        from kind in Pick(LaunchFailureKind.InsufficientCapacity, LaunchFailureKind.InsufficientCapacity, LaunchFailureKind.KmsKeyNotUsable)
        from zone in Pick<string?>("us-east-1a", "us-east-1b", null)
        from start in Gen.Int[0, 10]
        from length in Gen.Int[0, 40]
        select new LaunchFailure(kind, kind == LaunchFailureKind.KmsKeyNotUsable ? null : zone, TimeSpan.FromMinutes(start), length == 0 ? null : TimeSpan.FromMinutes(start + length));

    private static readonly Gen<FaultPlan> FaultPlans =
        from throttle in Pick(0.0, 0.0, 0.1, 0.2)
        from lost in Pick(0.0, 0.0, 0.1, 0.2)
        from lag in Pick(0, 0, 10, 30)
        from seed in Gen.Int
        from alarmAfter in Gen.Int[-3, 5]
        from launches in Sometimes(LaunchFailures.Array[1, 2], 3)
        from events in Events.Array[0, 3]
        from outage in Sometimes(
            from operation in Pick("ModifyListener", "UpdateAutoScalingGroup", "DescribeTargetHealth", "PutItem")
            from start in Gen.Int[0, 20]
            from length in Gen.Int[1, 30]
            select new ServiceOutage(operation, TimeSpan.FromMinutes(start), TimeSpan.FromMinutes(start + length)),
            6)
        select new FaultPlan
        {
            ThrottleRate = throttle,
            LostResponseRate = lost,
            DescribeLag = TimeSpan.FromSeconds(lag),
            Seed = seed,
            AlarmAfterSwap = alarmAfter >= 0 ? TimeSpan.FromMinutes(alarmAfter) : null,
            LaunchFailures = launches ?? [],
            Events = events,
            Outages = outage is null ? [] : [outage],
        };

    private static readonly Gen<ExecutionFaults?> ExecutionFaultPlans = Sometimes(
        Gen.OneOf(
            from state in Pick([.. DeploymentSimulation.StateNames.Order(StringComparer.Ordinal)])
            from visit in Gen.Int[1, 2]
            select new ExecutionFaults(AbortAtState: state, AbortAtVisit: visit),
            from step in Pick([.. DeploymentSimulation.Steps.Order(StringComparer.Ordinal)])
            from done in Gen.Bool
            select new ExecutionFaults(LambdaTimeoutStep: step, TimedOutWorkDone: done)),
        3);

    private static readonly Gen<FollowUpDeployment> FollowUps =
        from gap in Gen.Int[0, 30]
        from image in Pick(NextImage, ThirdImage, GivenImage)
        from bad in Gen.Int[0, 5]
        from faults in ExecutionFaultPlans
        select new FollowUpDeployment(TimeSpan.FromMinutes(gap), image, bad != 0, faults);

    /// <summary>A fleet, its leftovers and listener, the faults and actors, and one to three deployments.</summary>
    private static readonly Gen<SimulationSetup> Cases_ =
        from capacity in Gen.Int[1, 4]
        from empty in Gen.Int[0, 9]
        from listener in Pick<ListenerSpec?>(null, null, ListenerSpec.Full)
        from leftovers in LeftoverStates
        from faults in FaultPlans
        from bake in Gen.Int[0, 4]
        from bad in Gen.Int[0, 5]
        from steps in Pick<int[]>([100], [100], [10, 100], [25, 50, 100])
        from keepPrevious in Pick(0, 60, 300)
        from first in ExecutionFaultPlans
        from followUps in FollowUps.Array[0, 2]
        from features in Gen.Int[0, 19]
        select new SimulationSetup
        {
            MixedInstancesPolicy = features == 0,
            WarmPool = features == 1,
            Capacity = capacity,
            InitialCapacity = empty == 0 ? 0 : capacity,
            ImageId = bake == 0 ? null : GivenImage,
            ImageHealthy = bad != 0,
            Listener = listener,
            Leftovers = leftovers,
            Faults = faults,
            TrafficSteps = steps,
            StepWaitSeconds = 60,
            BakeTimeSeconds = 120,
            KeepPreviousSeconds = keepPrevious,
            HealthTimeoutSeconds = 600,
            ExecutionFaults = first,
            FollowUps = followUps,
        };

    [Fact]
    public void Run_AdversarialSequences_InvariantAtEveryMomentAndATruthfulEndForEveryDeployment()
    {
        try
        {
            Cases_.Sample(Check, iter: Cases, print: Describe);
        }
        catch (CsCheckException ex)
        {
            var seed = SeedPattern().Match(ex.Message) is { Success: true } m ? m.Groups[1].Value : "(see above)";
            throw new XunitException(
                $"{ex.Message}\n\nWhat went wrong:\n{ex.InnerException?.Message}\n\nReplay this case: dotnet test tests/Phoenix.Cli.Tests -c Release "
                + $"-e CsCheck_Seed={seed} --filter FullyQualifiedName~{nameof(AdversarialPropertyTests)}");
        }
    }

    private static void Check(SimulationSetup setup)
    {
        var result = DeploymentSimulation.RunAsync(setup).GetAwaiter().GetResult();
        var problems = new List<string>();
        problems.AddRange(result.Violations.Select(v => $"safety: {v}"));
        foreach (var run in result.Runs)
        {
            problems.AddRange(EndStates.Problems(result, run).Select(p => $"{run.DeploymentId} ({run.LedgerEntry?.Result ?? "no ledger entry"}, {run.Execution.Status} {run.Execution.Error}): {p}"));
        }

        if (problems.Count > 0)
        {
            throw new InvalidOperationException(string.Join("\n", problems));
        }
    }

    private static string Describe(SimulationSetup s)
    {
        var f = s.Faults;
        return $"capacity {s.Capacity} (initial {s.InitialCapacity}), mixed {s.MixedInstancesPolicy} warm pool {s.WarmPool}, image {s.ImageId ?? "baked"} healthy {s.ImageHealthy}, steps [{string.Join(",", s.TrafficSteps ?? [])}], "
            + $"keep {s.KeepPreviousSeconds}s, listener {(s.Listener is null ? "plain" : "oidc+stickiness+rules")}, leftovers {s.Leftovers}, "
            + $"faults throttle {f.ThrottleRate} lost {f.LostResponseRate} lag {f.DescribeLag.TotalSeconds}s seed {f.Seed} alarmAfterSwap {f.AlarmAfterSwap} "
            + $"launch [{string.Join("; ", f.LaunchFailures)}] events [{string.Join("; ", f.Events)}] outages [{string.Join("; ", f.Outages)}], "
            + $"first {s.ExecutionFaults}, then [{string.Join("; ", s.FollowUps)}]";
    }

    [GeneratedRegex("seed: \"?([0-9A-Za-z_\\-]+)\"?", RegexOptions.IgnoreCase)]
    private static partial Regex SeedPattern();
}
