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

        if (obj["QueryLanguage"] is JsonValue ql && ql.TryGetValue<string>(out var language) && language != "JSONPath")
        {
            parser._errors.Add($"Field 'QueryLanguage': '{language}' is not supported; Phoenix.Asl runs JSONPath state machines.");
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

        if (obj["QueryLanguage"] is { } stateLanguage && !(stateLanguage is JsonValue slv && slv.TryGetValue<string>(out var sl) && sl == "JSONPath"))
        {
            _errors.Add($"State '{name}': field 'QueryLanguage' value {stateLanguage.ToJsonString()} is not supported (JSONPath only).");
        }

        var allowed = FieldsByType[type];
        foreach (var (key, _) in obj)
        {
            if (!allowed.Contains(key))
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
            Next = next,
            End = end,
            InputPath = PathField(obj, name, "InputPath", reference: false),
            OutputPath = PathField(obj, name, "OutputPath", reference: false),
            ResultPath = PathField(obj, name, "ResultPath", reference: true),
            Parameters = Template(obj, name, "Parameters"),
            HasParameters = obj.ContainsKey("Parameters"),
            ResultSelector = Template(obj, name, "ResultSelector"),
            Assign = ParseAssign(obj, name, "Assign"),
            Result = obj["Result"]?.DeepClone(),
            HasResult = obj.ContainsKey("Result"),
            Retry = ParseRetry(obj, name),
            Catch = ParseCatch(obj, name),
            Resource = type == "Task" ? RequiredString(obj, name, "Resource") : null,
            TimeoutSeconds = OptionalPositiveInt(obj, name, "TimeoutSeconds"),
            TimeoutSecondsPath = OptionalPath(obj, name, "TimeoutSecondsPath"),
            HeartbeatSeconds = OptionalPositiveInt(obj, name, "HeartbeatSeconds"),
            HeartbeatSecondsPath = OptionalPath(obj, name, "HeartbeatSecondsPath"),
            Choices = type == "Choice" ? ParseChoices(obj, name) : [],
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
            ItemSelector = Template(obj, name, "ItemSelector") ?? (type == "Map" ? Template(obj, name, "Parameters") : null),
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
            var count = WaitFields.Count(obj.ContainsKey);
            if (count != 1)
            {
                _errors.Add($"State '{name}': a Wait state needs exactly one of 'Seconds', 'SecondsPath', 'Timestamp', 'TimestampPath'.");
            }

            if (obj.ContainsKey("Seconds") && !(obj["Seconds"] is JsonValue sec && sec.GetValueKind() == JsonValueKind.Number
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
    private JsonNode? ParseAssign(JsonObject obj, string name, string field)
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

        CheckTemplate(name, field, assign);
        return assign.DeepClone();
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

    private List<Catcher> ParseCatch(JsonObject obj, string name)
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
                if (!CatcherFields.Contains(key))
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
            result.Add(new Catcher(errors, next ?? "", resultPath, ParseAssign(c, name, $"{field}.Assign")));
        }

        return result;
    }

    private List<ChoiceRule> ParseChoices(JsonObject obj, string name)
    {
        var result = new List<ChoiceRule>();
        if (obj["Choices"] is not JsonArray array || array.Count == 0)
        {
            _errors.Add($"State '{name}': field 'Choices' must be a non-empty array.");
            return result;
        }

        for (var i = 0; i < array.Count; i++)
        {
            if (ParseRule(array[i], name, $"Choices[{i}]", topLevel: true) is { } rule)
            {
                result.Add(rule);
            }
        }

        return result;
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
