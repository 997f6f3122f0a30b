using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Phoenix.Core.Domain;
using Phoenix.Core.Ports;

namespace Phoenix.Core.Workflow;

/// <summary>The raw workflow input, exactly as the caller sent it.</summary>
public sealed record ValidateInput(JsonNode? Request);

/// <summary>The request with every default filled in; later states read only this.</summary>
public sealed record ValidateOutput(DeploymentRequest Request);

/// <summary>
/// Checks the workflow input before anything is touched: unknown fields, the application (its topology must exist),
/// the image id (without one, a bake project whose source takes the commit: <see cref="BakeSources"/>), capacities, traffic
/// steps and waits, and that the strategy's longest execution fits Step Functions'
/// history (<see cref="WorstCaseHistoryEvents"/>). Then what the fleet must be for Phoenix to deploy it safely: no warm pool
/// or mixed-instances policy, no listener rule that could not move with the live colour (UnsupportedFleet), a capacity that
/// does not shrink the live fleet unless <c>capacity.allowShrink</c> says so (InvalidDeploymentRequest), and no alarm
/// already in ALARM unless <c>strategy.ignoreAlarms</c> names it (AlarmAlreadyFiring). Every problem of a kind is reported
/// at once, each naming the bad value. Reads only; running it twice changes nothing.
/// </summary>
public sealed partial class ValidateStep(WorkflowPorts ports, WorkflowSettings settings)
{
    public const int MaxTrafficSteps = 10;

    /// <summary>Step Functions caps a Wait at a year; a day is already far beyond any sensible deployment wait.</summary>
    public const int MaxWaitSeconds = 24 * 3600;

    /// <summary>Step Functions' hard quota: a Standard execution fails once its history reaches this many events.</summary>
    public const int HistoryEventLimit = 25_000;

    /// <summary>
    /// The most <see cref="WorstCaseHistoryEvents"/> may be. The 5,000 events left over are for retries, which the bound does
    /// not count: a retried Lambda invocation adds three events (scheduled, started, failed), so over 1,600 retries fit.
    /// </summary>
    public const int MaxHistoryEvents = 20_000;

    // Events per state as Step Functions records them (and Phoenix.Asl reproduces): a Lambda Task entered, scheduled,
    // started, succeeded, exited; a .waitForTaskToken Task adds TaskSubmitted; Wait, Choice and Pass are entered and exited.
    private const int LambdaTaskEvents = 5;
    private const int CallbackTaskEvents = 6;
    private const int FlowStateEvents = 2;

    // The loops of statemachines/deploy.asl.json: each poll is a Wait, a Lambda Task and a Choice.
    private const int PollEvents = FlowStateEvents + LambdaTaskEvents + FlowStateEvents;
    private const int BakePollSeconds = 60;
    private const int HealthPollSeconds = 15;

    private static readonly string[] TopFields = ["application", "imageId", "source", "strategy", "capacity", "dryRun"];
    private static readonly string[] SourceFields = ["commit", "repository", "trigger"];
    private static readonly string[] StrategyFields =
        ["trafficSteps", "stepWaitSeconds", "bakeTimeSeconds", "keepPreviousSeconds", "approval", "healthTimeoutSeconds", "bakeTimeoutSeconds", "ignoreAlarms"];
    private static readonly string[] CapacityFields = ["min", "max", "desired", "allowShrink"];

    public async Task<ValidateOutput> ExecuteAsync(ValidateInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var errors = new List<string>();
        if (input.Request is not JsonObject request)
        {
            throw new InvalidDeploymentRequest($"The deployment request must be a JSON object, got {Describe(input.Request)}.");
        }

        RejectUnknown(request, TopFields, "", errors);
        var application = ReadApplication(request, errors);
        var imageId = ReadImageId(request, errors);
        var source = ReadSource(request, errors);
        var strategy = ReadStrategy(request, errors);
        var (capacity, allowShrink) = ReadCapacity(request, errors);
        var dryRun = ReadBool(request, "dryRun", "dryRun", errors) ?? false;
        var history = WorstCaseHistoryEvents(strategy);
        if (history > MaxHistoryEvents)
        {
            errors.Add($"strategy could run to {history} Step Functions history events at its limits (bakeTimeoutSeconds {strategy.BakeTimeoutSeconds}, "
                + $"healthTimeoutSeconds {strategy.HealthTimeoutSeconds}, {strategy.TrafficSteps.Count} traffic steps, bakeTimeSeconds {strategy.BakeTimeSeconds}); "
                + $"at most {MaxHistoryEvents} are allowed so that retries fit in the {HistoryEventLimit}-event history of one execution");
        }

        FleetTopology? known = null;

        if (application is not null)
        {
            var topology = await ports.Topologies.GetAsync(application, cancellationToken);
            if (topology is null)
            {
                // Unknown application is its own error type so callers can tell a typo from a malformed request.
                if (errors.Count == 0)
                {
                    throw new ApplicationNotFound($"Unknown application '{application}': no topology is stored for it.");
                }

                errors.Add($"unknown application '{application}': no topology is stored for it");
            }
            else
            {
                CheckTopology(topology, imageId, strategy, errors);
                if (imageId is null && await BakeSources.ProblemAsync(ports.Baker, application, topology.BakeProject ?? settings.BakeProject, cancellationToken) is { } bake)
                {
                    errors.Add(bake);
                }

                known = topology;
            }
        }

        ThrowIfAny(errors);
        await CheckFleetAsync(known!, strategy, capacity, allowShrink, cancellationToken);
        return new ValidateOutput(new DeploymentRequest(application!, imageId, source, strategy, capacity, dryRun, allowShrink));
    }

    private static void ThrowIfAny(List<string> errors)
    {
        if (errors.Count > 0)
        {
            throw new InvalidDeploymentRequest("Invalid deployment request: " + string.Join("; ", errors) + ".");
        }
    }

    /// <summary>
    /// What the fleet must be for Phoenix to deploy it, read through the ports. A group or listener that cannot be read is
    /// left to ResolveFleet, which reports it as FleetInconsistent.
    /// </summary>
    private async Task CheckFleetAsync(FleetTopology topology, DeploymentStrategy strategy, Capacity? capacity, bool allowShrink, CancellationToken cancellationToken)
    {
        var unsupported = new List<string>();
        var groups = new Dictionary<Colour, AutoScalingGroup>();
        foreach (var colour in new[] { Colour.Blue, Colour.Green })
        {
            var name = topology.For(colour).AutoScalingGroupName;
            if (await ports.AutoScaling.DescribeAutoScalingGroupAsync(name, cancellationToken) is not { } group)
            {
                continue;
            }

            groups[colour] = group;
            if (group.LaunchTemplate is null)
            {
                unsupported.Add(group.LaunchConfigurationRefusal);
            }

            if (group.HasWarmPool)
            {
                unsupported.Add($"Auto Scaling group '{name}' has a warm pool: its instances were prepared from an earlier launch template version "
                    + "and would join the new colour with the old image; delete the warm pool (DeleteWarmPool) to deploy with Phoenix");
            }

            if (group.HasMixedInstancesPolicy)
            {
                unsupported.Add($"Auto Scaling group '{name}' has a mixed-instances policy: Phoenix points the group at one launch template version, "
                    + "which would replace the policy; use a single launch template");
            }
        }

        var actions = await ports.LoadBalancer.DescribeListenerActionsAsync(topology.ListenerArn, cancellationToken);
        var rules = await ports.LoadBalancer.DescribeRulesAsync(topology.ListenerArn, cancellationToken);
        unsupported.AddRange(Listener.UnmovableRules(topology, actions, rules)
            .Select(r => $"listener '{topology.ListenerArn}' {r}"));
        if (unsupported.Count > 0)
        {
            throw new UnsupportedFleet($"Application '{topology.Application}' cannot be deployed by Phoenix as it is: " + string.Join("; ", unsupported) + ".");
        }

        if (capacity is not null && !allowShrink && LiveColour(topology, actions) is { } live && groups.TryGetValue(live, out var liveGroup)
            && capacity.Desired < liveGroup.DesiredCapacity)
        {
            ThrowIfAny([$"capacity.desired {capacity.Desired} is below the {live.ToWire()} colour's current desired capacity {liveGroup.DesiredCapacity} "
                + $"(group '{liveGroup.AutoScalingGroupName}'), which would shrink the live fleet; set capacity.allowShrink to true if that is intended"]);
        }

        await CheckAlarmsAsync(topology, strategy, cancellationToken);
    }

    private async Task CheckAlarmsAsync(FleetTopology topology, DeploymentStrategy strategy, CancellationToken cancellationToken)
    {
        if (topology.AlarmNames.Count == 0)
        {
            return;
        }

        var ignored = strategy.IgnoreAlarms ?? [];
        var alarms = await ports.Alarms.DescribeAlarmsAsync(topology.AlarmNames, cancellationToken);
        var firing = alarms.Where(a => a.StateValue == "ALARM" && !ignored.Contains(a.AlarmName)).ToList();
        if (firing.Count > 0)
        {
            throw new AlarmAlreadyFiring(
                $"Alarm{(firing.Count > 1 ? "s" : "")} of '{topology.Application}' already in ALARM before the deployment: "
                + string.Join("; ", firing.Select(a => $"{a.AlarmName} since {a.StateUpdatedTimestamp:O}{(a.StateReason is null ? "" : $" ({a.StateReason})")}"))
                + ". A deployment would roll back at its first alarm check; fix the cause, or name the alarm in strategy.ignoreAlarms to deploy anyway.");
        }
    }

    /// <summary>The colour the listener's default forward sends traffic to, or null when none or both (ResolveFleet judges those).</summary>
    private static Colour? LiveColour(FleetTopology topology, IReadOnlyList<ListenerAction> actions)
    {
        var weights = actions.Where(a => a.Forward is not null).SelectMany(a => a.Forward!.TargetGroups).Where(w => w.Weight > 0).ToList();
        if (weights.Count != 1)
        {
            return null;
        }

        return weights[0].TargetGroupArn == topology.Blue.TargetGroupArn ? Colour.Blue
            : weights[0].TargetGroupArn == topology.Green.TargetGroupArn ? Colour.Green
            : null;
    }

    /// <summary>Whether <paramref name="value"/> is an application name Validate accepts (the ledger and lock are keyed by it).</summary>
    public static bool IsApplicationName(string value) => ApplicationPattern().IsMatch(value);

    /// <summary>Whether <paramref name="value"/> has the shape of an AMI id.</summary>
    public static bool IsImageId(string value) => ImageIdPattern().IsMatch(value);

    /// <summary>
    /// Why <paramref name="steps"/> is not a valid <c>strategy.trafficSteps</c> (null when it is): Validate's own rule, for
    /// callers that check a request before starting it.
    /// </summary>
    public static string? TrafficStepsProblem(IReadOnlyList<int> steps)
    {
        ArgumentNullException.ThrowIfNull(steps);
        var errors = new List<string>();
        ReadTrafficSteps(new JsonObject { ["trafficSteps"] = new JsonArray([.. steps.Select(s => (JsonNode)s)]) }, errors);
        return errors.FirstOrDefault();
    }

    /// <summary>
    /// The most history events one execution of statemachines/deploy.asl.json can record under this strategy, retries
    /// aside: the longest path (a bake, approval, every traffic step, the bake-time watch, then Finalize and the tail) with
    /// every poll loop run to its deadline. The bake loop polls every 60 s until bakeTimeoutSeconds, the health loop every
    /// 15 s until healthTimeoutSeconds, each traffic step is SwapTraffic + wait + alarm check + Choice, and the watch polls
    /// at most once a minute for bakeTimeSeconds. A loop polls at most its length in whole intervals, rounded up: the poll at
    /// or past its deadline ends it either way (done, or failed). Kept beside the ASL's structure on purpose: a test runs the shipped
    /// definition at these maxima and fails when the two drift apart.
    /// </summary>
    public static int WorstCaseHistoryEvents(DeploymentStrategy strategy)
    {
        ArgumentNullException.ThrowIfNull(strategy);
        long events = 2; // ExecutionStarted, ExecutionSucceeded/Failed.
        events += LambdaTaskEvents + FlowStateEvents;            // Validate, IsDryRun
        events += LambdaTaskEvents + LambdaTaskEvents;           // AcquireLock, ResolveFleet
        events += FlowStateEvents + LambdaTaskEvents;            // HasImage, StartBake
        events += Polls(strategy.BakeTimeoutSeconds, BakePollSeconds) * PollEvents;
        events += FlowStateEvents;                               // UseBakedImage
        events += LambdaTaskEvents + LambdaTaskEvents;           // UpdateLaunchTemplate, ScaleUpGreen
        events += Polls(strategy.HealthTimeoutSeconds, HealthPollSeconds) * PollEvents;
        events += FlowStateEvents;                               // NeedsApproval
        events += strategy.Approval ? CallbackTaskEvents : 0;    // RequestApproval
        events += FlowStateEvents;                               // StartTrafficShift
        events += (long)strategy.TrafficSteps.Count * (LambdaTaskEvents + FlowStateEvents + LambdaTaskEvents + FlowStateEvents);
        events += LambdaTaskEvents + FlowStateEvents;            // StartBakeTimeWatch, IsWatchComplete
        events += Polls(strategy.BakeTimeSeconds, CheckAlarmsStep.PollSeconds) * PollEvents;

        // The longest ending: Finalize, KeepPreviousWarm, ScaleDownPrevious, ReleaseLock, NotifySucceeded, Deployed
        // (longer than any failure ending: Rollback, ReleaseLockAfterFailure, NotifyFailed, DeploymentFailed).
        events += LambdaTaskEvents + FlowStateEvents + (3 * LambdaTaskEvents) + FlowStateEvents;
        return (int)Math.Min(events, int.MaxValue);
    }

    private static long Polls(int seconds, int interval) => seconds <= 0 ? 0 : (seconds + interval - 1) / interval;

    private void CheckTopology(FleetTopology topology, string? imageId, DeploymentStrategy strategy, List<string> errors)
    {
        if (strategy.Approval && string.IsNullOrEmpty(topology.DeploymentTopicArn ?? settings.DeploymentTopicArn))
        {
            errors.Add($"strategy.approval is true but application '{topology.Application}' has no deployment topic to ask for approval on");
        }

        if (topology.DefaultCapacity <= 0)
        {
            errors.Add($"application '{topology.Application}' has defaultCapacity {topology.DefaultCapacity} in its topology; it must be at least 1");
        }

        foreach (var name in (strategy.IgnoreAlarms ?? []).Where(n => !topology.AlarmNames.Contains(n)))
        {
            errors.Add($"strategy.ignoreAlarms names '{name}', which is not an alarm of application '{topology.Application}' "
                + $"(its alarms: {(topology.AlarmNames.Count == 0 ? "none" : string.Join(", ", topology.AlarmNames))})");
        }
    }

    private static string? ReadApplication(JsonObject request, List<string> errors)
    {
        if (!request.TryGetPropertyValue("application", out var node) || node is null)
        {
            errors.Add("application is required");
            return null;
        }

        if (node.GetValueKind() != JsonValueKind.String)
        {
            errors.Add($"application must be a string, got {Describe(node)}");
            return null;
        }

        var application = node.GetValue<string>();
        if (!ApplicationPattern().IsMatch(application))
        {
            errors.Add($"application '{application}' is not a valid name (letters, digits, '-', '_' and '.', at most 64 characters)");
            return null;
        }

        return application;
    }

    private static string? ReadImageId(JsonObject request, List<string> errors)
    {
        var imageId = ReadString(request, "imageId", "imageId", errors);
        if (imageId is not null && !ImageIdPattern().IsMatch(imageId))
        {
            errors.Add($"imageId '{imageId}' is not an AMI id (ami- followed by 8 or 17 lowercase hex digits)");
            return null;
        }

        return imageId;
    }

    private static DeploymentSource ReadSource(JsonObject request, List<string> errors)
    {
        var source = ReadObject(request, "source", "source", errors);
        if (source is null)
        {
            return new DeploymentSource(null, null, null);
        }

        RejectUnknown(source, SourceFields, "source.", errors);
        return new DeploymentSource(
            ReadString(source, "commit", "source.commit", errors),
            ReadString(source, "repository", "source.repository", errors),
            ReadString(source, "trigger", "source.trigger", errors));
    }

    private static DeploymentStrategy ReadStrategy(JsonObject request, List<string> errors)
    {
        var defaults = DeploymentStrategy.Default;
        var strategy = ReadObject(request, "strategy", "strategy", errors);
        if (strategy is null)
        {
            return defaults;
        }

        RejectUnknown(strategy, StrategyFields, "strategy.", errors);
        return new DeploymentStrategy(
            ReadTrafficSteps(strategy, errors) ?? defaults.TrafficSteps,
            ReadSeconds(strategy, "stepWaitSeconds", allowZero: true, errors) ?? defaults.StepWaitSeconds,
            ReadSeconds(strategy, "bakeTimeSeconds", allowZero: true, errors) ?? defaults.BakeTimeSeconds,
            ReadSeconds(strategy, "keepPreviousSeconds", allowZero: true, errors) ?? defaults.KeepPreviousSeconds,
            ReadBool(strategy, "approval", "strategy.approval", errors) ?? defaults.Approval,
            ReadSeconds(strategy, "healthTimeoutSeconds", allowZero: false, errors) ?? defaults.HealthTimeoutSeconds,
            ReadSeconds(strategy, "bakeTimeoutSeconds", allowZero: false, errors) ?? defaults.BakeTimeoutSeconds,
            ReadNames(strategy, "ignoreAlarms", errors) ?? []);
    }

    private static List<string>? ReadNames(JsonObject strategy, string name, List<string> errors)
    {
        if (!strategy.TryGetPropertyValue(name, out var node) || node is null)
        {
            return null;
        }

        if (node is not JsonArray array || array.Any(i => i is null || i.GetValueKind() != JsonValueKind.String || string.IsNullOrWhiteSpace(i.GetValue<string>())))
        {
            errors.Add($"strategy.{name} must be an array of alarm names, got {Describe(node)}");
            return null;
        }

        return array.Select(i => i!.GetValue<string>()).Distinct(StringComparer.Ordinal).ToList();
    }

    private static List<int>? ReadTrafficSteps(JsonObject strategy, List<string> errors)
    {
        if (!strategy.TryGetPropertyValue("trafficSteps", out var node) || node is null)
        {
            return null;
        }

        if (node is not JsonArray array || array.Count == 0)
        {
            errors.Add($"strategy.trafficSteps must be a non-empty array of percentages ending at 100, got {Describe(node)}");
            return null;
        }

        if (array.Count > MaxTrafficSteps)
        {
            errors.Add($"strategy.trafficSteps has {array.Count} steps; at most {MaxTrafficSteps} are allowed");
            return null;
        }

        var steps = new List<int>(array.Count);
        foreach (var item in array)
        {
            if (!TryGetInt(item, out var step) || step is < 1 or > 100)
            {
                errors.Add($"strategy.trafficSteps value {Describe(item)} is not a whole percentage from 1 to 100");
                return null;
            }

            if (steps.Count > 0 && step <= steps[^1])
            {
                errors.Add($"strategy.trafficSteps {Describe(array)} must be strictly increasing: {step} follows {steps[^1]}");
                return null;
            }

            steps.Add(step);
        }

        if (steps[^1] != 100)
        {
            errors.Add($"strategy.trafficSteps {Describe(array)} must end at 100, not {steps[^1]}");
            return null;
        }

        return steps;
    }

    private static int? ReadSeconds(JsonObject strategy, string name, bool allowZero, List<string> errors)
    {
        if (!strategy.TryGetPropertyValue(name, out var node) || node is null)
        {
            return null;
        }

        var minimum = allowZero ? 0 : 1;
        if (!TryGetInt(node, out var seconds) || seconds < minimum || seconds > MaxWaitSeconds)
        {
            errors.Add($"strategy.{name} {Describe(node)} must be a whole number of seconds from {minimum} to {MaxWaitSeconds}");
            return null;
        }

        return seconds;
    }

    private static (Capacity? Capacity, bool AllowShrink) ReadCapacity(JsonObject request, List<string> errors)
    {
        var capacity = ReadObject(request, "capacity", "capacity", errors);
        if (capacity is null)
        {
            return (null, false);
        }

        var allowShrink = ReadBool(capacity, "allowShrink", "capacity.allowShrink", errors) ?? false;
        return (ReadSizes(capacity, errors), allowShrink);
    }

    private static Capacity? ReadSizes(JsonObject capacity, List<string> errors)
    {
        RejectUnknown(capacity, CapacityFields, "capacity.", errors);
        var before = errors.Count;
        var desired = ReadPositive(capacity, "desired", errors);
        if (desired is null && before == errors.Count)
        {
            errors.Add("capacity.desired is required when capacity is given");
        }

        var min = ReadPositive(capacity, "min", errors) ?? desired;
        var max = ReadPositive(capacity, "max", errors) ?? desired;
        if (errors.Count > before || desired is null)
        {
            return null;
        }

        if (min > desired || desired > max)
        {
            errors.Add($"capacity min {min}, desired {desired}, max {max} must satisfy min <= desired <= max");
            return null;
        }

        return new Capacity(min!.Value, max!.Value, desired.Value);
    }

    private static int? ReadPositive(JsonObject capacity, string name, List<string> errors)
    {
        if (!capacity.TryGetPropertyValue(name, out var node) || node is null)
        {
            return null;
        }

        if (!TryGetInt(node, out var value) || value < 1)
        {
            errors.Add($"capacity.{name} {Describe(node)} must be a whole number of at least 1");
            return null;
        }

        return value;
    }

    private static void RejectUnknown(JsonObject value, string[] known, string prefix, List<string> errors)
    {
        foreach (var (name, _) in value)
        {
            if (Array.IndexOf(known, name) < 0)
            {
                errors.Add($"unknown field '{prefix}{name}' (expected one of: {string.Join(", ", known)})");
            }
        }
    }

    private static JsonObject? ReadObject(JsonObject parent, string name, string path, List<string> errors)
    {
        if (!parent.TryGetPropertyValue(name, out var node) || node is null)
        {
            return null;
        }

        if (node is not JsonObject value)
        {
            errors.Add($"{path} must be an object, got {Describe(node)}");
            return null;
        }

        return value;
    }

    private static string? ReadString(JsonObject parent, string name, string path, List<string> errors)
    {
        if (!parent.TryGetPropertyValue(name, out var node) || node is null)
        {
            return null;
        }

        if (node.GetValueKind() != JsonValueKind.String)
        {
            errors.Add($"{path} must be a string, got {Describe(node)}");
            return null;
        }

        return node.GetValue<string>();
    }

    private static bool? ReadBool(JsonObject parent, string name, string path, List<string> errors)
    {
        if (!parent.TryGetPropertyValue(name, out var node) || node is null)
        {
            return null;
        }

        var kind = node.GetValueKind();
        if (kind is not (JsonValueKind.True or JsonValueKind.False))
        {
            errors.Add($"{path} must be true or false, got {Describe(node)}");
            return null;
        }

        return kind == JsonValueKind.True;
    }

    private static bool TryGetInt(JsonNode? node, out int value)
    {
        value = 0;
        return node is JsonValue json && json.GetValueKind() == JsonValueKind.Number && json.TryGetValue(out value);
    }

    private static string Describe(JsonNode? node) => node is null ? "null" : node.ToJsonString();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")]
    private static partial Regex ApplicationPattern();

    [GeneratedRegex("^ami-([0-9a-f]{8}|[0-9a-f]{17})$")]
    private static partial Regex ImageIdPattern();
}
