using System.Text.Json;
using System.Text.Json.Nodes;

namespace Phoenix.Asl.Model;

/// <summary>
/// Turns definition JSON into the model, collecting every problem Step Functions' validation would report instead of
/// stopping at the first; each message names the state and the field.
/// </summary>
internal sealed class DefinitionParser
{
    private static readonly string[] StateTypes = ["Pass", "Task", "Choice", "Wait", "Succeed", "Fail", "Parallel", "Map"];

    private static readonly string[] WaitFields = ["Seconds", "SecondsPath", "Timestamp", "TimestampPath"];
    private static readonly HashSet<string> CommonFields = ["Type", "Comment", "QueryLanguage"];
    private static readonly HashSet<string> FlowFields = ["Next", "End"];
    private static readonly HashSet<string> IoFields = ["InputPath", "OutputPath"];
    private static readonly HashSet<string> ResultFields = ["ResultPath", "Parameters"];
    private static readonly HashSet<string> ErrorHandlingFields = ["ResultSelector", "Retry", "Catch"];

    private static readonly Dictionary<string, HashSet<string>> FieldsByType = new(StringComparer.Ordinal)
    {
        ["Pass"] = Union(CommonFields, FlowFields, IoFields, ResultFields, ["Result", "Assign"]),
        ["Task"] = Union(CommonFields, FlowFields, IoFields, ResultFields, ErrorHandlingFields,
            ["Resource", "TimeoutSeconds", "TimeoutSecondsPath", "HeartbeatSeconds", "HeartbeatSecondsPath", "Credentials", "Assign"]),
        ["Choice"] = Union(CommonFields, IoFields, ["Choices", "Default", "Assign"]),
        ["Wait"] = Union(CommonFields, FlowFields, IoFields, ["Seconds", "SecondsPath", "Timestamp", "TimestampPath", "Assign"]),
        ["Succeed"] = Union(CommonFields, IoFields),
        ["Fail"] = Union(CommonFields, ["Error", "ErrorPath", "Cause", "CausePath"]),
        ["Parallel"] = Union(CommonFields, FlowFields, IoFields, ResultFields, ErrorHandlingFields, ["Branches", "Assign"]),
        ["Map"] = Union(CommonFields, FlowFields, IoFields, ResultFields, ErrorHandlingFields,
            ["ItemsPath", "ItemSelector", "ItemProcessor", "Iterator", "MaxConcurrency", "MaxConcurrencyPath",
             "ToleratedFailurePercentage", "ToleratedFailurePercentagePath", "ToleratedFailureCount",
             "ToleratedFailureCountPath", "Label", "Assign"]),
    };

    private static readonly HashSet<string> RetrierFields =
        ["ErrorEquals", "IntervalSeconds", "MaxAttempts", "BackoffRate", "MaxDelaySeconds", "JitterStrategy", "Comment"];

    private static readonly HashSet<string> CatcherFields = ["ErrorEquals", "Next", "ResultPath", "Comment", "Assign"];

    // JSONata states (https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html): Arguments and Output
    // replace InputPath, Parameters, ResultSelector, ResultPath and OutputPath; no '…Path' fields; Items replaces ItemsPath.
    private static readonly HashSet<string> JsonataCommon = ["Type", "Comment", "QueryLanguage", "Output", "Assign"];

    private static readonly Dictionary<string, HashSet<string>> JsonataFieldsByType = new(StringComparer.Ordinal)
    {
        ["Pass"] = Union(JsonataCommon, FlowFields),
        ["Task"] = Union(JsonataCommon, FlowFields, ["Arguments", "Retry", "Catch", "Resource", "TimeoutSeconds", "HeartbeatSeconds", "Credentials"]),
        ["Choice"] = Union(JsonataCommon, ["Choices", "Default"]),
        ["Wait"] = Union(JsonataCommon, FlowFields, ["Seconds", "Timestamp"]),
        ["Succeed"] = Union(["Type", "Comment", "QueryLanguage", "Output"]),
        ["Fail"] = Union(["Type", "Comment", "QueryLanguage", "Error", "Cause"]),
        ["Parallel"] = Union(JsonataCommon, FlowFields, ["Arguments", "Retry", "Catch", "Branches"]),
        ["Map"] = Union(JsonataCommon, FlowFields, ["Retry", "Catch", "Items", "ItemSelector", "ItemProcessor", "Iterator", "MaxConcurrency",
            "ToleratedFailurePercentage", "ToleratedFailureCount", "Label"]),
    };

    // Fields a JSONata state may give as a {% %} expression instead of a literal of their JSONPath type.
    private static readonly string[] ExpressionFields =
        ["TimeoutSeconds", "HeartbeatSeconds", "Seconds", "Timestamp", "MaxConcurrency", "ToleratedFailurePercentage", "ToleratedFailureCount", "Error", "Cause"];

    private static readonly HashSet<string> JsonataCatcherFields = ["ErrorEquals", "Next", "Comment", "Assign", "Output"];

    private bool _defaultJsonata;

    internal static readonly HashSet<string> ComparisonOperators =
    [
        "StringEquals", "StringEqualsPath", "StringLessThan", "StringLessThanPath", "StringGreaterThan",
        "StringGreaterThanPath", "StringLessThanEquals", "StringLessThanEqualsPath", "StringGreaterThanEquals",
        "StringGreaterThanEqualsPath", "StringMatches",
        "NumericEquals", "NumericEqualsPath", "NumericLessThan", "NumericLessThanPath", "NumericGreaterThan",
        "NumericGreaterThanPath", "NumericLessThanEquals", "NumericLessThanEqualsPath", "NumericGreaterThanEquals",
        "NumericGreaterThanEqualsPath",
        "BooleanEquals", "BooleanEqualsPath",
        "TimestampEquals", "TimestampEqualsPath", "TimestampLessThan", "TimestampLessThanPath", "TimestampGreaterThan",
        "TimestampGreaterThanPath", "TimestampLessThanEquals", "TimestampLessThanEqualsPath", "TimestampGreaterThanEquals",
        "TimestampGreaterThanEqualsPath",
        "IsNull", "IsPresent", "IsNumeric", "IsString", "IsBoolean", "IsTimestamp",
    ];

    private readonly ProblemList _errors = new();

    // Every state's location by name: AWS requires names unique in the whole machine, branches and processors included.
    private readonly Dictionary<string, string> _stateLocations = new(StringComparer.Ordinal);

    public static (StatesBlock Machine, int? TimeoutSeconds, IReadOnlyList<AslDiagnostic> Diagnostics) Parse(JsonNode? root)
    {
        var parser = new DefinitionParser();
        if (root is not JsonObject obj)
        {
            parser._errors.Add("The definition must be a JSON object with StartAt and States.");
            return (new StatesBlock("", new Dictionary<string, AslState>()), null, parser._errors);
        }

        if (obj.TryGetPropertyValue("QueryLanguage", out var ql))
        {
            parser._defaultJsonata = parser.QueryLanguage(ql, "Field 'QueryLanguage' of the state machine") ?? false;
        }

        int? timeout = null;
        if (obj.ContainsKey("TimeoutSeconds"))
        {
            timeout = parser.PositiveInt(obj["TimeoutSeconds"], "Field 'TimeoutSeconds' of the state machine");
        }

        foreach (var (key, _) in obj)
        {
            if (key is not ("StartAt" or "States" or "Comment" or "Version" or "TimeoutSeconds" or "QueryLanguage"))
            {
                parser._errors.Add($"Field '{key}' of the state machine is not a valid top-level field.");
            }
        }

        var block = parser.ParseBlock(obj, "the state machine", "");
        return (block, timeout, parser._errors);
    }

    private StatesBlock ParseBlock(JsonObject obj, string where, string pointer)
    {
        var outer = _errors.Scope;
        _errors.Scope = pointer;
        try
        {
            return ParseBlockIn(obj, where, pointer);
        }
        finally
        {
            _errors.Scope = outer;
        }
    }

    private StatesBlock ParseBlockIn(JsonObject obj, string where, string pointer)
    {
        var startAt = obj["StartAt"] is JsonValue sv && sv.TryGetValue<string>(out var s) ? s : null;
        if (startAt is null)
        {
            _errors.Add($"Field 'StartAt' of {where} is missing or not a string.");
        }

        var states = new Dictionary<string, AslState>(StringComparer.Ordinal);
        if (obj["States"] is not JsonObject statesObj || statesObj.Count == 0)
        {
            _errors.Add($"Field 'States' of {where} is missing or empty.");
            return new StatesBlock(startAt ?? "", states);
        }

        var locations = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, node) in statesObj)
        {
            var location = $"{pointer}/States/{StrictJson.Escape(name)}";
            locations[name] = location;
            if (name.Length is 0 or > 80)
            {
                _errors.AddAt(location, $"State '{name}': the name must be 1 to 80 characters long.", AslDiagnosticCodes.InvalidStateName);
            }

            if (!_stateLocations.TryAdd(name, location))
            {
                _errors.AddAt(
                    location,
                    $"State '{name}': the name is already used at {_stateLocations[name]}; state names must be unique in the whole state machine, branches and item processors included.",
                    AslDiagnosticCodes.DuplicateStateName);
            }

            if (node is not JsonObject stateObj)
            {
                _errors.AddAt(location, $"State '{name}': the state must be a JSON object.");
                continue;
            }

            _errors.Scope = location;
            if (ParseState(name, stateObj) is { } state)
            {
                states[name] = state;
            }

            _errors.Scope = pointer;
        }

        if (startAt is not null && !statesObj.ContainsKey(startAt))
        {
            _errors.Add($"Field 'StartAt' of {where}: state '{startAt}' does not exist.");
        }

        foreach (var state in states.Values)
        {
            var at = locations[state.Name];
            CheckTarget(states, state.Name, "Next", state.Next, $"{at}/Next");
            CheckTarget(states, state.Name, "Default", state.Default, $"{at}/Default");
            for (var i = 0; i < state.Choices.Count; i++)
            {
                CheckTarget(states, state.Name, $"Choices[{i}].Next", state.Choices[i].Next, $"{at}/Choices/{i}/Next");
            }

            for (var i = 0; i < state.Catch.Count; i++)
            {
                CheckTarget(states, state.Name, $"Catch[{i}].Next", state.Catch[i].Next, $"{at}/Catch/{i}/Next");
            }
        }

        if (startAt is not null && states.ContainsKey(startAt))
        {
            var reached = new HashSet<string>(StringComparer.Ordinal) { startAt };
            var pending = new Stack<string>([startAt]);
            while (pending.TryPop(out var current))
            {
                var state = states[current];
                IEnumerable<string?> targets = [state.Next, state.Default, .. state.Choices.Select(c => c.Next), .. state.Catch.Select(c => c.Next)];
                foreach (var target in targets)
                {
                    if (target is not null && states.ContainsKey(target) && reached.Add(target))
                    {
                        pending.Push(target);
                    }
                }
            }

            foreach (var name in states.Keys.Where(n => !reached.Contains(n)))
            {
                _errors.AddAt(locations[name], $"State '{name}': it is not reachable from StartAt '{startAt}' of {where}.");
            }
        }

        return new StatesBlock(startAt ?? "", states);
    }

    private void CheckTarget(Dictionary<string, AslState> states, string stateName, string field, string? target, string location)
    {
        if (target is not null && !states.ContainsKey(target))
        {
            _errors.AddAt(location, $"State '{stateName}': field '{field}' refers to state '{target}', which does not exist in the same scope.", AslDiagnosticCodes.MissingTransitionTarget);
        }
    }

    private AslState? ParseState(string name, JsonObject obj)
    {
        var type = obj["Type"] is JsonValue tv && tv.TryGetValue<string>(out var t) ? t : null;
        if (type is null || Array.IndexOf(StateTypes, type) < 0)
        {
            _errors.Add(type is null
                ? $"State '{name}': field 'Type' is missing."
                : $"State '{name}': field 'Type' has unknown value '{type}' (expected one of {string.Join(", ", StateTypes)}).");
            return null;
        }

        var jsonata = obj.TryGetPropertyValue("QueryLanguage", out var stateLanguage)
            ? QueryLanguage(stateLanguage, $"State '{name}': field 'QueryLanguage'") ?? _defaultJsonata
            : _defaultJsonata;
        var raw = obj;
        if (jsonata)
        {
            obj = WithoutExpressions(obj, name);
        }

        var allowed = jsonata ? JsonataFieldsByType[type] : FieldsByType[type];
        foreach (var (key, _) in raw)
        {
            if (!allowed.Contains(key) && (jsonata ? FieldsByType[type].Contains(key) : JsonataFieldsByType[type].Contains(key)))
            {
                _errors.Add(jsonata
                    ? $"State '{name}': field '{key}' is not valid in a JSONata state (it is a JSONPath field; use Arguments, Output or {{% %}} expressions)."
                    : $"State '{name}': field '{key}' is only valid in a JSONata state (set QueryLanguage to JSONata).");
            }
            else if (!allowed.Contains(key))
            {
                 _errors.Add(key is "ItemReader" or "ItemBatcher" or "ResultWriter" or "Arguments" or "Output"
                    ? $"State '{name}': field '{key}' is not supported (Phoenix.Asl runs JSONPath state machines with inline Map)."
                    : $"State '{name}': field '{key}' is not valid for a {type} state.");
            }
        }

        var terminal = type is "Choice" or "Succeed" or "Fail";
        var next = OptionalString(obj, name, "Next");
        var end = obj["End"] is JsonValue ev && ev.TryGetValue<bool>(out var e) && e;
        if (obj.ContainsKey("End") && !(obj["End"] is JsonValue ev2 && ev2.TryGetValue<bool>(out _)))
        {
            _errors.Add($"State '{name}': field 'End' must be a boolean.");
        }

        if (!terminal)
        {
            if (next is null && !end)
            {
                _errors.Add($"State '{name}': a {type} state needs field 'Next' or 'End': true.");
            }
            else if (next is not null && end)
            {
                _errors.Add($"State '{name}': fields 'Next' and 'End' cannot both be set.");
            }
        }

        var state = new AslState
        {
            Name = name,
            Type = type,
            Jsonata = jsonata,
            Raw = raw,
            Arguments = jsonata ? JsonataTemplate(raw, name, "Arguments") : null,
            Output = !jsonata ? null : raw.TryGetPropertyValue("Output", out var output) && output is null ? Interpreter.JsonNullOutput : JsonataTemplate(raw, name, "Output"),
            Items = jsonata ? JsonataTemplate(raw, name, "Items") : null,
            Next = next,
            End = end,
            InputPath = PathField(obj, name, "InputPath", reference: false),
            OutputPath = PathField(obj, name, "OutputPath", reference: false),
            ResultPath = PathField(obj, name, "ResultPath", reference: true),
            Parameters = Template(obj, name, "Parameters"),
            HasParameters = obj.ContainsKey("Parameters"),
            ResultSelector = Template(obj, name, "ResultSelector"),
            Assign = ParseAssign(raw, name, "Assign", jsonata),
            Result = obj["Result"]?.DeepClone(),
            HasResult = obj.ContainsKey("Result"),
            Retry = ParseRetry(obj, name),
            Catch = ParseCatch(obj, name, jsonata),
            Resource = type == "Task" ? RequiredString(obj, name, "Resource") : null,
            TimeoutSeconds = OptionalPositiveInt(obj, name, "TimeoutSeconds"),
            TimeoutSecondsPath = OptionalPath(obj, name, "TimeoutSecondsPath"),
            HeartbeatSeconds = OptionalPositiveInt(obj, name, "HeartbeatSeconds"),
            HeartbeatSecondsPath = OptionalPath(obj, name, "HeartbeatSecondsPath"),
            Credentials = type == "Task" ? ParseCredentials(obj, name) : null,
            Choices = type == "Choice" ? ParseChoices(obj, name, jsonata) : [],
            Default = OptionalString(obj, name, "Default"),
            Seconds = obj["Seconds"]?.DeepClone(),
            SecondsPath = OptionalPath(obj, name, "SecondsPath"),
            Timestamp = OptionalTimestamp(obj, name, "Timestamp"),
            TimestampPath = OptionalPath(obj, name, "TimestampPath"),
            Error = OptionalString(obj, name, "Error"),
            ErrorPath = OptionalPathOrIntrinsic(obj, name, "ErrorPath"),
            Cause = OptionalString(obj, name, "Cause"),
            CausePath = OptionalPathOrIntrinsic(obj, name, "CausePath"),
            Branches = type == "Parallel" ? ParseBranches(obj, name) : [],
            ItemsPath = OptionalPath(obj, name, "ItemsPath") ?? "$",
            ItemSelector = jsonata ? JsonataTemplate(raw, name, "ItemSelector")
                : Template(obj, name, "ItemSelector") ?? (type == "Map" ? Template(obj, name, "Parameters") : null),
            ItemProcessor = type == "Map" ? ParseItemProcessor(obj, name) : null,
            MaxConcurrency = OptionalNonNegativeInt(obj, name, "MaxConcurrency") ?? 0,
            MaxConcurrencyPath = OptionalPath(obj, name, "MaxConcurrencyPath"),
            ToleratedFailurePercentage = OptionalPercentage(obj, name),
            ToleratedFailurePercentagePath = OptionalPath(obj, name, "ToleratedFailurePercentagePath"),
            ToleratedFailureCount = OptionalNonNegativeInt(obj, name, "ToleratedFailureCount"),
            ToleratedFailureCountPath = OptionalPath(obj, name, "ToleratedFailureCountPath"),
        };

        Exclusive(obj, name, "Error", "ErrorPath");
        Exclusive(obj, name, "Cause", "CausePath");
        Exclusive(obj, name, "TimeoutSeconds", "TimeoutSecondsPath");
        Exclusive(obj, name, "HeartbeatSeconds", "HeartbeatSecondsPath");
        Exclusive(obj, name, "MaxConcurrency", "MaxConcurrencyPath");
        Exclusive(obj, name, "ItemSelector", "Parameters");
        Exclusive(obj, name, "ItemProcessor", "Iterator");
        if (type == "Wait")
        {
            var count = WaitFields.Count(raw.ContainsKey);
            if (count != 1)
            {
                _errors.Add($"State '{name}': a Wait state needs exactly one of 'Seconds', 'SecondsPath', 'Timestamp', 'TimestampPath'.");
            }

            if (obj.ContainsKey("Seconds") && !jsonata && !(obj["Seconds"] is JsonValue sec && sec.GetValueKind() == JsonValueKind.Number
                && sec.TryGetValue<double>(out var d) && d >= 0 && d <= Interpreter.MaxWaitSeconds && d == Math.Floor(d)))
            {
                _errors.Add($"State '{name}': field 'Seconds' must be an integer from 0 to {Interpreter.MaxWaitSeconds}, not {obj["Seconds"]?.ToJsonString() ?? "null"}.");
            }
        }

        if (type == "Choice" && obj["Default"] is null && state.Choices.Count == 0)
        {
            _errors.Add($"State '{name}': field 'Choices' must hold at least one rule.");
        }

        return state;
    }

    private void Exclusive(JsonObject obj, string name, string a, string b)
    {
        if (obj.ContainsKey(a) && obj.ContainsKey(b))
        {
            _errors.Add($"State '{name}': fields '{a}' and '{b}' cannot both be set.");
        }
    }

    private string? OptionalString(JsonObject obj, string name, string field)
    {
        if (!obj.TryGetPropertyValue(field, out var node))
        {
            return null;
        }

        if (node is JsonValue v && v.TryGetValue<string>(out var s))
        {
            return s;
        }

        _errors.Add($"State '{name}': field '{field}' must be a string.");
        return null;
    }

    private string? RequiredString(JsonObject obj, string name, string field)
    {
        if (!obj.ContainsKey(field))
        {
            _errors.Add($"State '{name}': field '{field}' is required.");
            return null;
        }

        return OptionalString(obj, name, field);
    }

    private string? OptionalTimestamp(JsonObject obj, string name, string field)
    {
        var text = OptionalString(obj, name, field);
        if (text is not null && !AslTimestamp.TryParse(text, out _))
        {
            _errors.Add($"State '{name}': field '{field}' value '{text}' is not an ISO-8601 timestamp with a time zone.");
        }

        return text;
    }

    private string? PathField(JsonObject obj, string name, string field, bool reference, string? label = null)
    {
        if (!obj.TryGetPropertyValue(field, out var node))
        {
            return "$";
        }

        if (node is null)
        {
            return null;
        }

        if (node is JsonValue v && v.TryGetValue<string>(out var path))
        {
            CheckPath(name, label ?? field, path, reference);
            return path;
        }

        _errors.Add($"State '{name}': field '{label ?? field}' must be a JSONPath string or null.");
        return "$";
    }

    private string? OptionalPath(JsonObject obj, string name, string field)
    {
        var path = OptionalString(obj, name, field);
        if (path is not null)
        {
            CheckPath(name, field, path, reference: false);
        }

        return path;
    }

    private string? OptionalPathOrIntrinsic(JsonObject obj, string name, string field)
    {
        var path = OptionalString(obj, name, field);
        if (path is not null && Intrinsics.IntrinsicFunctions.IsIntrinsic(path))
        {
            if (!AslPaths.IsIntrinsic(path))
            {
                _errors.Add($"State '{name}': field '{field}' holds an invalid intrinsic function call '{path}'.");
            }
        }
        else if (path is not null)
        {
            CheckPath(name, field, path, reference: false);
        }

        return path;
    }

    private void CheckPath(string name, string field, string path, bool reference)
    {
        if (reference ? !AslPaths.IsReferencePath(path) : !AslPaths.IsPath(path))
        {
            _errors.Add(reference
                ? $"State '{name}': field '{field}' value '{path}' is not a valid reference path (a '$'-rooted path to one node, without wildcards or filters)."
                : $"State '{name}': field '{field}' value '{path}' is not a valid JSONPath.");
        }
    }

    /// <summary>
    /// A Task's Credentials: an object holding only <c>RoleArn</c> (an IAM role ARN) or <c>RoleArn.$</c> (a path or
    /// intrinsic function giving one at run time), as the Task state reference describes
    /// (https://docs.aws.amazon.com/step-functions/latest/dg/state-task.html). An expression in <c>{% %}</c> is left to
    /// the JSONata query language.
    /// </summary>
    private JsonNode? ParseCredentials(JsonObject obj, string name)
    {
        if (!obj.TryGetPropertyValue("Credentials", out var node))
        {
            return null;
        }

        if (node is not JsonObject credentials || credentials.Count != 1 || !(credentials.ContainsKey("RoleArn") || credentials.ContainsKey("RoleArn.$")))
        {
            _errors.Add($"State '{name}': field 'Credentials' must be an object with exactly one of 'RoleArn' or 'RoleArn.$', not {node?.ToJsonString() ?? "null"}.");
            return null;
        }

        if (credentials.TryGetPropertyValue("RoleArn", out var arn))
        {
            var text = arn is JsonValue v && v.TryGetValue<string>(out var t) ? t : null;
            if (text is null || !(IsRoleArn(text) || text.StartsWith("{%", StringComparison.Ordinal)))
            {
                _errors.Add($"State '{name}': field 'Credentials.RoleArn' must be an IAM role ARN (arn:aws:iam::<account>:role/<name>), not {arn?.ToJsonString() ?? "null"}.");
            }
        }
        else
        {
            CheckTemplate(name, "Credentials", credentials);
        }

        return credentials.DeepClone();
    }

    internal static bool IsRoleArn(string text)
    {
        var parts = text.Split(':', 6);
        return text.Length <= 2000 && parts.Length == 6 && parts[0] == "arn" && parts[1].StartsWith("aws", StringComparison.Ordinal)
            && parts[2] == "iam" && parts[3].Length == 0 && parts[4].Length == 12 && parts[4].All(char.IsAsciiDigit)
            && parts[5].StartsWith("role/", StringComparison.Ordinal) && parts[5].Length > "role/".Length;
    }

    private JsonNode? Template(JsonObject obj, string name, string field)
    {
        if (!obj.TryGetPropertyValue(field, out var node))
        {
            return null;
        }

        CheckTemplate(name, field, node);
        return node?.DeepClone();
    }

    private void CheckTemplate(string name, string field, JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, value) in o)
                {
                    if (key.EndsWith(".$", StringComparison.Ordinal))
                    {
                        if (value is not JsonValue v || !v.TryGetValue<string>(out var expr))
                        {
                            _errors.Add($"State '{name}': field '{field}' key '{key}' must hold a path or intrinsic function string.");
                        }
                        else if (Intrinsics.IntrinsicFunctions.IsIntrinsic(expr))
                        {
                            if (!AslPaths.IsIntrinsic(expr))
                            {
                                _errors.Add($"State '{name}': field '{field}' key '{key}' holds an invalid intrinsic function call '{expr}'.");
                            }
                        }
                        else if (!AslPaths.IsPath(expr))
                        {
                            _errors.Add($"State '{name}': field '{field}' key '{key}' value '{expr}' is not a valid JSONPath.");
                        }
                    }
                    else
                    {
                        CheckTemplate(name, field, value);
                    }
                }

                break;
            case JsonArray a:
                foreach (var item in a)
                {
                    CheckTemplate(name, field, item);
                }

                break;
        }
    }

    /// <summary>
    /// An Assign object: each key (without a trailing <c>.$</c>) names a variable; values are templates like Parameters.
    /// Names follow AWS's rule for variable names (a letter or '_', then letters, digits and '_'; at most 80
    /// characters; <c>states</c> is reserved).
    /// </summary>
    private JsonNode? ParseAssign(JsonObject obj, string name, string field, bool jsonata = false)
    {
        if (!obj.TryGetPropertyValue(field[(field.LastIndexOf('.') + 1)..], out var node))
        {
            return null;
        }

        if (node is not JsonObject assign)
        {
            _errors.Add($"State '{name}': field '{field}' must be an object of variable names and values.");
            return null;
        }

        foreach (var (key, _) in assign)
        {
            var variable = key.EndsWith(".$", StringComparison.Ordinal) ? key[..^2] : key;
            if (!IsVariableName(variable))
            {
                _errors.Add($"State '{name}': field '{field}' key '{key}': '{variable}' is not a valid variable name (a letter or '_' first, then letters, digits or '_', at most 80 characters, not 'states').");
            }
        }

        if (jsonata)
        {
            CheckJsonata(name, field, assign);
        }
        else
        {
            CheckTemplate(name, field, assign);
        }

        return assign.DeepClone();
    }

    private bool? QueryLanguage(JsonNode? node, string what)
    {
        var text = node is JsonValue v && v.TryGetValue<string>(out var t) ? t : null;
        if (text is "JSONPath" or "JSONata")
        {
            return text == "JSONata";
        }

        _errors.Add($"{what} must be \"JSONPath\" or \"JSONata\", not {node?.ToJsonString() ?? "null"}.");
        return null;
    }

    /// <summary>A copy of a JSONata state without the {% %} values of its expression fields (checked here), so the literal parsing skips them.</summary>
    private JsonObject WithoutExpressions(JsonObject obj, string name)
    {
        JsonObject? copy = null;
        foreach (var field in ExpressionFields)
        {
            if (obj[field] is JsonValue v && v.TryGetValue<string>(out var text) && Interpreter.JsonataText(text) is not null)
            {
                CheckJsonata(name, field, v);
                copy ??= (JsonObject)obj.DeepClone();
                copy.Remove(field);
            }
        }

        return copy ?? obj;
    }

    private JsonNode? JsonataTemplate(JsonObject obj, string name, string field)
    {
        if (!obj.TryGetPropertyValue(field, out var node))
        {
            return null;
        }

        CheckJsonata(name, field, node);
        return node?.DeepClone() ?? JsonValue.Create((string?)null);
    }

    /// <summary>Every {% %} string inside <paramref name="node"/> must parse as JSONata.</summary>
    private void CheckJsonata(string name, string field, JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, value) in o)
                {
                    CheckJsonata(name, $"{field}/{key}", value);
                }

                break;
            case JsonArray a:
                foreach (var item in a)
                {
                    CheckJsonata(name, field, item);
                }

                break;
            case JsonValue v when v.TryGetValue<string>(out var text) && Interpreter.JsonataText(text) is { } expression:
                try
                {
                    JsonAta.JsonataExpression.Parse(expression);
                }
                catch (JsonAta.JsonataException e)
                {
                    _errors.Add($"State '{name}': field '{field}' holds an invalid JSONata expression '{expression}': {e.Describe()}");
                }

                break;
        }
    }

    internal static bool IsVariableName(string name) =>
        name.Length is > 0 and <= 80 && name != "states" && (char.IsLetter(name[0]) || name[0] == '_')
        && name.All(c => char.IsLetterOrDigit(c) || c == '_');

    private int? OptionalPositiveInt(JsonObject obj, string name, string field) =>
        obj.ContainsKey(field) ? PositiveInt(obj[field], $"State '{name}': field '{field}'") : null;

    private int? PositiveInt(JsonNode? node, string what)
    {
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<double>(out var d)
            && d >= 1 && d <= int.MaxValue && d == Math.Floor(d))
        {
            return (int)d;
        }

        _errors.Add($"{what} must be a positive integer, not {node?.ToJsonString() ?? "null"}.");
        return null;
    }

    private int? OptionalNonNegativeInt(JsonObject obj, string name, string field)
    {
        if (!obj.TryGetPropertyValue(field, out var node))
        {
            return null;
        }

        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<double>(out var d)
            && d >= 0 && d <= int.MaxValue && d == Math.Floor(d))
        {
            return (int)d;
        }

        _errors.Add($"State '{name}': field '{field}' must be a non-negative integer, not {node?.ToJsonString() ?? "null"}.");
        return null;
    }

    private double? OptionalPercentage(JsonObject obj, string name)
    {
        if (!obj.TryGetPropertyValue("ToleratedFailurePercentage", out var node))
        {
            return null;
        }

        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<double>(out var d) && d is >= 0 and <= 100)
        {
            return d;
        }

        _errors.Add($"State '{name}': field 'ToleratedFailurePercentage' must be a number from 0 to 100.");
        return null;
    }

    private List<string> ErrorEquals(JsonObject obj, string name, string field)
    {
        var list = new List<string>();
        if (obj["ErrorEquals"] is not JsonArray array || array.Count == 0)
        {
            _errors.Add($"State '{name}': field '{field}.ErrorEquals' must be a non-empty array of error names.");
            return list;
        }

        foreach (var item in array)
        {
            if (item is JsonValue v && v.TryGetValue<string>(out var s))
            {
                list.Add(s);
            }
            else
            {
                _errors.Add($"State '{name}': field '{field}.ErrorEquals' must hold strings only.");
            }
        }

        if (list.Contains("States.ALL") && list.Count > 1)
        {
            _errors.Add($"State '{name}': field '{field}.ErrorEquals': 'States.ALL' must appear alone.");
        }

        return list;
    }

    private List<Retrier> ParseRetry(JsonObject obj, string name)
    {
        var result = new List<Retrier>();
        if (!obj.TryGetPropertyValue("Retry", out var node))
        {
            return result;
        }

        if (node is not JsonArray array)
        {
            _errors.Add($"State '{name}': field 'Retry' must be an array.");
            return result;
        }

        for (var i = 0; i < array.Count; i++)
        {
            var field = $"Retry[{i}]";
            if (array[i] is not JsonObject r)
            {
                _errors.Add($"State '{name}': field '{field}' must be an object.");
                continue;
            }

            foreach (var (key, _) in r)
            {
                if (!RetrierFields.Contains(key))
                {
                    _errors.Add($"State '{name}': field '{field}.{key}' is not a valid retrier field.");
                }
            }

            var errors = ErrorEquals(r, name, field);
            if (errors.Contains("States.ALL") && i != array.Count - 1)
            {
                _errors.Add($"State '{name}': field '{field}.ErrorEquals': 'States.ALL' must be in the last retrier.");
            }

            var interval = r.ContainsKey("IntervalSeconds") ? PositiveInt(r["IntervalSeconds"], $"State '{name}': field '{field}.IntervalSeconds'") ?? 1 : 1;
            var maxAttempts = 3;
            if (r.TryGetPropertyValue("MaxAttempts", out var ma))
            {
                if (ma is JsonValue mv && mv.GetValueKind() == JsonValueKind.Number && mv.TryGetValue<double>(out var m) && m >= 0 && m == Math.Floor(m) && m <= int.MaxValue)
                {
                    maxAttempts = (int)m;
                }
                else
                {
                    _errors.Add($"State '{name}': field '{field}.MaxAttempts' must be a non-negative integer.");
                }
            }

            var backoff = 2.0;
            if (r.TryGetPropertyValue("BackoffRate", out var br))
            {
                if (br is JsonValue bv && bv.GetValueKind() == JsonValueKind.Number && bv.TryGetValue<double>(out var b) && b >= 1.0)
                {
                    backoff = b;
                }
                else
                {
                    _errors.Add($"State '{name}': field '{field}.BackoffRate' must be a number >= 1.0.");
                }
            }

            int? maxDelay = r.ContainsKey("MaxDelaySeconds") ? PositiveInt(r["MaxDelaySeconds"], $"State '{name}': field '{field}.MaxDelaySeconds'") : null;
            var jitter = false;
            if (r.TryGetPropertyValue("JitterStrategy", out var js))
            {
                var text = js is JsonValue jv && jv.TryGetValue<string>(out var j) ? j : null;
                if (text is "FULL" or "NONE")
                {
                    jitter = text == "FULL";
                }
                else
                {
                    _errors.Add($"State '{name}': field '{field}.JitterStrategy' must be FULL or NONE.");
                }
            }

            result.Add(new Retrier(errors, interval, maxAttempts, backoff, maxDelay, jitter));
        }

        return result;
    }

    private List<Catcher> ParseCatch(JsonObject obj, string name, bool jsonata)
    {
        var result = new List<Catcher>();
        if (!obj.TryGetPropertyValue("Catch", out var node))
        {
            return result;
        }

        if (node is not JsonArray array)
        {
            _errors.Add($"State '{name}': field 'Catch' must be an array.");
            return result;
        }

        for (var i = 0; i < array.Count; i++)
        {
            var field = $"Catch[{i}]";
            if (array[i] is not JsonObject c)
            {
                _errors.Add($"State '{name}': field '{field}' must be an object.");
                continue;
            }

            foreach (var (key, _) in c)
            {
                if (!(jsonata ? JsonataCatcherFields : CatcherFields).Contains(key))
                {
                    _errors.Add($"State '{name}': field '{field}.{key}' is not a valid catcher field.");
                }
            }

            var errors = ErrorEquals(c, name, field);
            if (errors.Contains("States.ALL") && i != array.Count - 1)
            {
                _errors.Add($"State '{name}': field '{field}.ErrorEquals': 'States.ALL' must be in the last catcher.");
            }

            var next = c["Next"] is JsonValue nv && nv.TryGetValue<string>(out var n) ? n : null;
            if (next is null)
            {
                _errors.Add($"State '{name}': field '{field}.Next' is required.");
            }

            var resultPath = PathField(c, name, "ResultPath", reference: true, label: $"{field}.ResultPath");
            result.Add(new Catcher(errors, next ?? "", resultPath, ParseAssign(c, name, $"{field}.Assign", jsonata), jsonata ? JsonataTemplate(c, name, "Output") : null));
        }

        return result;
    }

    private List<ChoiceRule> ParseChoices(JsonObject obj, string name, bool jsonata)
    {
        var result = new List<ChoiceRule>();
        if (obj["Choices"] is not JsonArray array || array.Count == 0)
        {
            _errors.Add($"State '{name}': field 'Choices' must be a non-empty array.");
            return result;
        }

        for (var i = 0; i < array.Count; i++)
        {
            if ((jsonata ? ParseConditionRule(array[i], name, $"Choices[{i}]") : ParseRule(array[i], name, $"Choices[{i}]", topLevel: true)) is { } rule)
            {
                result.Add(rule);
            }
        }

        return result;
    }

    /// <summary>A JSONata Choice rule: a Condition (a boolean or a {% %} expression), Next, and optional Assign and Output.</summary>
    private ChoiceRule? ParseConditionRule(JsonNode? node, string name, string field)
    {
        if (node is not JsonObject r)
        {
            _errors.Add($"State '{name}': field '{field}' must be an object.");
            return null;
        }

        foreach (var (key, _) in r)
        {
            if (key is not ("Condition" or "Next" or "Comment" or "Assign" or "Output"))
            {
                _errors.Add($"State '{name}': field '{field}.{key}' is not valid in a JSONata choice rule (use Condition).");
            }
        }

        var next = r["Next"] is JsonValue nv && nv.TryGetValue<string>(out var n) ? n : null;
        if (next is null)
        {
            _errors.Add($"State '{name}': field '{field}.Next' is required.");
        }

        var condition = r["Condition"];
        if (condition is JsonValue cv && cv.GetValueKind() == JsonValueKind.String)
        {
            CheckJsonata(name, $"{field}.Condition", condition);
        }
        else if (condition is not JsonValue { } b || b.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False))
        {
            _errors.Add($"State '{name}': field '{field}.Condition' must be true, false or a {{% %}} expression.");
        }

        return new ChoiceRule(null, null, null, null, null, null, next, ParseAssign(r, name, $"{field}.Assign", jsonata: true), condition?.DeepClone(),
            JsonataTemplate(r, name, "Output"));
    }

    private ChoiceRule? ParseRule(JsonNode? node, string name, string field, bool topLevel)
    {
        if (node is not JsonObject r)
        {
            _errors.Add($"State '{name}': field '{field}' must be an object.");
            return null;
        }

        string? next = null;
        JsonNode? assign = null;
        if (topLevel)
        {
            next = r["Next"] is JsonValue nv && nv.TryGetValue<string>(out var n) ? n : null;
            if (next is null)
            {
                _errors.Add($"State '{name}': field '{field}.Next' is required.");
            }

            assign = ParseAssign(r, name, $"{field}.Assign");
        }
        else
        {
            foreach (var onlyTop in (string[])["Next", "Assign"])
            {
                if (r.ContainsKey(onlyTop))
                {
                    _errors.Add($"State '{name}': field '{field}.{onlyTop}' is only allowed on top-level choice rules.");
                }
            }
        }

        // A boolean rule is And, Or or Not alone: a sibling operator or Variable would be silently ignored.
        var combinators = r.Select(p => p.Key).Where(k => k is "And" or "Or" or "Not").ToList();
        if (combinators.Count > 0)
        {
            var siblings = r.Select(p => p.Key).Where(k => k is not ("Next" or "Comment" or "Assign") && k != combinators[0]).ToList();
            if (siblings.Count > 0)
            {
                _errors.Add($"State '{name}': field '{field}' combines '{combinators[0]}' with {string.Join(", ", siblings.Select(k => $"'{k}'"))}; a choice rule holds one of And, Or, Not or a comparison, with no other operator beside it.");
                return null;
            }
        }

        if (r.TryGetPropertyValue("And", out var and) || r.TryGetPropertyValue("Or", out and))
        {
            var op = r.ContainsKey("And") ? "And" : "Or";
            if (and is not JsonArray list || list.Count == 0)
            {
                _errors.Add($"State '{name}': field '{field}.{op}' must be a non-empty array of rules.");
                return null;
            }

            var rules = new List<ChoiceRule>();
            for (var i = 0; i < list.Count; i++)
            {
                if (ParseRule(list[i], name, $"{field}.{op}[{i}]", topLevel: false) is { } rule)
                {
                    rules.Add(rule);
                }
            }

            return op == "And" ? new ChoiceRule(null, null, null, rules, null, null, next, assign) : new ChoiceRule(null, null, null, null, rules, null, next, assign);
        }

        if (r.TryGetPropertyValue("Not", out var not))
        {
            var inner = ParseRule(not, name, $"{field}.Not", topLevel: false);
            return inner is null ? null : new ChoiceRule(null, null, null, null, null, inner, next, assign);
        }

        var variable = r["Variable"] is JsonValue vv && vv.TryGetValue<string>(out var v) ? v : null;
        if (variable is null)
        {
            _errors.Add($"State '{name}': field '{field}.Variable' is required.");
        }
        else if (!AslPaths.IsPath(variable))
        {
            _errors.Add($"State '{name}': field '{field}.Variable' value '{variable}' is not a valid JSONPath.");
        }

        var operators = r.Select(p => p.Key).Where(ComparisonOperators.Contains).ToList();
        foreach (var (key, _) in r)
        {
            if (key is not ("Variable" or "Next" or "Comment" or "Assign") && !ComparisonOperators.Contains(key))
            {
                _errors.Add($"State '{name}': field '{field}.{key}' is not a valid choice rule field.");
            }
        }

        if (operators.Count != 1)
        {
            _errors.Add($"State '{name}': field '{field}' must have exactly one comparison operator.");
            return null;
        }

        var op1 = operators[0];
        var operand = r[op1];
        if (!OperandIsValid(op1, operand))
        {
            _errors.Add($"State '{name}': field '{field}.{op1}' has an invalid operand {operand?.ToJsonString() ?? "null"}.");
        }

        return new ChoiceRule(variable, op1, operand?.DeepClone(), null, null, null, next, assign);
    }

    private static bool OperandIsValid(string op, JsonNode? operand)
    {
        var value = operand as JsonValue;
        var kind = value?.GetValueKind();
        if (op.EndsWith("Path", StringComparison.Ordinal))
        {
            return value is not null && value.TryGetValue<string>(out var p) && AslPaths.IsPath(p);
        }

        if (op.StartsWith("Is", StringComparison.Ordinal) || op == "BooleanEquals")
        {
            return kind is JsonValueKind.True or JsonValueKind.False;
        }

        if (op.StartsWith("Numeric", StringComparison.Ordinal))
        {
            return kind == JsonValueKind.Number;
        }

        if (op.StartsWith("Timestamp", StringComparison.Ordinal))
        {
            return value is not null && value.TryGetValue<string>(out var ts) && AslTimestamp.TryParse(ts, out _);
        }

        return kind == JsonValueKind.String;
    }

    private List<StatesBlock> ParseBranches(JsonObject obj, string name)
    {
        var result = new List<StatesBlock>();
        if (obj["Branches"] is not JsonArray array || array.Count == 0)
        {
            _errors.Add($"State '{name}': field 'Branches' must be a non-empty array.");
            return result;
        }

        for (var i = 0; i < array.Count; i++)
        {
            if (array[i] is JsonObject branch)
            {
                result.Add(ParseBlock(branch, $"state '{name}' field 'Branches[{i}]'", $"{_errors.Scope}/Branches/{i}"));
            }
            else
            {
                _errors.Add($"State '{name}': field 'Branches[{i}]' must be an object.");
            }
        }

        return result;
    }

    private StatesBlock? ParseItemProcessor(JsonObject obj, string name)
    {
        var field = obj.ContainsKey("ItemProcessor") ? "ItemProcessor" : "Iterator";
        if (obj[field] is not JsonObject processor)
        {
            _errors.Add($"State '{name}': field 'ItemProcessor' (or 'Iterator') is required.");
            return null;
        }

        if (processor["ProcessorConfig"] is JsonObject config && config["Mode"] is JsonValue mode
            && mode.TryGetValue<string>(out var m) && m != "INLINE")
        {
            _errors.Add($"State '{name}': field '{field}.ProcessorConfig.Mode' value '{m}' is not supported (only INLINE Map runs in-process).");
        }

        return ParseBlock(processor, $"state '{name}' field '{field}'", $"{_errors.Scope}/{field}");
    }

    private static HashSet<string> Union(params IEnumerable<string>[] sets) =>
        new(sets.SelectMany(s => s), StringComparer.Ordinal);
}
