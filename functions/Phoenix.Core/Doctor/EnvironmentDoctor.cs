using System.Globalization;
using System.Text.Json;
using Phoenix.Core.Discovery;
using Phoenix.Core.Ports;
using Phoenix.Core.Serialization;

namespace Phoenix.Core.Doctor;

/// <summary>
/// What <c>phoenix doctor</c> checks: the region it looks in, the pipeline stack's name, optionally one application whose
/// topology must exist, and the shell's current values of the variables the CLI reads (<see cref="PublishedEnvironment.All"/>;
/// Core reads no environment itself).
/// </summary>
public sealed record DoctorRequest(
    string Region,
    IReadOnlyDictionary<string, string?> Variables,
    string StackName = EnvironmentDoctor.DefaultStackName,
    string? Application = null,
    string TopologyPrefix = EnvironmentDoctor.DefaultTopologyPrefix);

public enum CheckStatus
{
    Ok,
    Problem,

    /// <summary>Nothing to fix, but worth knowing (a variable left unset that <c>phoenix deploy</c> finds by discovery).</summary>
    Info,

    /// <summary>Could not be checked because what it checks is unknown (a problem elsewhere says why).</summary>
    Skipped,
}

/// <summary>One check: a stable <paramref name="Name"/> (JSON, tests), its outcome and, in words, what was found or what to do.</summary>
public sealed record DoctorCheck(string Name, CheckStatus Status, string Detail);

/// <summary>
/// An environment variable the CLI reads that is unset or names something else than the stack does: set it to
/// <paramref name="Value"/>. <paramref name="Optional"/>: unset, but <c>phoenix deploy</c> finds the value by discovery.
/// </summary>
public sealed record VariableToSet(string Name, string Value, string? Current, bool Optional = false);

public sealed record DoctorReport(string Region, IReadOnlyList<DoctorCheck> Checks, IReadOnlyList<VariableToSet> VariablesToSet)
{
    public int Problems => Checks.Count(c => c.Status == CheckStatus.Problem);

    public bool Healthy => Problems == 0;

    /// <summary>The report for a terminal: one line per check, the count, then the <c>export</c> lines to paste.</summary>
    public IReadOnlyList<string> Lines()
    {
        var width = Checks.Max(c => c.Name.Length);
        var lines = new List<string>();
        foreach (var check in Checks)
        {
            var status = check.Status switch { CheckStatus.Ok => "ok", CheckStatus.Problem => "PROBLEM", CheckStatus.Info => "info", _ => "skipped" };
            lines.Add($"{status,-8} {check.Name.PadRight(width)}  {check.Detail}");
        }

        var skipped = Checks.Count(c => c.Status == CheckStatus.Skipped);
        var skippedNote = skipped == 0 ? string.Empty : $" ({skipped} skipped)";
        lines.Add(Healthy
            ? $"No problems found in {Region}{skippedNote}."
            : $"{Problems} problem{(Problems == 1 ? string.Empty : "s")} found in {Region}{skippedNote}.");
        if (VariablesToSet.Where(v => !v.Optional).ToList() is { Count: > 0 } required)
        {
            lines.Add("Set these for the phoenix CLI:");
            lines.AddRange(required.Select(v => $"  export {v.Name}={v.Value}"));
        }

        if (VariablesToSet.Where(v => v.Optional).ToList() is { Count: > 0 } optional)
        {
            lines.Add("Optional (phoenix deploy finds these by discovery):");
            lines.AddRange(optional.Select(v => $"  export {v.Name}={v.Value}"));
        }

        return lines;
    }
}

/// <summary>
/// Checks a deployment environment the way a newcomer's first deployment would find it broken: the pipeline stack and
/// its outputs, the <c>/phoenix/environment/</c> parameters that publish the same values, the shell variables the CLI
/// reads, the table and state machine they name, the applications' topologies, the AWS Config recorder the drift rules
/// need, and the notification topics (encrypted, with someone subscribed). Every check runs even when another fails; a
/// check whose AWS call fails (access denied, throttling) is a problem naming the error, not a crash. Read-only.
/// </summary>
public sealed class EnvironmentDoctor(IDeploymentEnvironment aws)
{
    public const string DefaultStackName = "PhoenixPipeline";

    public const string DefaultTopologyPrefix = "/phoenix/apps/";

    private static IReadOnlyList<EnvironmentValue> Values => PublishedEnvironment.All;

    private static readonly string[] UsableStackStatuses =
        ["CREATE_COMPLETE", "UPDATE_COMPLETE", "UPDATE_ROLLBACK_COMPLETE", "IMPORT_COMPLETE", "IMPORT_ROLLBACK_COMPLETE"];

    public async Task<DoctorReport> RunAsync(DoctorRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var checks = new List<DoctorCheck>();
        StackDescription? stack = null;
        checks.Add(await GuardAsync("stack", async () =>
        {
            stack = await aws.DescribeStackAsync(request.StackName, cancellationToken);
            return StackCheck(request, stack);
        }));

        IReadOnlyDictionary<string, string> parameters = new Dictionary<string, string>();
        checks.Add(await GuardAsync("parameters", async () =>
        {
            parameters = await aws.GetParametersByPathAsync(PublishedEnvironment.Path, cancellationToken);
            return ParametersCheck(request, stack, parameters);
        }));

        // What the stack says, else what its parameters say: the values everything else is checked against.
        var known = Values.ToDictionary(
            v => v.Output,
            v => stack?.Outputs.GetValueOrDefault(v.Output) ?? parameters.GetValueOrDefault(v.ParameterName));
        var (variablesCheck, toSet) = VariablesCheck(request, known, parameters);
        checks.Add(variablesCheck);

        string? Resolve(EnvironmentValue value) =>
            known[value.Output] ?? (value.Variable is null ? null : request.Variables.GetValueOrDefault(value.Variable));
        var table = Resolve(PublishedEnvironment.TableName);
        checks.Add(table is null
            ? new DoctorCheck("table", CheckStatus.Skipped, "no table name: the stack has no TableName output and PHOENIX_TABLE is not set.")
            : await GuardAsync("table", async () => TableCheck(request, table, await aws.DescribeTableStatusAsync(table, cancellationToken))));

        var stateMachine = Resolve(PublishedEnvironment.StateMachineArn);
        checks.Add(stateMachine is null
            ? new DoctorCheck("state-machine", CheckStatus.Skipped, "no state machine ARN: the stack has no StateMachineArn output and PHOENIX_STATE_MACHINE_ARN is not set.")
            : await GuardAsync("state-machine", async () =>
                StateMachineCheck(request, stateMachine, await aws.DescribeStateMachineStatusAsync(stateMachine, cancellationToken))));

        checks.Add(await GuardAsync("topology", async () =>
            TopologyCheck(request, await aws.GetParametersByPathAsync(request.TopologyPrefix, cancellationToken))));
        checks.Add(await GuardAsync("config-recorder", async () =>
            RecorderCheck(request, await aws.DescribeConfigurationRecorderStatusAsync(cancellationToken))));

        foreach (var (name, output, what) in new[]
        {
            ("deploy-topic", PublishedEnvironment.DeployTopicArn.Output, "deployment notifications"),
            ("drift-topic", PublishedEnvironment.DriftTopicArn.Output, "drift alerts"),
        })
        {
            var topic = known[output];
            checks.Add(topic is null
                ? new DoctorCheck(name, CheckStatus.Skipped, $"no topic ARN: the stack has no {output} output.")
                : await GuardAsync(name, async () => TopicCheck(name, topic, what, await aws.DescribeTopicAsync(topic, cancellationToken))));
        }

        return new DoctorReport(request.Region, checks, toSet);
    }

    private static async Task<DoctorCheck> GuardAsync(string name, Func<Task<DoctorCheck>> check)
    {
        try
        {
            return await check();
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
        {
            return new DoctorCheck(name, CheckStatus.Problem, $"could not check: {ex.Message.TrimEnd('.')} ({ex.GetType().Name}).");
        }
    }

    private static DoctorCheck StackCheck(DoctorRequest request, StackDescription? stack)
    {
        if (stack is null)
        {
            return Problem("stack", $"stack {request.StackName} not found in {request.Region}: deploy the stacks (npx --prefix cdk/tools cdk deploy --all), "
                + "or pass the --region they are in (--stack-name if yours is named otherwise).");
        }

        if (!UsableStackStatuses.Contains(stack.Status))
        {
            return Problem("stack", $"stack {request.StackName} is {stack.Status}: wait for it to finish, or fix and redeploy it (its events say why).");
        }

        var missing = Values.Where(v => !stack.Outputs.ContainsKey(v.Output)).Select(v => v.Output).ToList();
        return missing.Count > 0
            ? Problem("stack", $"stack {request.StackName} ({stack.Status}) lacks the output{(missing.Count == 1 ? string.Empty : "s")} {string.Join(", ", missing)}: "
                + "it is not a Phoenix pipeline stack, or an older one; redeploy it.")
            : Ok("stack", $"{request.StackName} {stack.Status}, outputs {string.Join(", ", Values.Select(v => v.Output))}.");
    }

    private static DoctorCheck ParametersCheck(DoctorRequest request, StackDescription? stack, IReadOnlyDictionary<string, string> parameters)
    {
        var found = Values.Where(v => parameters.ContainsKey(v.ParameterName)).ToList();
        if (found.Count == 0)
        {
            return Problem("parameters", $"no parameters under {PublishedEnvironment.Path} in {request.Region}: "
                + $"{(stack is null ? "the pipeline stack publishes them" : $"stack {request.StackName} predates them; redeploy it")}.");
        }

        var problems = new List<string>();
        var missing = Values.Except(found).Select(v => v.ParameterName).ToList();
        if (missing.Count > 0)
        {
            problems.Add($"missing {string.Join(", ", missing)}");
        }

        foreach (var value in found)
        {
            var parameter = parameters[value.ParameterName];
            if (stack?.Outputs.GetValueOrDefault(value.Output) is { } output && output != parameter)
            {
                problems.Add($"{value.ParameterName} is '{parameter}' but stack output {value.Output} is '{output}'");
            }
        }

        return problems.Count > 0
            ? Problem("parameters", $"{string.Join("; ", problems)}: redeploy {request.StackName}, which writes them.")
            : Ok("parameters", $"{found.Count} under {PublishedEnvironment.Path}{(stack is null ? string.Empty : ", as the stack's outputs")}.");
    }

    /// <summary>
    /// The CLI's variables against what the stack says. An unset variable whose value is published under
    /// <see cref="PublishedEnvironment.Path"/> is no problem for a value <c>phoenix deploy</c> discovers: it is reported as
    /// information ("found by discovery"), with its export line offered as optional.
    /// </summary>
    private static (DoctorCheck Check, List<VariableToSet> ToSet) VariablesCheck(
        DoctorRequest request, Dictionary<string, string?> known, IReadOnlyDictionary<string, string> parameters)
    {
        var problems = new List<string>();
        var notes = new List<string>();
        var toSet = new List<VariableToSet>();
        var fine = new List<string>();
        foreach (var value in Values.Where(v => v.Variable is not null))
        {
            var variable = value.Variable!;
            var current = request.Variables.GetValueOrDefault(variable);
            current = string.IsNullOrWhiteSpace(current) ? null : current;
            var expected = known[value.Output];
            var published = parameters.GetValueOrDefault(value.ParameterName);
            if (current is null && value.Discoverable && !string.IsNullOrWhiteSpace(published))
            {
                notes.Add($"{variable} is not set: found by discovery ({value.ParameterName}, which {Readers(value)})");
                toSet.Add(new VariableToSet(variable, published, null, Optional: true));
            }
            else if (expected is null)
            {
                if (current is null)
                {
                    problems.Add($"{variable} is not set, and nothing here says what to set it to");
                }
                else
                {
                    fine.Add($"{variable} (not compared: no {value.Output} found)");
                }
            }
            else if (current is null)
            {
                problems.Add($"{variable} is not set");
                toSet.Add(new VariableToSet(variable, expected, null));
            }
            else if (current != expected)
            {
                problems.Add($"{variable} is '{current}' but the stack's {value.Output} is '{expected}'");
                toSet.Add(new VariableToSet(variable, expected, current));
            }
            else
            {
                fine.Add(variable);
            }
        }

        var exportNote = toSet.Count > 0 ? " (export lines below)" : string.Empty;
        if (problems.Count > 0)
        {
            return (Problem("variables", $"{string.Join("; ", problems.Concat(notes))}{exportNote}."), toSet);
        }

        if (notes.Count > 0)
        {
            var alsoFine = fine.Count > 0 ? $"; {string.Join(" and ", fine)} set as the stack says" : string.Empty;
            return (new DoctorCheck("variables", CheckStatus.Info, $"{string.Join("; ", notes)}{alsoFine}{exportNote}."), toSet);
        }

        return (Ok("variables", $"{string.Join(" and ", fine)} set as the stack says."), toSet);
    }

    /// <summary>Which commands read a published value when it is not given: the table is also found by every command that reads the ledger or the lock.</summary>
    private static string Readers(EnvironmentValue value) =>
        value == PublishedEnvironment.TableName ? "phoenix deploy, history, rollback, unlock, abort and approve read" : "phoenix deploy reads";

    private static DoctorCheck TableCheck(DoctorRequest request, string table, string? status) => status switch
    {
        null => Problem("table", $"table {table} does not exist in {request.Region}."),
        "ACTIVE" or "UPDATING" => Ok("table", $"{table} {status}."),
        _ => Problem("table", $"table {table} is {status}, not ACTIVE."),
    };

    private static DoctorCheck StateMachineCheck(DoctorRequest request, string arn, string? status) => status switch
    {
        null => Problem("state-machine", $"state machine {arn} does not exist{(arn.Contains($":{request.Region}:", StringComparison.Ordinal) ? string.Empty : $" (it is not in {request.Region}: pass --region)")}."),
        "ACTIVE" => Ok("state-machine", $"{arn} ACTIVE."),
        _ => Problem("state-machine", $"state machine {arn} is {status}."),
    };

    private static DoctorCheck TopologyCheck(DoctorRequest request, IReadOnlyDictionary<string, string> parameters)
    {
        const string leaf = "/topology";
        var prefix = request.TopologyPrefix.EndsWith('/') ? request.TopologyPrefix : request.TopologyPrefix + "/";
        var topologies = parameters
            .Where(p => p.Key.StartsWith(prefix, StringComparison.Ordinal) && p.Key.EndsWith(leaf, StringComparison.Ordinal))
            .Select(p => (Application: p.Key[prefix.Length..^leaf.Length], Name: p.Key, Json: p.Value))
            .Where(t => t.Application.Length > 0 && !t.Application.Contains('/', StringComparison.Ordinal))
            .OrderBy(t => t.Application, StringComparer.Ordinal)
            .ToList();
        var problems = new List<string>();
        var read = new List<string>();
        foreach (var (application, name, json) in topologies)
        {
            try
            {
                var topology = JsonSerializer.Deserialize(json, CoreJsonContext.Default.FleetTopology);
                if (topology is null || topology.Blue is null || topology.Green is null || string.IsNullOrEmpty(topology.ListenerArn))
                {
                    problems.Add($"{name} is not a whole topology (blue, green and listenerArn are required)");
                }
                else if (topology.Application != application)
                {
                    problems.Add($"{name} is the topology of '{topology.Application}', not of '{application}'");
                }
                else
                {
                    read.Add($"{application} (blue {topology.Blue.AutoScalingGroupName}, green {topology.Green.AutoScalingGroupName})");
                }
            }
            catch (JsonException ex)
            {
                problems.Add($"{name} is not a readable topology: {ex.Message}");
            }
        }

        if (request.Application is { } wanted && topologies.All(t => t.Application != wanted))
        {
            problems.Add($"no topology for '{wanted}' at {prefix}{wanted}{leaf}: deploy PhoenixFleet with -c phoenix:application={wanted}, or run phoenix adopt --app {wanted}");
        }
        else if (topologies.Count == 0)
        {
            problems.Add($"no application topology under {prefix}: deploy PhoenixFleet, or put an existing fleet under Phoenix with phoenix adopt");
        }

        return problems.Count > 0 ? Problem("topology", string.Join("; ", problems) + ".") : Ok("topology", string.Join(", ", read) + ".");
    }

    private static DoctorCheck RecorderCheck(DoctorRequest request, IReadOnlyList<RecorderStatus> recorders)
    {
        if (recorders.Count == 0)
        {
            return Problem("config-recorder", $"no AWS Config configuration recorder in {request.Region}: the drift stack's Config rules evaluate nothing without one; "
                + "set one up (AWS Config console, \"Get started\") and start it.");
        }

        var problems = new List<string>();
        foreach (var recorder in recorders)
        {
            if (!recorder.Recording)
            {
                problems.Add($"recorder {recorder.Name} is stopped (aws configservice start-configuration-recorder --configuration-recorder-name {recorder.Name})");
            }
            else if (Failed(recorder))
            {
                problems.Add($"recorder {recorder.Name} is on but its last recording failed: {recorder.LastErrorCode}: {recorder.LastErrorMessage}");
            }
        }

        // One working recorder is all the rules need (a region holds one customer recorder, plus any service-linked ones).
        var working = recorders.Where(r => r.Recording && !Failed(r)).ToList();
        return working.Count == 0
            ? Problem("config-recorder", string.Join("; ", problems) + ".")
            : Ok("config-recorder", string.Join(", ", working.Select(r => $"{r.Name} recording{(r.LastStatus is null ? string.Empty : $" (last status {r.LastStatus})")}")) + ".");

        static bool Failed(RecorderStatus recorder) => string.Equals(recorder.LastStatus, "Failure", StringComparison.OrdinalIgnoreCase);
    }

    private static DoctorCheck TopicCheck(string name, string arn, string what, TopicDescription? topic)
    {
        if (topic is null)
        {
            return Problem(name, $"topic {arn} does not exist.");
        }

        var problems = new List<string>();
        if (string.IsNullOrEmpty(topic.KmsMasterKeyId))
        {
            problems.Add($"topic {arn} is not encrypted (no KmsMasterKeyId): the PhoenixPipeline stack creates it with its own KMS key; redeploy it");
        }

        var confirmed = topic.Subscriptions.Where(s => s.Confirmed).ToList();
        var pending = topic.Subscriptions.Count - confirmed.Count;
        var pendingNote = pending == 0 ? string.Empty : $" ({pending} waiting for confirmation)";
        if (confirmed.Count == 0)
        {
            problems.Add($"topic {arn} has no confirmed subscription{pendingNote}: nobody receives {what}; configure a chat channel "
                + "(-c phoenix:slackWorkspaceId=… -c phoenix:slackChannelId=…, or the Teams keys) or subscribe (aws sns subscribe --topic-arn … --protocol email …)");
        }

        return problems.Count > 0
            ? Problem(name, string.Join("; ", problems) + ".")
            : Ok(name, $"{arn}: encrypted ({topic.KmsMasterKeyId}), {confirmed.Count.ToString(CultureInfo.InvariantCulture)} confirmed "
                + $"subscription{(confirmed.Count == 1 ? string.Empty : "s")} ({string.Join(", ", confirmed.Select(s => s.Protocol).Distinct(StringComparer.Ordinal))}){pendingNote}.");
    }

    private static DoctorCheck Ok(string name, string detail) => new(name, CheckStatus.Ok, detail);

    private static DoctorCheck Problem(string name, string detail) => new(name, CheckStatus.Problem, detail);
}

