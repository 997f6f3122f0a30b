using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Phoenix.Asl;
using Phoenix.Core.Domain;

namespace Phoenix.Cli.Simulation;

/// <summary>
/// Plain-text live progress and summary of a simulated deployment, or its JSON document. Plain lines on purpose: they
/// read the same in a terminal, a CI log and a file.
/// </summary>
public sealed class SimulationReport(TextWriter output)
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };
    private readonly HashSet<string> _printedSinceFleetChange = new(StringComparer.Ordinal);
    private string? _lastFleet;

    public void WriteHeader(string scenario, string description, SimulationSetup setup)
    {
        ArgumentNullException.ThrowIfNull(setup);
        var t = setup.Timings;
        var initial = setup.InitialCapacity ?? setup.Capacity;
        output.WriteLine($"phoenix simulate: scenario '{scenario}' — {description}");
        output.WriteLine(initial == 0
            ? $"Fleet '{setup.Application}': empty (first deployment), capacity {setup.Capacity}"
            : $"Fleet '{setup.Application}': {initial} instance(s) of {setup.InitialImageId} on blue, listener 100% blue");
        output.WriteLine(setup.ImageId is { } image
            ? $"Deploying {image} (given: no bake)"
            : $"Deploying commit {setup.Source.Commit} of {setup.Source.Repository} (baked first)");
        output.WriteLine(
            $"Timing model: launch {Seconds(t.InstanceLaunch)}, boot {Seconds(setup.ImageBoot ?? t.ApplicationBoot)}, health checks every {Seconds(t.HealthCheckInterval)} "
            + $"(healthy {t.HealthyThreshold}, unhealthy {t.UnhealthyThreshold}, timeout {Seconds(t.HealthCheckTimeout)}), "
            + $"grace {Seconds(setup.HealthCheckGracePeriod ?? t.HealthCheckGracePeriod)}, deregistration {Seconds(t.DeregistrationDelay)}, bake {Seconds(t.Bake)}");
        output.WriteLine($"Virtual clock starts {setup.Start:yyyy-MM-ddTHH:mm:ssZ}; times below are elapsed virtual time.");
        output.WriteLine();
    }

    /// <summary>
    /// One line per state entered, showing the fleet then; a loop that revisits the same states while nothing in the
    /// fleet changed prints nothing new, so a 15-minute health wait stays a few lines.
    /// </summary>
    public void WriteProgress(ProgressUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        var fleet = Fleet(update.Fleet);
        if (fleet != _lastFleet)
        {
            _printedSinceFleetChange.Clear();
            _lastFleet = fleet;
        }

        var label = update.Kind == "Traffic" ? "» listener weights changed" : update.State ?? "";
        if (update.ExecutionName.EndsWith("-second", StringComparison.Ordinal))
        {
            label = "[2nd] " + label;
        }

        if (!_printedSinceFleetChange.Add(label))
        {
            return;
        }

        output.WriteLine($"{Clock(update.Elapsed)}  {label,-28} {fleet}");
    }

    public void WriteSummary(SimulationResult result, TimeSpan wallTime)
    {
        ArgumentNullException.ThrowIfNull(result);
        output.WriteLine();
        var final = result.FinalFleet;
        var execution = result.Execution;
        switch (result.Outcome)
        {
            case SimulationOutcome.Deployed:
                var live = result.LiveColour ?? Colour.Green;
                var liveState = final.For(live);
                output.WriteLine(
                    $"Result: DEPLOYED — {result.NewImageId} is live on {live.ToWire()} ({liveState.HealthyTargets}/{liveState.DesiredCapacity} healthy, 100% of traffic); "
                    + $"{live.Other().ToWire()} scaled to {final.For(live.Other()).DesiredCapacity}.");
                break;
            case SimulationOutcome.DryRun:
                output.WriteLine("Result: DRY RUN — the plan was resolved and reported; nothing was locked, written or changed.");
                var plan = (execution.Output as JsonObject)?["resolved"]?["plan"];
                if (plan is not null)
                {
                    output.WriteLine(
                        $"  Plan: deploy to {plan["targetColour"]} at {plan["targetCapacity"]?["desired"]} instance(s); previous colour {plan["previousColour"]?.ToString() ?? "none"} "
                        + $"running {plan["previousImageId"]?.ToString() ?? "nothing"}.");
                }

                break;
            default:
                output.WriteLine(
                    $"Result: {(result.Outcome == SimulationOutcome.Aborted ? "ABORTED" : "FAILED")} ({result.LedgerEntry?.Result ?? "no ledger entry"}) — {execution.Error}: {execution.Cause}");
                break;
        }

        output.WriteLine(
            $"Virtual duration: {Clock(result.VirtualDuration)} (simulated in {wallTime.TotalMilliseconds:0} ms of wall time)");
        output.WriteLine(
            $"State transitions: {result.StateTransitions} (Step Functions Standard: ${result.StepFunctionsCost.ToString("0.00000", CultureInfo.InvariantCulture)} at $0.025 per 1,000)");
        output.WriteLine("Traffic timeline:");
        foreach (var point in result.TrafficChanges)
        {
            output.WriteLine($"  {Clock(point.At - result.Setup.Start)}  blue {point.Blue.Weight,3}%  green {point.Green.Weight,3}%");
        }

        var rollback = result.Execution.History.FirstOrDefault(e => e.StateName == "Rollback" && e.Type.EndsWith("StateEntered", StringComparison.Ordinal));
        if (rollback is not null && result.Outcome == SimulationOutcome.RollbackFailed)
        {
            output.WriteLine($"Rollback started at {Clock(rollback.Timestamp - result.Setup.Start)} and FAILED: manual action needed ({execution.Cause}).");
        }
        else if (rollback is not null)
        {
            // A failed execution has no output, so the colour that served before comes from the traffic timeline.
            var initial = result.TrafficChanges.Count > 0 ? result.TrafficChanges[0] : null;
            var previous = initial is null ? null : initial.Blue.Weight > 0 ? "blue" : initial.Green.Weight > 0 ? "green" : null;
            output.WriteLine(
                $"Rolled back at {Clock(rollback.Timestamp - result.Setup.Start)}: "
                + (previous is null ? "no colour served before, " : $"traffic back to {previous}, ")
                + $"the new colour scaled to 0, because {execution.Error}: {execution.Cause}");
        }
        else if (result.Outcome == SimulationOutcome.Failed)
        {
            output.WriteLine("Nothing to roll back: the deployment failed before its first change.");
        }

        if (result.Runs[0].Cleanup is { } cleanup)
        {
            output.WriteLine($"Status-change event ({cleanup.Status}) to the drift handler: {cleanup.Detail}");
        }

        output.WriteLine(result.Violations.Count == 0
            ? $"Safety invariant: held at all {result.Timeline.Count} recorded moments (every colour with traffic had its desired capacity healthy)."
            : $"Safety invariant: VIOLATED {result.Violations.Count} time(s); first: {result.Violations[0]}");
        output.WriteLine(result.Lock is null ? "Lock: released." : $"Lock: STILL HELD by {result.Lock.Owner} until {result.Lock.ExpiresAt:O}.");
        output.WriteLine(result.LedgerEntry is { } entry
            ? $"Ledger: {entry.DeploymentId} {entry.Result} image {entry.ImageId ?? "-"} (previous {entry.PreviousImageId ?? "-"})"
            : "Ledger: no entry for this deployment.");
        if (result.Concurrent is { } concurrent)
        {
            output.WriteLine($"Second deployment: {concurrent.Status} — {concurrent.Error}: {concurrent.Cause}");
        }

        var region = result.Region;
        if (region.ThrottledCalls > 0 || result.CrashesInjected > 0 || region.LostResponses > 0 || region.StaleReads > 0 || region.FailedByOutage > 0)
        {
            output.WriteLine(
                $"Faults: {region.ThrottledCalls} throttled call(s), {region.LostResponses} lost response(s), {region.StaleReads} stale read(s), "
                + $"{region.FailedByOutage} call(s) refused by an outage, {result.CrashesInjected} Lambda crash(es).");
        }

        output.WriteLine($"Notifications published: {string.Join("; ", result.Published.Select(p => p.Subject ?? p.Id))}");
    }

    public void WriteJson(string scenario, SimulationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var document = new JsonObject
        {
            ["scenario"] = scenario,
            ["outcome"] = result.Outcome.ToString(),
            ["exitCode"] = result.ExitCode,
            ["execution"] = Execution(result.ExecutionArn, result.Execution),
            ["virtualDurationSeconds"] = result.VirtualDuration.TotalSeconds,
            ["stateTransitions"] = result.StateTransitions,
            ["stepFunctionsCostUsd"] = result.StepFunctionsCost,
            ["concurrentExecution"] = result.Concurrent is { } c ? Execution(null, c) : null,
            ["runs"] = new JsonArray([.. result.Runs.Select(r => (JsonNode)new JsonObject
            {
                ["executionArn"] = r.ExecutionArn,
                ["status"] = r.Execution.Status.ToString(),
                ["error"] = r.Execution.Error,
                ["ledgerResult"] = r.LedgerEntry?.Result,
                ["imageId"] = r.ImageId,
                ["cleanup"] = r.Cleanup is { } cleanup ? new JsonObject { ["status"] = cleanup.Status, ["handled"] = cleanup.Handled, ["detail"] = cleanup.Detail } : null,
            })]),
            ["faults"] = new JsonObject
            {
                ["throttledCalls"] = result.Region.ThrottledCalls,
                ["lostResponses"] = result.Region.LostResponses,
                ["staleReads"] = result.Region.StaleReads,
                ["refusedByOutage"] = result.Region.FailedByOutage,
            },
            ["timeline"] = new JsonArray([.. result.Timeline.Select(p => (JsonNode)Point(p, result.Setup.Start))]),
            ["safetyInvariant"] = new JsonObject
            {
                ["held"] = result.Violations.Count == 0,
                ["pointsChecked"] = result.Timeline.Count,
                ["violations"] = new JsonArray([.. result.Violations.Select(v => (JsonNode)v.ToString())]),
            },
            ["finalFleet"] = new JsonObject { ["blue"] = Observation(result.FinalFleet.Blue), ["green"] = Observation(result.FinalFleet.Green) },
            ["lock"] = result.Lock is { } held ? new JsonObject { ["owner"] = held.Owner, ["expiresAt"] = held.ExpiresAt.ToString("O") } : null,
            ["ledger"] = new JsonArray([.. result.Ledger.Select(r => (JsonNode)new JsonObject
            {
                ["deploymentId"] = r.DeploymentId,
                ["result"] = r.Result,
                ["imageId"] = r.ImageId,
                ["previousImageId"] = r.PreviousImageId,
                ["colour"] = r.Colour,
                ["startedAt"] = r.StartedAt.ToString("O"),
                ["finishedAt"] = r.FinishedAt?.ToString("O"),
                ["error"] = r.Error,
            })]),
        };
        output.WriteLine(document.ToJsonString(Indented));
    }

    private static JsonObject Execution(string? arn, ExecutionResult execution) => new()
    {
        ["executionArn"] = arn,
        ["status"] = execution.Status.ToString().ToUpperInvariant(),
        ["error"] = execution.Error,
        ["cause"] = execution.Cause,
        ["events"] = new JsonArray([.. execution.History.Select(e => (JsonNode)e.ToJson())]),
    };

    private static JsonObject Point(TimelinePoint point, DateTimeOffset start) => new()
    {
        ["timestamp"] = point.At.ToString("yyyy-MM-ddTHH:mm:ssZ"),
        ["elapsedSeconds"] = (point.At - start).TotalSeconds,
        ["change"] = new JsonObject { ["kind"] = point.Cause.Kind, ["subject"] = point.Cause.Subject, ["detail"] = point.Cause.Detail },
        ["blue"] = State(point.Blue),
        ["green"] = State(point.Green),
    };

    private static JsonObject State(ColourState state) => new()
    {
        ["weight"] = state.Weight,
        ["desiredCapacity"] = state.DesiredCapacity,
        ["inService"] = state.InService,
        ["healthyTargets"] = state.HealthyTargets,
    };

    private static JsonObject Observation(ColourObservation o) => new()
    {
        ["weight"] = o.Weight,
        ["minSize"] = o.MinSize,
        ["maxSize"] = o.MaxSize,
        ["desiredCapacity"] = o.DesiredCapacity,
        ["inService"] = o.InService,
        ["healthyTargets"] = o.HealthyTargets,
        ["launchTemplateVersion"] = o.LaunchTemplateVersion,
        ["imageId"] = o.ImageId,
    };

    private static string Fleet(FleetObservation fleet) => $"| {Describe("blue", fleet.Blue)} | {Describe("green", fleet.Green)}";

    private static string Describe(string name, ColourObservation c) =>
        $"{name,-5} {c.Weight,3}%  desired {c.DesiredCapacity,-3} in service {c.InService,-3} healthy {c.HealthyTargets,-3}";

    private static string Clock(TimeSpan elapsed) => $"{(int)elapsed.TotalHours:00}:{elapsed.Minutes:00}:{elapsed.Seconds:00}";

    private static string Seconds(TimeSpan span) => span.TotalSeconds % 60 == 0 && span.TotalSeconds >= 120
        ? $"{span.TotalMinutes:0} min"
        : $"{span.TotalSeconds:0} s";
}
