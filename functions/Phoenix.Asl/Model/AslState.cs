using System.Text.Json.Nodes;

namespace Phoenix.Asl.Model;

/// <summary>One parsed state. Fields that do not apply to its type stay at their defaults.</summary>
internal sealed class AslState
{
    public required string Name { get; init; }

    public required string Type { get; init; }

    /// <summary>QueryLanguage JSONata (the state's own, else the machine's): fields below hold {% %} templates.</summary>
    public bool Jsonata { get; init; }

    /// <summary>The state as written: a JSONata state's expression fields (TimeoutSeconds, Seconds, …) are read from here.</summary>
    public JsonObject Raw { get; init; } = [];

    /// <summary>JSONata: the Task's or Parallel's input (default: the state input).</summary>
    public JsonNode? Arguments { get; init; }

    /// <summary>JSONata: the state output (default: the result, or the input for states without one).</summary>
    public JsonNode? Output { get; init; }

    /// <summary>JSONata Map: the array to iterate (default: the state input).</summary>
    public JsonNode? Items { get; init; }

    public string? Next { get; init; }

    public bool End { get; init; }

    // "$" when absent; null when the definition sets the field to JSON null (discard / empty object).
    public string? InputPath { get; init; } = "$";

    public string? OutputPath { get; init; } = "$";

    public string? ResultPath { get; init; } = "$";

    public JsonNode? Parameters { get; init; }

    public bool HasParameters { get; init; }

    public JsonNode? ResultSelector { get; init; }

    public JsonNode? Result { get; init; }

    /// <summary>Assign: variable names (keys may end in <c>.$</c>) to values, stored when the state exits.</summary>
    public JsonNode? Assign { get; init; }

    public bool HasResult { get; init; }

    public IReadOnlyList<Retrier> Retry { get; init; } = [];

    public IReadOnlyList<Catcher> Catch { get; init; } = [];

    // Task
    public string? Resource { get; init; }

    public int? TimeoutSeconds { get; init; }

    public string? TimeoutSecondsPath { get; init; }

    public int? HeartbeatSeconds { get; init; }

    public string? HeartbeatSecondsPath { get; init; }

    /// <summary>Credentials: <c>{"RoleArn": "arn:…"}</c> or <c>{"RoleArn.$": path}</c>, the role assumed for the task.</summary>
    public JsonNode? Credentials { get; init; }

    // Choice
    public IReadOnlyList<ChoiceRule> Choices { get; init; } = [];

    public string? Default { get; init; }

    // Wait
    public JsonNode? Seconds { get; init; }

    public string? SecondsPath { get; init; }

    public string? Timestamp { get; init; }

    public string? TimestampPath { get; init; }

    // Fail
    public string? Error { get; init; }

    public string? ErrorPath { get; init; }

    public string? Cause { get; init; }

    public string? CausePath { get; init; }

    // Parallel
    public IReadOnlyList<StatesBlock> Branches { get; init; } = [];

    // Map
    public string ItemsPath { get; init; } = "$";

    public JsonNode? ItemSelector { get; init; }

    public StatesBlock? ItemProcessor { get; init; }

    public int MaxConcurrency { get; init; }

    public string? MaxConcurrencyPath { get; init; }

    public double? ToleratedFailurePercentage { get; init; }

    public string? ToleratedFailurePercentagePath { get; init; }

    public int? ToleratedFailureCount { get; init; }

    public string? ToleratedFailureCountPath { get; init; }

    // The history event types, built once rather than per transition.
    internal string EnteredEvent => field ??= Type + "StateEntered";

    internal string ExitedEvent => field ??= Type + "StateExited";
}

/// <summary>A StartAt and its States: the machine itself, a Parallel branch or a Map's item processor.</summary>
internal sealed record StatesBlock(string StartAt, IReadOnlyDictionary<string, AslState> States);

internal sealed record Retrier(
    IReadOnlyList<string> ErrorEquals,
    double IntervalSeconds,
    int MaxAttempts,
    double BackoffRate,
    int? MaxDelaySeconds,
    bool FullJitter);

internal sealed record Catcher(IReadOnlyList<string> ErrorEquals, string Next, string? ResultPath, JsonNode? Assign = null, JsonNode? Output = null);

/// <summary>A Choice rule: a comparison, or And/Or/Not of rules; only top-level rules carry Next.</summary>
internal sealed record ChoiceRule(
    string? Variable,
    string? Operator,
    JsonNode? Operand,
    IReadOnlyList<ChoiceRule>? And,
    IReadOnlyList<ChoiceRule>? Or,
    ChoiceRule? Not,
    string? Next,
    JsonNode? Assign = null,
    JsonNode? Condition = null,
    JsonNode? Output = null)
{
    /// <summary>A comparison rule (not And/Or/Not) compiled on first use.</summary>
    internal ChoiceEvaluator.Comparison Comparison => field ??= new ChoiceEvaluator.Comparison(this);
}
