using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Phoenix.Asl;
using Phoenix.Core.Domain;

namespace Phoenix.Cli.Simulation;

/// <summary>
/// Plain-text live progress and summary of a simulated deployment, or its JSON document. Plain lines on purpose: they
/// read the same in a terminal, a CI log and a file. Times are elapsed virtual time; causes are said in words first,
/// with the workflow's own error (its timestamps turned into elapsed time) beside them.
/// </summary>
public sealed class SimulationReport
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };
    private static readonly Regex Timestamp = new(@"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)", RegexOptions.CultureInvariant);
    private readonly TextWriter _output;
    private readonly ProgressRows _rows;

    public SimulationReport(TextWriter output)
    {
        _output = output;
        var shape = DeploymentSimulation.Shape;
        _rows = new ProgressRows(output, shape.LoopStates(), shape.Nodes.Where(n => n.Type == "Task").Select(n => n.Name).ToHashSet(StringComparer.Ordinal));
    }

    public void WriteHeader(string scenario, string description, SimulationSetup setup)
    {
        ArgumentNullException.ThrowIfNull(setup);
        var output = _output;
        var t = setup.Timings;
        var initial = setup.InitialCapacity ?? setup.Capacity;
        output.WriteLine($"phoenix simulate: scenario '{scenario}' — {description}");
        output.WriteLine(initial == 0
            ? $"Fleet '{setup.Application}': empty (first deployment), capacity {setup.Capacity}"
            : $"Fleet '{setup.Application}': {initial} instance(s) of {setup.InitialImageId} on blue, listener 100% blue");
        output.WriteLine((setup.ImageId, setup.DryRun) switch
        {
            ({ } image, true) => $"Planning a deployment of {image} (dry run: nothing is locked, written or changed)",
            (null, true) => $"Planning a deployment of commit {setup.Source.Commit} of {setup.Source.Repository} (dry run: nothing is baked, locked, written or changed)",
            ({ } image, false) => $"Deploying {image} (given: no bake)",
            _ => $"Deploying commit {setup.Source.Commit} of {setup.Source.Repository} (its image is baked first)",
        });
        output.WriteLine(
            $"Timing model: launch {Seconds(t.InstanceLaunch)}, boot {Seconds(setup.ImageBoot ?? t.ApplicationBoot)}, health checks every {Seconds(t.HealthCheckInterval)} "
            + $"(healthy {t.HealthyThreshold}, unhealthy {t.UnhealthyThreshold}, timeout {Seconds(t.HealthCheckTimeout)}), "
            + $"grace {Seconds(setup.HealthCheckGracePeriod ?? t.HealthCheckGracePeriod)}, deregistration {Seconds(t.DeregistrationDelay)}, bake {Seconds(t.Bake)}");
        output.WriteLine($"Virtual clock starts {setup.Start:yyyy-MM-ddTHH:mm:ssZ}; each row is a state that ran: the elapsed virtual time it ended and the fleet it left.");
        output.WriteLine();
    }

    /// <summary>
    /// A state was entered or the execution ended: the state before it is written with the fleet it left behind, and
    /// the passes of a loop as one row (see <see cref="ProgressRows"/>).
    /// </summary>
    public void WriteProgress(ProgressUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        if (update.Kind == "End")
        {
            _rows.Ended(update.ExecutionName, update.Elapsed, update.Fleet);
            return;
        }

        var prefix = update.ExecutionName.EndsWith("-second", StringComparison.Ordinal) ? "[2nd] " : "";
        _rows.Entered(update.ExecutionName, prefix, update.State ?? "", update.Elapsed, update.Fleet);
    }

    /// <summary>Writes what is still held (a loop in progress, the last state) for hosts that send no end update.</summary>
    public void EndProgress() => _rows.EndAll();

    public void WriteSummary(SimulationResult result, TimeSpan wallTime)
    {
        ArgumentNullException.ThrowIfNull(result);
        var output = _output;
        _rows.EndAll();
        output.WriteLine();
        var final = result.FinalFleet;
        var execution = result.Execution;
        var setup = result.Setup;
        string Elapsed(DateTimeOffset at) => Clock(at - setup.Start);
        var explanation = Explain(result);
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
                        + $"running {plan["previousImageId"]?.ToString() ?? "nothing"}"
                        + (setup.ImageId is null ? "; the image would be baked from the commit first." : "."));
                }

                break;
            default:
                var word = result.Outcome == SimulationOutcome.Aborted ? "ABORTED" : "FAILED";
                var ledger = result.LedgerEntry?.Result ?? "no ledger entry";
                // The ledger's word is shown only when it adds something: FAILED (FAILED) says nothing twice.
                output.WriteLine($"Result: {word}{(ledger == word ? "" : $" ({ledger})")} — {explanation}");
                output.WriteLine($"  Workflow error: {execution.Error}: {InElapsedTime(execution.Cause, setup.Start)}");
                break;
        }

        output.WriteLine(
            $"Virtual duration: {Clock(result.VirtualDuration)} (simulated in {wallTime.TotalMilliseconds:0} ms of wall time)");
        output.WriteLine(
            $"State transitions: {result.StateTransitions} (Step Functions Standard: ${result.StepFunctionsCost.ToString("0.00000", CultureInfo.InvariantCulture)} at $0.025 per 1,000)");
        output.WriteLine("Traffic timeline:");
        foreach (var point in result.TrafficChanges)
        {
            output.WriteLine($"  {Elapsed(point.At)}  blue {point.Blue.Weight,3}%  green {point.Green.Weight,3}%");
        }

        if (Approval(result) is { } approval)
        {
            output.WriteLine(approval);
        }

        var rollback = result.Execution.History.FirstOrDefault(e => e.StateName == "Rollback" && e.Type.EndsWith("StateEntered", StringComparison.Ordinal));
        if (rollback is not null && result.Outcome == SimulationOutcome.RollbackFailed)
        {
            output.WriteLine($"Rollback started at {Elapsed(rollback.Timestamp)} and FAILED: manual action needed ({InElapsedTime(execution.Cause, setup.Start)}).");
        }
        else if (rollback is not null)
        {
            // A failed execution has no output, so the colour that served before comes from the traffic timeline.
            var initial = result.TrafficChanges.Count > 0 ? result.TrafficChanges[0] : null;
            var previous = initial is null ? null : initial.Blue.Weight > 0 ? "blue" : initial.Green.Weight > 0 ? "green" : null;
            output.WriteLine(
                $"Rolled back at {Elapsed(rollback.Timestamp)}: "
                + (previous is null ? "no colour served before, " : $"traffic back to {previous}, ")
                + $"the new colour scaled to 0, because {explanation}");
        }
        else if (result.Outcome == SimulationOutcome.Failed)
        {
            output.WriteLine("Nothing to roll back: the deployment failed before its first change.");
        }

        if (result.Runs[0].Cleanup is { } cleanup)
        {
            output.WriteLine($"Status-change event ({cleanup.Status}) to the drift handler: {InElapsedTime(cleanup.Detail, setup.Start)}");
        }

        output.WriteLine(Invariant(result));
        output.WriteLine(LockLine(result));
        output.WriteLine(result.LedgerEntry is { } entry
            ? $"Ledger: {entry.DeploymentId} {entry.Result} image {entry.ImageId ?? "-"} (previous {entry.PreviousImageId ?? "-"})"
            : setup.DryRun ? "Ledger: no entry (a dry run writes none)." : "Ledger: no entry for this deployment.");
        if (result.Concurrent is { } concurrent && setup.ConcurrentDeploymentAfter is { } after)
        {
            var refused = concurrent.Error == "DeploymentLocked";
            output.WriteLine(
                $"Second deployment (started at {Clock(after)}): "
                + (refused ? "refused by the lock, nothing changed" : concurrent.Status.ToString().ToUpperInvariant())
                + $" — {concurrent.Error}: {InElapsedTime(concurrent.Cause, setup.Start)}");
        }

        var region = result.Region;
        if (region.ThrottledCalls > 0 || result.CrashesInjected > 0 || region.LostResponses > 0 || region.StaleReads > 0 || region.FailedByOutage > 0)
        {
            output.WriteLine(
                $"Faults: {region.ThrottledCalls} throttled call(s), {region.LostResponses} lost response(s), {region.StaleReads} stale read(s), "
                + $"{region.FailedByOutage} call(s) refused by an outage, {result.CrashesInjected} Lambda crash(es).");
        }

        output.WriteLine($"Notifications published: {(result.Published.Count == 0 ? "none" : string.Join("; ", result.Published.Select(p => Notification(result, p))))}");
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
        _output.WriteLine(document.ToJsonString(Indented));
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

    private static string Clock(TimeSpan elapsed) => ProgressRows.Clock(elapsed);

    private static string Seconds(TimeSpan span) => span.TotalSeconds % 60 == 0 && span.TotalSeconds >= 120
        ? $"{span.TotalMinutes:0} min"
        : $"{span.TotalSeconds:0} s";

    /// <summary>Every absolute timestamp in a message from the workflow, as elapsed virtual time since the run started.</summary>
    internal static string? InElapsedTime(string? text, DateTimeOffset start) => text is null ? null : Timestamp.Replace(
        text,
        m => DateTimeOffset.TryParse(m.Value, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at) ? $"T+{Clock(at - start)}" : m.Value);

    /// <summary>
    /// Why the deployment failed, in words. A health deadline says how many of the new colour's instances passed their checks
    /// in the time allowed and how many the group replaced after failed ELB health checks: the targets the workflow's error
    /// lists as draining at the deadline are those replacements, not the reason.
    /// </summary>
    internal static string Explain(SimulationResult result)
    {
        var execution = result.Execution;
        var start = result.Setup.Start;
        if (execution.Error == "HealthCheckFailed")
        {
            var failedAt = execution.History.Count > 0 ? execution.History[^1].Timestamp : start + result.VirtualDuration;
            var initial = result.TrafficChanges.Count > 0 ? result.TrafficChanges[0] : null;
            var target = initial is not null && initial.Green.Weight > 0 && initial.Blue.Weight == 0 ? Colour.Blue : Colour.Green;
            var group = result.Topology.For(target).AutoScalingGroupName;
            var before = result.Timeline.LastOrDefault(p => p.At <= failedAt);
            var desired = result.Timeline.Where(p => p.At <= failedAt).Select(p => p.For(target).DesiredCapacity).DefaultIfEmpty(0).Max();
            var healthy = before?.For(target).HealthyTargets ?? 0;
            var launched = result.Changes.Where(c => c.At <= failedAt && c.Kind == "Instance" && c.Detail.StartsWith($"Pending in {group} ", StringComparison.Ordinal))
                .Select(c => c.Subject).ToHashSet(StringComparer.Ordinal);
            var replaced = result.Changes.Count(c => c.At <= failedAt && c.Kind == "Instance" && launched.Contains(c.Subject)
                && c.Detail.StartsWith("marked Unhealthy by ELB health check", StringComparison.Ordinal));
            var window = TimeSpan.FromSeconds(result.Setup.HealthTimeoutSeconds ?? 900);
            return $"{healthy} of {desired} {target.ToWire()} instances passed health checks within {ProgressRows.Duration(window)}"
                + (replaced > 0 ? $"; the group replaced {replaced} of them after failed ELB health checks." : ".");
        }

        return $"{execution.Error}: {InElapsedTime(execution.Cause, start)}";
    }

    /// <summary>
    /// The invariant line says what was checked, so a run in which no colour with traffic needed a healthy target (the
    /// empty blue of a first deployment, before the swap) is not reported as if it had protected anything.
    /// </summary>
    internal static string Invariant(SimulationResult result)
    {
        if (result.Violations.Count > 0)
        {
            return $"Safety invariant: VIOLATED {result.Violations.Count} time(s); first: {result.Violations[0]}";
        }

        var points = result.Timeline;
        var guarded = points.Where(p => (p.Blue.Traffic > 0 && p.Blue.DesiredCapacity > 0) || (p.Green.Traffic > 0 && p.Green.DesiredCapacity > 0)).ToList();
        var most = guarded.Select(p => Math.Max(p.Blue.Traffic > 0 ? p.Blue.DesiredCapacity : 0, p.Green.Traffic > 0 ? p.Green.DesiredCapacity : 0)).DefaultIfEmpty(0).Max();
        if (guarded.Count == points.Count)
        {
            return $"Safety invariant: held at all {points.Count} recorded moments (every colour with traffic had its desired capacity healthy, up to {most} targets).";
        }

        if (guarded.Count == 0)
        {
            return $"Safety invariant: nothing to check at the {points.Count} recorded moments: no colour with traffic had any desired capacity (the fleet was empty throughout).";
        }

        return $"Safety invariant: held at all {points.Count} recorded moments; at {guarded.Count} of them a colour with traffic needed healthy targets (up to {most}), "
            + $"at the other {points.Count - guarded.Count} the listener pointed only at a colour with no desired capacity (the empty fleet before the first swap).";
    }

    private static string LockLine(SimulationResult result)
    {
        if (result.Lock is { } held)
        {
            return $"Lock: STILL HELD by {held.Owner} until T+{Clock(held.ExpiresAt - result.Setup.Start)}.";
        }

        var acquired = result.Execution.History.Any(e => e.StateName == "AcquireLock" && e.Type.EndsWith("StateEntered", StringComparison.Ordinal));
        return result.Setup.DryRun ? "Lock: never taken (a dry run does not lock)."
            : acquired ? "Lock: released."
            : "Lock: never taken (the execution ended before AcquireLock).";
    }

    /// <summary>
    /// What the approval request said and the task token the execution waited on (the request names the execution;
    /// <c>phoenix approve</c> looks the token up in the ledger), and when the answer came.
    /// </summary>
    internal static string? Approval(SimulationResult result)
    {
        var history = result.Execution.History;
        var requested = history.FirstOrDefault(e => e.StateName == "RequestApproval" && e.Type.EndsWith("StateEntered", StringComparison.Ordinal));
        var message = result.Published.FirstOrDefault(p => p.Subject?.StartsWith("Phoenix: approve", StringComparison.Ordinal) == true);
        if (requested is null || message is null)
        {
            return null;
        }

        var start = result.Setup.Start;
        var content = (JsonNode.Parse(message.Message) as JsonObject)?["content"];
        // The history holds the task's parameters as JSON text, the token under the name the definition gave it.
        var token = history.Where(e => e.Id > requested.Id && e.Type == "TaskScheduled")
            .SelectMany(e => e.Details.Select(d => d.Value is JsonValue v && v.TryGetValue<string>(out var text) ? text : ""))
            .Select(d => Regex.Match(d, "\"taskToken\":\"([^\"]+)\"", RegexOptions.IgnoreCase)).FirstOrDefault(m => m.Success)?.Groups[1].Value;
        var answered = history.FirstOrDefault(e => e.Id > requested.Id && e.Type.EndsWith("StateExited", StringComparison.Ordinal) && e.StateName == "RequestApproval")
            ?? history.FirstOrDefault(e => e.Id > requested.Id && e.Type.EndsWith("StateEntered", StringComparison.Ordinal));
        var text = new System.Text.StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"Approval requested at {Clock(message.At - start)}: \"{message.Subject}\"");
        if (content?["description"]?.ToString() is { Length: > 0 } description)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n  {description.ReplaceLineEndings("\n  ")}");
        }

        foreach (var step in (content?["nextSteps"] as JsonArray ?? []).Select(n => n?.ToString()).Where(n => !string.IsNullOrEmpty(n)))
        {
            text.Append(CultureInfo.InvariantCulture, $"\n  next step: {step}");
        }

        text.Append(CultureInfo.InvariantCulture, $"\n  Task token the execution waited on: {token ?? "(not in the history)"} (kept in the ledger entry, where phoenix approve/reject find it)");
        if (answered is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n  Answered at {Clock(answered.Timestamp - start)}: {(result.Setup.Approval?.Approve == false ? "rejected" : "approved")}.");
        }

        return text.ToString();
    }

    /// <summary>A published message: when, for which execution, and its subject (or its chat title when it has none).</summary>
    private static string Notification(SimulationResult result, PublishedMessage message)
    {
        var subject = message.Subject
            ?? ((JsonNode.Parse(message.Message) as JsonObject)?["content"]?["title"]?.ToString() is { Length: > 0 } title ? title : message.Id);
        var second = result.Concurrent is not null && message.Message.Contains(result.DeploymentId + "-second", StringComparison.Ordinal);
        return $"{Clock(message.At - result.Setup.Start)} {(second ? "[2nd] " : "")}\"{subject}\"";
    }
}
