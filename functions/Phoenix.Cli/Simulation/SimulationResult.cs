using System.Text.Json.Nodes;
using Phoenix.Asl;
using Phoenix.Core.Domain;
using Phoenix.Core.Ports;

namespace Phoenix.Cli.Simulation;

public enum SimulationOutcome
{
    /// <summary>The execution succeeded and the new image serves all traffic.</summary>
    Deployed,

    /// <summary>A dry run: the plan was reported and nothing changed.</summary>
    DryRun,

    /// <summary>The deployment failed; traffic stayed on (or went back to) the previous image.</summary>
    Failed,

    /// <summary>The execution was stopped from outside (StopExecution); its cleanup ran from the status-change event.</summary>
    Aborted,

    /// <summary>The rollback itself failed: the ledger says ROLLBACK_FAILED, the lock is kept, manual action is needed.</summary>
    RollbackFailed,
}

/// <summary>The fleet, listener, processes, lock and chat count at one instant: before or after one deployment.</summary>
public sealed record RunSnapshot(
    DateTimeOffset At,
    FleetObservation Fleet,
    string ListenerSettings,
    IReadOnlyList<string> BlueSuspended,
    IReadOnlyList<string> GreenSuspended,
    Phoenix.Core.Ports.DeploymentLockRecord? Lock,
    int PublishedCount);

/// <summary>
/// One deployment of a run: its execution, the region right before it started and right before the next one (or at the
/// end, settled), its ledger entry, what it published, the image it deployed and what its status-change event led to.
/// </summary>
public sealed record DeploymentRun(
    string ExecutionArn,
    ExecutionResult Execution,
    RunSnapshot Before,
    RunSnapshot After,
    DeploymentRecord? LedgerEntry,
    IReadOnlyList<PublishedMessage> Published,
    string? ImageId,
    StatusChangeOutcome? Cleanup)
{
    public string DeploymentId => ExecutionArn[(ExecutionArn.LastIndexOf(':') + 1)..];
}

/// <summary>How a simulated deployment ended, with everything needed to judge it: history, timeline, final fleet.</summary>
public sealed class SimulationResult
{
    /// <summary>Step Functions Standard workflows: $0.025 per 1,000 state transitions.</summary>
    public const decimal PricePerTransition = 0.025m / 1000m;

    internal SimulationResult(
        SimulationSetup setup,
        IReadOnlyList<DeploymentRun> runs,
        ExecutionResult? concurrent,
        SimulatedRegion region,
        FleetTopology topology,
        FleetObservation initialFleet,
        FleetObservation finalFleet,
        TimelineRecorder timeline,
        TimeSpan virtualDuration,
        int crashesInjected)
    {
        Setup = setup;
        Runs = runs;
        ExecutionArn = runs[0].ExecutionArn;
        Execution = runs[0].Execution;
        var execution = Execution;
        Concurrent = concurrent;
        Region = region;
        Topology = topology;
        InitialFleet = initialFleet;
        FinalFleet = finalFleet;
        Timeline = timeline.Points;
        Changes = timeline.Changes;
        TrafficChanges = timeline.TrafficChanges();
        Violations = timeline.Violations;
        VirtualDuration = virtualDuration;
        CrashesInjected = crashesInjected;
        Lock = region.PeekLock(setup.Application);
        Ledger = region.LedgerEntries(setup.Application);
        Published = region.Published;
        StateTransitions = CountTransitions(execution.History);
        var output = execution.Output as JsonObject;
        NewImageId = output?["image"]?["imageId"]?.GetValue<string>()
            ?? Ledger.FirstOrDefault(r => r.DeploymentId == DeploymentId)?.ImageId
            ?? setup.ImageId;
        Outcome = execution.Status == ExecutionStatus.Aborted ? SimulationOutcome.Aborted
            : runs[0].LedgerEntry?.Result == DeploymentResults.RollbackFailed ? SimulationOutcome.RollbackFailed
            : execution.Status != ExecutionStatus.Succeeded ? SimulationOutcome.Failed
            : setup.DryRun ? SimulationOutcome.DryRun
            : SimulationOutcome.Deployed;
    }

    public SimulationSetup Setup { get; }

    /// <summary>Every deployment of the run, the first one (<see cref="Execution"/>) first.</summary>
    public IReadOnlyList<DeploymentRun> Runs { get; }

    public string ExecutionArn { get; }

    /// <summary>The deployment id: the execution name, as the steps derive it.</summary>
    public string DeploymentId => ExecutionArn[(ExecutionArn.LastIndexOf(':') + 1)..];

    public ExecutionResult Execution { get; }

    /// <summary>The second deployment of the concurrent scenario, when one started.</summary>
    public ExecutionResult? Concurrent { get; }

    public SimulatedRegion Region { get; }

    public FleetTopology Topology { get; }

    public FleetObservation InitialFleet { get; }

    /// <summary>The fleet after the run, once draining and terminations have settled.</summary>
    public FleetObservation FinalFleet { get; }

    public IReadOnlyList<TimelinePoint> Timeline { get; }

    public IReadOnlyList<RegionChange> Changes { get; }

    public IReadOnlyList<TimelinePoint> TrafficChanges { get; }

    public IReadOnlyList<InvariantViolation> Violations { get; }

    /// <summary>From the execution's start to its last history event.</summary>
    public TimeSpan VirtualDuration { get; }

    public int CrashesInjected { get; }

    /// <summary>The lock record left in the table (null: released).</summary>
    public DeploymentLockRecord? Lock { get; }

    public IReadOnlyList<DeploymentRecord> Ledger { get; }

    public IReadOnlyList<PublishedMessage> Published { get; }

    /// <summary>Billed state transitions: every state entered, plus every retry of a task.</summary>
    public int StateTransitions { get; }

    public decimal StepFunctionsCost => StateTransitions * PricePerTransition;

    public string? NewImageId { get; }

    public SimulationOutcome Outcome { get; }

    /// <summary>The colour carrying all traffic at the end, if one does.</summary>
    public Colour? LiveColour =>
        FinalFleet.Blue.Weight > 0 && FinalFleet.Green.Weight == 0 ? Colour.Blue
        : FinalFleet.Green.Weight > 0 && FinalFleet.Blue.Weight == 0 ? Colour.Green
        : null;

    public DeploymentRecord? LedgerEntry => Ledger.FirstOrDefault(r => r.DeploymentId == DeploymentId);

    /// <summary>When the deployment first put traffic on the new colour (null when it never did).</summary>
    public TimeSpan? FirstTrafficToNewColour
    {
        get
        {
            var initial = TrafficChanges.Count > 0 ? TrafficChanges[0] : null;
            if (initial is null)
            {
                return null;
            }

            var point = TrafficChanges.Skip(1).FirstOrDefault(p => (p.Blue.Weight > 0 && initial.Blue.Weight == 0) || (p.Green.Weight > 0 && initial.Green.Weight == 0));
            return point is null ? null : point.At - Setup.Start;
        }
    }

    /// <summary>0 when the new image is live (or the dry run reported its plan); 2 when the workflow's Validate step
    /// rejected the request, which changes nothing; 1 for any other failure.</summary>
    public int ExitCode => Outcome is SimulationOutcome.Deployed or SimulationOutcome.DryRun ? ExitCodes.Success
        : Execution.Error is "InvalidDeploymentRequest" or "ApplicationNotFound" ? ExitCodes.BadInput
        : ExitCodes.Failed;

    private static int CountTransitions(IReadOnlyList<HistoryEvent> history)
    {
        var transitions = 0;
        var attemptsInState = 0;
        foreach (var e in history)
        {
            if (e.Type.EndsWith("StateEntered", StringComparison.Ordinal))
            {
                transitions++;
                attemptsInState = 0;
            }
            else if (e.Type is "LambdaFunctionScheduled" or "TaskScheduled")
            {
                if (attemptsInState++ > 0)
                {
                    transitions++;
                }
            }
        }

        return transitions;
    }
}
