using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Phoenix.Core.Domain;

namespace Phoenix.Core.Workflow;

/// <summary>The raw workflow input, exactly as the caller sent it.</summary>
public sealed record ValidateInput(JsonNode? Request);

/// <summary>The request with every default filled in; later states read only this.</summary>
public sealed record ValidateOutput(DeploymentRequest Request);

/// <summary>
/// Checks the workflow input before anything is touched: unknown fields, the application (its topology must exist),
/// the image id, capacities, traffic steps and waits. Every problem is reported at once, each naming the bad value.
/// Reads only; running it twice changes nothing.
/// </summary>
public sealed partial class ValidateStep(WorkflowPorts ports, WorkflowSettings settings)
{
    public const int MaxTrafficSteps = 10;

    /// <summary>Step Functions caps a Wait at a year; a day is already far beyond any sensible deployment wait.</summary>
    public const int MaxWaitSeconds = 24 * 3600;

    private static readonly string[] TopFields = ["application", "imageId", "source", "strategy", "capacity", "dryRun"];
    private static readonly string[] SourceFields = ["commit", "repository", "trigger"];
    private static readonly string[] StrategyFields =
        ["trafficSteps", "stepWaitSeconds", "bakeTimeSeconds", "keepPreviousSeconds", "approval", "healthTimeoutSeconds", "bakeTimeoutSeconds"];
    private static readonly string[] CapacityFields = ["min", "max", "desired"];

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
        var capacity = ReadCapacity(request, errors);
        var dryRun = ReadBool(request, "dryRun", "dryRun", errors) ?? false;

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
            }
        }

        if (errors.Count > 0)
        {
            throw new InvalidDeploymentRequest("Invalid deployment request: " + string.Join("; ", errors) + ".");
        }

        return new ValidateOutput(new DeploymentRequest(application!, imageId, source, strategy, capacity, dryRun));
    }

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

        if (imageId is null && string.IsNullOrEmpty(topology.BakeProject ?? settings.BakeProject))
        {
            errors.Add($"imageId is required: application '{topology.Application}' has no bake project to build an image from");
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
            ReadSeconds(strategy, "bakeTimeoutSeconds", allowZero: false, errors) ?? defaults.BakeTimeoutSeconds);
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

    private static Capacity? ReadCapacity(JsonObject request, List<string> errors)
    {
        var capacity = ReadObject(request, "capacity", "capacity", errors);
        if (capacity is null)
        {
            return null;
        }

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
