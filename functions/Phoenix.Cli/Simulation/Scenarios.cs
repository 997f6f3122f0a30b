using System.Diagnostics;

namespace Phoenix.Cli.Simulation;

/// <summary>What <c>phoenix simulate</c> was asked for; null means the scenario's own default.</summary>
public sealed record ScenarioParameters(int? Instances = null, string? ImageId = null, IReadOnlyList<int>? TrafficSteps = null);

/// <summary>Where a scenario writes: live progress and a summary, or one JSON document; and, when asked, an HTML report file.</summary>
public sealed record ScenarioOutput(TextWriter Out, TextWriter Error, bool Json, FileInfo? Report = null);

/// <summary>
/// A named scenario of <c>phoenix simulate</c>: a built-in deployment scenario, a scenario class listed in
/// <c>ScenarioCatalog.Standalone</c> (e.g. under Simulation/Drift/), or anything passed to
/// <see cref="ScenarioCatalog.Register"/>.
/// </summary>
public abstract class SimulationScenario
{
    public abstract string Name { get; }

    /// <summary>One line for <c>phoenix simulate --list</c>.</summary>
    public abstract string Description { get; }

    /// <summary>
    /// The <c>phoenix simulate</c> options (<c>--instances</c>, <c>--image</c>, <c>--steps</c>) this scenario has no use for,
    /// each with why, so the command refuses them instead of silently ignoring them.
    /// </summary>
    public virtual IReadOnlyDictionary<string, string> NotApplicable { get; } = new Dictionary<string, string>();

    /// <summary>Runs the scenario and returns the process exit code (0 new image live, 1 failed).</summary>
    public abstract Task<int> RunAsync(ScenarioParameters parameters, ScenarioOutput output, CancellationToken cancellationToken);
}

/// <summary>A blue/green deployment of the workflow against the simulated region, set up by <see cref="Build"/>.</summary>
public sealed class DeploymentScenario(
    string name, string description, SimulationOutcome expected, Func<ScenarioParameters, SimulationSetup> build, IReadOnlyDictionary<string, string>? notApplicable = null)
    : SimulationScenario
{
    public override string Name { get; } = name;

    public override string Description { get; } = description;

    public override IReadOnlyDictionary<string, string> NotApplicable { get; } = notApplicable ?? new Dictionary<string, string>();

    /// <summary>How the scenario is meant to end; tests hold it to that.</summary>
    public SimulationOutcome Expected { get; } = expected;

    public SimulationSetup Build(ScenarioParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return build(parameters);
    }

    public override async Task<int> RunAsync(ScenarioParameters parameters, ScenarioOutput output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        var setup = Build(parameters);
        var report = new SimulationReport(output.Out);
        if (!output.Json)
        {
            report.WriteHeader(Name, Description, setup);
        }

        var wall = Stopwatch.StartNew();
        var result = await DeploymentSimulation.RunAsync(setup, output.Json ? null : report.WriteProgress, cancellationToken);
        wall.Stop();
        if (output.Report is { } file)
        {
            await File.WriteAllTextAsync(file.FullName, HtmlReport.Render(Name, result), cancellationToken);
        }

        if (output.Json)
        {
            report.WriteJson(Name, result);
        }
        else
        {
            report.WriteSummary(result, wall.Elapsed);
        }

        return result.ExitCode;
    }
}

public static class ScenarioCatalog
{
    public const string DefaultScenario = "healthy";
    public const int DefaultInstances = 4;
    private static readonly Lock Gate = new();
    private static readonly List<SimulationScenario> Registered = [];

    /// <summary>Built-in scenarios first, then the standalone and registered ones, each name once.</summary>
    public static IReadOnlyList<SimulationScenario> All
    {
        get
        {
            var all = new List<SimulationScenario>(BuiltIn);
            all.AddRange(Standalone);
            lock (Gate)
            {
                all.AddRange(Registered);
            }

            return [.. all.DistinctBy(s => s.Name, StringComparer.Ordinal)];
        }
    }

    public static IReadOnlyList<DeploymentScenario> BuiltIn { get; } = CreateBuiltIn();

    public static void Register(SimulationScenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        lock (Gate)
        {
            Registered.RemoveAll(s => s.Name == scenario.Name);
            Registered.Add(scenario);
        }
    }

    public static SimulationScenario? Find(string name) => All.FirstOrDefault(s => s.Name == name);

    // Listed by hand rather than found by reflection: the CLI publishes as Native AOT, where scanning the assembly's
    // types would need every scenario class kept from trimming and would hide a scenario that was trimmed away.
    private static readonly IReadOnlyList<SimulationScenario> Standalone = [new Drift.DriftSimulationScenario()];

    private static List<DeploymentScenario> CreateBuiltIn()
    {
        // The image most scenarios deploy when --image is given; without it they bake one from the commit.
        static SimulationSetup Base(ScenarioParameters p) => new()
        {
            Capacity = p.Instances ?? DefaultInstances,
            ImageId = p.ImageId,
            TrafficSteps = p.TrafficSteps,
        };

        // The issue-11 scenarios deploy a given image so their timings do not include a bake.
        static SimulationSetup Given(ScenarioParameters p) => Base(p) with { ImageId = p.ImageId ?? "ami-0123456789abcdef0" };

        const string BadImage = "ami-0bad0bad0bad0bad0";

        // Scenarios that end before SwapTraffic have no use for traffic steps.
        static Dictionary<string, string> NoTraffic(string why) => new() { ["--steps"] = why };
        return
        [
            new("healthy", "Deploy blue→green (an image baked from the commit, or the --image given); everything passes", SimulationOutcome.Deployed, Base),
            new("bad-image", "Deploy an image whose instances never pass health checks: green never gets healthy, the health deadline rolls back",
                SimulationOutcome.Failed,
                p => Base(p) with { ImageId = p.ImageId ?? BadImage, ImageHealthy = false, HealthTimeoutSeconds = 600 },
                NoTraffic("green never passes its health checks, so no traffic moves")),
            new("slow-boot", "The new image boots in 4 minutes; the fleet's 10-minute grace period covers it and the deployment waits longer",
                SimulationOutcome.Deployed,
                p => Base(p) with
                {
                    ImageId = p.ImageId ?? "ami-05105b0075105b007",
                    ImageBoot = TimeSpan.FromMinutes(4),
                    HealthCheckGracePeriod = TimeSpan.FromMinutes(10),
                }),
            new("bake-fails", "The Packer bake fails: nothing was changed, so no rollback; the lock is released and the ledger says FAILED",
                SimulationOutcome.Failed,
                p => Base(p) with { ImageId = null, Faults = new FaultPlan { BakeFailureReason = "Packer: amazon-ebs: provisioner 'shell' exited with status 1 (simulated)" } },
                new Dictionary<string, string>
                {
                    ["--image"] = "it is about the bake failing, and --image skips the bake",
                    ["--steps"] = "the bake fails before any traffic moves",
                }),
            new("alarm-after-swap", "An alarm goes to ALARM 2 minutes after the swap: the bake-time watch rolls traffic back to blue",
                SimulationOutcome.Failed,
                p => Base(p) with { Faults = new FaultPlan { AlarmAfterSwap = TimeSpan.FromMinutes(2) } }),
            new("throttling", "30% of AWS calls are throttled; the workflow's retries absorb it and the deployment succeeds",
                SimulationOutcome.Deployed,
                p => Base(p) with { Faults = new FaultPlan { ThrottleRate = 0.3, Seed = 7 } }),
            new("step-crash", "The SwapTraffic Lambda fails once with Lambda.ServiceException; the state machine retries it",
                SimulationOutcome.Deployed,
                p => Base(p) with { CrashOnceStep = "SwapTraffic" }),
            new("concurrent", "A second deployment starts 2 minutes into the first: the lock refuses it and the first completes untouched",
                SimulationOutcome.Deployed,
                p => Base(p) with { ConcurrentDeploymentAfter = TimeSpan.FromMinutes(2) }),
            new("first-deploy", "The first deployment to an empty fleet: nothing serves yet, green goes straight to 100%",
                SimulationOutcome.Deployed,
                p => Base(p) with { InitialCapacity = 0 }),
            new("canary", "Traffic moves in steps (10%, 50%, 100% unless --steps), each followed by a wait and an alarm check",
                SimulationOutcome.Deployed,
                p => Base(p) with { TrafficSteps = p.TrafficSteps ?? [10, 50, 100] }),
            new("approval", "A human approves the swap 10 minutes after the request (the message names the execution; phoenix approve finds its task token in the ledger)",
                SimulationOutcome.Deployed,
                p => Base(p) with { Approval = new ApprovalPlan(true, TimeSpan.FromMinutes(10)) }),
            new("approval-rejected", "The approver rejects the swap: green is scaled back to 0 before any traffic moved",
                SimulationOutcome.Failed,
                p => Base(p) with { Approval = new ApprovalPlan(false, TimeSpan.FromMinutes(5)) },
                NoTraffic("the approver rejects the swap before any traffic moves")),
            new("dry-run", "Resolve the fleet and report the plan; nothing is locked, written or changed",
                SimulationOutcome.DryRun,
                p => Base(p) with { DryRun = true }),
            new("leftover-idle", "The idle colour still runs 2 old instances (a failed scale-down): they are replaced, not waited on",
                SimulationOutcome.Deployed,
                p => Given(p) with { Leftovers = new Leftovers(IdleInstances: 2) }),
            new("stale-state", "A dead execution left pins, suspended processes and an expired lock: the deployment takes over and leaves scaling running",
                SimulationOutcome.Deployed,
                p => Given(p) with { Leftovers = new Leftovers(StalePins: true, StaleLock: StaleLock.Expired) }),
            new("scale-out-during", "A scaling policy adds 2 instances to the live colour 1 minute in: green is sized to the new capacity before it takes all traffic",
                SimulationOutcome.Deployed,
                p => Given(p) with { Faults = new FaultPlan { Events = [new CapacityChange(TimeSpan.FromMinutes(1), FleetRole.Live, 2, CapacitySource.ScalingPolicy)] } }),
            new("scheduled-action", "A scheduled action would scale the live colour in 1 minute in: ScheduledActions is suspended for the deployment, so it does not run",
                SimulationOutcome.Deployed,
                p => Given(p) with { Faults = new FaultPlan { Events = [new CapacityChange(TimeSpan.FromMinutes(1), FleetRole.Live, -2, CapacitySource.ScheduledAction)] } }),
            new("instance-replaced", "A green instance fails 10 minutes in, after the swap: the group replaces it while the rest serve",
                SimulationOutcome.Deployed,
                p => Given(p) with
                {
                    KeepPreviousSeconds = 900,
                    Faults = new FaultPlan { Events = [new InstanceFailure(TimeSpan.FromMinutes(10), FleetRole.Live)] },
                }),
            new("launch-failure-one-az", "us-east-1a has no t3.medium capacity: green launches in us-east-1b and the activities say why",
                SimulationOutcome.Deployed,
                p => Given(p) with { Faults = new FaultPlan { LaunchFailures = [new LaunchFailure(LaunchFailureKind.InsufficientCapacity, "us-east-1a", TimeSpan.Zero)] } }),
            new("launch-failure-all-azs", "Every launch fails (the KMS key of the encrypted volume is unusable): the deployment fails fast with AWS's reason and rolls back",
                SimulationOutcome.Failed,
                p => Given(p) with { Faults = new FaultPlan { LaunchFailures = [new LaunchFailure(LaunchFailureKind.KmsKeyNotUsable, null, TimeSpan.Zero)] } },
                NoTraffic("no instance launches, so no traffic moves")),
            new("fault-after-side-effect", "A quarter of the changing calls lose their response after the change was made: every retry is idempotent",
                SimulationOutcome.Deployed,
                p => Given(p) with { Faults = new FaultPlan { LostResponseRate = 0.25, CallsAfterThrottle = 3, Seed = 11 } }),
            new("eventual-consistency", "Half the Describe calls answer with a state up to 20 seconds old",
                SimulationOutcome.Deployed,
                p => Given(p) with { Faults = new FaultPlan { DescribeLag = TimeSpan.FromSeconds(20), Seed = 5 } }),
            new("lambda-timeout", "SwapTraffic moves the traffic, then its Lambda times out (Lambda.Unknown): the workflow rolls back and says so",
                SimulationOutcome.Failed,
                p => Given(p) with { ExecutionFaults = new ExecutionFaults(LambdaTimeoutStep: "SwapTraffic", TimedOutWorkDone: true) }),
            new("aborted", "An operator stops the execution while green is being health-checked: the status-change event's cleanup runs",
                SimulationOutcome.Aborted,
                p => Given(p) with { ExecutionFaults = new ExecutionFaults(AbortAtState: "CheckHealth", AbortAtVisit: 2) },
                NoTraffic("it is stopped during the health checks, before any traffic moves")),
            new("alarm-before", "The fleet's 5XX alarm is already in ALARM when the deployment starts: it is reported and nothing is swapped into it",
                SimulationOutcome.Failed,
                p => Given(p) with { Leftovers = new Leftovers(AlarmFiring: true) },
                NoTraffic("Validate refuses it before anything changes")),
            new("listener-rules", "The listener authenticates with OIDC, has 1-hour stickiness and three rules: only the weights Phoenix owns change",
                SimulationOutcome.Deployed,
                p => Given(p) with { Listener = ListenerSpec.Full }),
            new("warm-pool", "The groups have a warm pool, which Phoenix does not manage: Validate refuses with a typed error before any change",
                SimulationOutcome.Failed,
                p => Given(p) with { WarmPool = true },
                NoTraffic("Validate refuses it before anything changes")),
            new("rollback-fails", "An alarm fires after the swap and ModifyListener then fails for good: the rollback fails, the lock is kept, manual action is asked for",
                SimulationOutcome.RollbackFailed,
                p => Given(p) with
                {
                    Faults = new FaultPlan
                    {
                        AlarmAfterSwap = TimeSpan.FromMinutes(2),
                        Outages = [new ServiceOutage("ModifyListener", TimeSpan.FromMinutes(3))],
                    },
                }),
        ];
    }
}
