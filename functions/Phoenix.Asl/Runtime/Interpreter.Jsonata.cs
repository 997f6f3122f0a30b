using System.Text.Json;
using System.Text.Json.Nodes;
using Phoenix.Asl.JsonAta;
using Phoenix.Asl.Model;

namespace Phoenix.Asl;

/// <summary>
/// States whose QueryLanguage is JSONata: fields hold <c>{% expression %}</c> templates evaluated with <c>$states</c>
/// (input, result, errorOutput, context) and the workflow variables; Arguments replaces InputPath/Parameters, Output
/// replaces ResultSelector/ResultPath/OutputPath. A failing or undefined expression is States.QueryEvaluationError.
/// See https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html.
/// </summary>
internal sealed partial class Interpreter
{
    // JSONPath states go straight to the state; JSONata ones also record an EvaluationFailed event when an expression fails.
    private ValueTask<(JsonNode? Output, string? Next)> RunStateAsync(AslState state, JsonNode? input, EventCursor cursor, CancellationToken ct) =>
        state.Jsonata ? RunJsonataStateAsync(state, input, cursor, ct) : RunStateCoreAsync(state, input, cursor, ct);

    private async ValueTask<(JsonNode? Output, string? Next)> RunJsonataStateAsync(AslState state, JsonNode? input, EventCursor cursor, CancellationToken ct)
    {
        try
        {
            return await RunStateCoreAsync(state, input, cursor, ct);
        }
        catch (AslFailure failure)
        {
            RecordEvaluationFailed(failure, cursor);
            throw;
        }
    }

    /// <summary>Step Functions records an EvaluationFailed event (error, cause, state) before the state fails on a query error.</summary>
    private void RecordEvaluationFailed(AslFailure failure, EventCursor cursor)
    {
        if (failure.Error != ErrorNames.QueryEvaluationError || failure.EvaluationRecorded)
        {
            return;
        }

        failure.EvaluationRecorded = true;
        Record(cursor, "EvaluationFailed", null, new JsonObject { ["error"] = failure.Error, ["cause"] = failure.Cause });
    }

    /// <summary>Evaluates a JSONata field value: a whole <c>{% %}</c> string, or an object/array with such strings inside.</summary>
    internal static JsonNode? JsonataTemplate(JsonNode? template, string field, JsonObject states, StateContext sc)
    {
        switch (template)
        {
            case JsonObject obj:
            {
                var result = new JsonObject();
                foreach (var (key, value) in obj)
                {
                    result[key] = JsonataTemplate(value, $"{field}/{key}", states, sc);
                }

                return result;
            }

            case JsonArray array:
            {
                var result = new JsonArray();
                for (var i = 0; i < array.Count; i++)
                {
                    result.Add(JsonataTemplate(array[i], $"{field}[{i}]", states, sc));
                }

                return result;
            }

            case JsonValue value when value.GetValueKind() == JsonValueKind.String && JsonataText(value.GetValue<string>()) is { } expression:
                return JsonataValue(expression, field, states, sc);
            default:
                return template?.DeepClone();
        }
    }

    /// <summary>Stands for <c>"Output": null</c> (an output of JSON null, unlike an absent Output).</summary>
    internal static readonly JsonValue JsonNullOutput = JsonValue.Create("(null output)");

    /// <summary>The expression inside <c>{% … %}</c>, or null for a plain string.</summary>
    internal static string? JsonataText(string text) =>
        text.Length >= 4 && text.StartsWith("{%", StringComparison.Ordinal) && text.EndsWith("%}", StringComparison.Ordinal) ? text[2..^2].Trim() : null;

    private static JsonNode? JsonataValue(string expression, string field, JsonObject states, StateContext sc)
    {
        JsonataResult result;
        try
        {
            result = JsonataExpression.Parse(expression).Evaluate(null, name =>
                name == "states" ? (true, states)
                : VariableScope.Current is { } scope && scope.TryGet(name, out var value) ? (true, value)
                : (false, null));
        }
        catch (JsonataException e)
        {
            throw QueryError(sc, $"The JSONata expression '{expression}' specified for the field '{field}' threw an error during evaluation. {e.Describe()}");
        }

        if (result.IsFunction)
        {
            throw QueryError(sc, $"The JSONata expression '{expression}' specified for the field '{field}' returned an unsupported result type.");
        }

        if (!result.IsDefined)
        {
            throw QueryError(sc, $"The JSONata expression '{expression}' specified for the field '{field}' returned nothing (undefined).");
        }

        return result.Value;
    }

    internal static AslFailure QueryError(StateContext sc, string detail) =>
        new(ErrorNames.QueryEvaluationError, $"An error occurred while executing the state '{sc.Name}' (entered at the event id #{sc.EnteredEventId}). {detail}");

    /// <summary><c>$states</c>: the state's input and Context Object, plus result or errorOutput where there is one.</summary>
    private static JsonObject States(JsonNode? input, Func<JsonNode> context, JsonNode? result = null, bool hasResult = false, JsonNode? errorOutput = null)
    {
        var states = new JsonObject { ["input"] = input?.DeepClone(), ["context"] = context().DeepClone() };
        if (hasResult)
        {
            states["result"] = result?.DeepClone();
        }

        if (errorOutput is not null)
        {
            states["errorOutput"] = errorOutput.DeepClone();
        }

        return states;
    }

    /// <summary>Output (default: <paramref name="value"/>) and Assign, both seeing the same <c>$states</c>; Assign is stored at Exit.</summary>
    private static JsonNode? JsonataOutput(JsonNode? output, JsonNode? assign, JsonObject states, JsonNode? value, StateContext sc)
    {
        var result = output is null ? value : output is JsonValue { } marker && ReferenceEquals(marker, JsonNullOutput) ? null : JsonataTemplate(output, "Output", states, sc);
        if (assign is not null)
        {
            var evaluated = (JsonObject)JsonataTemplate(assign, "Assign", states, sc)!;
            var values = evaluated.ToList();
            evaluated.Clear();
            sc.PendingAssign = values;
        }
        else
        {
            sc.PendingAssign = null;
        }

        return result;
    }

    /// <summary>A numeric JSONata field (TimeoutSeconds, Seconds, MaxConcurrency, …): a literal or an expression.</summary>
    private static double? JsonataNumber(AslState state, string field, JsonObject states, StateContext sc)
    {
        if (!state.Raw.TryGetPropertyValue(field, out var node) || node is null)
        {
            return null;
        }

        var value = JsonataTemplate(node, field, states, sc);
        if (value is JsonValue v && v.GetValueKind() == JsonValueKind.Number)
        {
            return double.Parse(v.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture);
        }

        throw QueryError(sc, $"The JSONata expression '{node}' specified for the field '{field}' returned an unexpected result type. Expected 'number', but was '{KindName(value)}' for value: {Json.Text(value)}");
    }

    internal static string KindName(JsonNode? value) => value switch
    {
        null => "null",
        JsonObject => "object",
        JsonArray => "array",
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => "string",
            JsonValueKind.Number => "number",
            JsonValueKind.True or JsonValueKind.False => "boolean",
            _ => "null",
        },
        _ => "null",
    };

    private static JsonNode? JsonataArguments(AslState state, JsonNode? input, Func<JsonNode> context, StateContext sc) =>
        state.Arguments is null ? input : JsonataTemplate(state.Arguments, "Arguments", States(input, context), sc);

    private static int? JsonataSeconds(AslState state, string field, JsonNode? input, StateContext sc)
    {
        if (!state.Jsonata || !state.Raw.ContainsKey(field))
        {
            return null;
        }

        var seconds = JsonataNumber(state, field, States(input, sc.Context), sc)!.Value;
        return seconds >= 1 && seconds == Math.Floor(seconds) && seconds <= int.MaxValue ? (int)seconds
            : throw QueryError(sc, $"The {field} field must be a positive integer, not {Json.Text(JsonValue.Create(seconds))}");
    }

    /// <summary>A Fail state's Error or Cause: a literal string or an expression that gives one; absent gives null.</summary>
    private static string? JsonataString(AslState state, string field, JsonObject states, StateContext sc)
    {
        if (!state.Raw.TryGetPropertyValue(field, out var node) || node is null)
        {
            return null;
        }

        var value = JsonataTemplate(node, field, states, sc);
        return value is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>()
            : throw QueryError(sc, $"The {field} field must be a string, not {Json.Text(value)}");
    }

    /// <summary>Map Items: the expression's array, or without Items the state input, which must then be an array.</summary>
    private static JsonNode? JsonataItems(AslState state, JsonNode? input, StateContext sc)
    {
        if (state.Items is null)
        {
            return input is JsonArray ? input : throw QueryError(sc, $"Map state input must be an array but was: {Json.Text(input)}");
        }

        var items = JsonataTemplate(state.Items, "Items", States(input, sc.Context), sc);
        if (items is JsonArray)
        {
            return items;
        }

        var text = state.Items is JsonValue t && t.TryGetValue<string>(out var s) ? JsonataText(s) ?? s : Json.Text(state.Items);
        throw QueryError(sc, $"The JSONata expression '{text}' specified for the field 'Items' returned an unexpected result type. Expected 'array', but was '{KindName(items)}' for value: {Json.Text(items)}");
    }

    /// <summary>A JSONata Choice: the first rule whose Condition is true wins with its Output and Assign; else Default with the state's.</summary>
    private (JsonNode? Output, string? Next) JsonataChoice(AslState state, JsonNode? input, EventCursor cursor, StateContext sc)
    {
        var states = States(input, sc.Context);
        foreach (var rule in state.Choices)
        {
            var condition = rule.Condition is JsonValue literal && literal.GetValueKind() is JsonValueKind.True or JsonValueKind.False
                ? literal
                : JsonataTemplate(rule.Condition, "Condition", states, sc);
            if (condition is not JsonValue c || c.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False))
            {
                throw QueryError(sc, $"The Condition field must evaluate to a boolean, not {Json.Text(condition)}");
            }

            if (c.GetValueKind() == JsonValueKind.True)
            {
                return Exit(state, cursor, JsonataOutput(rule.Output, rule.Assign, states, input, sc), rule.Next, sc);
            }
        }

        var next = state.Default ?? throw new AslFailure(
            ErrorNames.NoChoiceMatched,
            $"No Matches! Choice state '{state.Name}' did not match any rule for input '{Json.Text(input)}'.");
        return Exit(state, cursor, JsonataOutput(state.Output, state.Assign, states, input, sc), next, sc);
    }
}
