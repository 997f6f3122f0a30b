using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Phoenix.Asl.Tests.Conformance;

/// <summary>
/// Compares an execution result with the recording: JSON by value (0.0 equals 0, key order ignored); a value under
/// a placeholder pointer must exist, and when it is a string its text must match with each <c>&lt;token&gt;</c> as a
/// wildcard (other placeholder values are ignored).
/// </summary>
internal static partial class CaseComparer
{
    /// <summary>Null when the result matches, else what differs.</summary>
    public static string? Compare(JsonObject testCase, ExecutionResult result)
    {
        var expected = testCase["expected"]!.AsObject();
        var placeholders = (testCase["placeholders"]?.AsArray() ?? []).Select(p => p!.GetValue<string>()).ToHashSet(StringComparer.Ordinal);
        var status = expected["status"]!.GetValue<string>();
        var actualStatus = result.Status switch
        {
            ExecutionStatus.Succeeded => "SUCCEEDED",
            ExecutionStatus.Failed => "FAILED",
            ExecutionStatus.TimedOut => "TIMED_OUT",
            _ => "ABORTED",
        };
        if (status != actualStatus)
        {
            return $"status {actualStatus} (error {result.Error}, cause {result.Cause}), expected {status}";
        }

        if (EventsDiff(testCase, result) is { } eventsDiff)
        {
            return eventsDiff;
        }

        if (status == "SUCCEEDED")
        {
            return Diff(expected["output"], result.Output, "/output", placeholders);
        }

        var errorDiff = Diff(expected["error"], result.Error is null ? null : JsonValue.Create(result.Error), "/error", placeholders);
        if (errorDiff is not null)
        {
            return $"{errorDiff} (cause {result.Cause})";
        }

        JsonNode? actualCause = result.Cause is null ? null : JsonValue.Create(result.Cause);
        if (expected["cause_is_json"]?.GetValue<bool>() == true && result.Cause is not null)
        {
            try
            {
                actualCause = JsonNode.Parse(result.Cause);
            }
            catch (JsonException)
            {
                return $"/cause: '{result.Cause}' is not the JSON AWS reported";
            }
        }

        return Diff(expected["cause"], actualCause, "/cause", placeholders);
    }

    /// <summary>
    /// The history as (type, state name) pairs in order; where LocalStack sorted a Parallel span
    /// (events_order_normalised) that span is compared as a multiset.
    /// </summary>
    private static string? EventsDiff(JsonObject testCase, ExecutionResult result)
    {
        if (testCase["events"] is not JsonArray recorded)
        {
            return null;
        }

        var expected = recorded.Select(e => $"{e![0]!.GetValue<string>()}({e[1]?.GetValue<string>()})").ToList();
        var actual = result.History.Select(e => $"{e.Type}({(NamesState(e.Type) ? e.StateName : null)})").ToList();
        if (testCase["events_order_normalised"]?.GetValue<bool>() == true)
        {
            expected.Sort(StringComparer.Ordinal);
            actual.Sort(StringComparer.Ordinal);
        }

        if (expected.SequenceEqual(actual))
        {
            return null;
        }

        var at = 0;
        while (at < Math.Min(expected.Count, actual.Count) && expected[at] == actual[at])
        {
            at++;
        }

        return $"history differs at event {at + 1}: [{string.Join(", ", actual.Skip(Math.Max(0, at - 2)).Take(6))}], expected [{string.Join(", ", expected.Skip(Math.Max(0, at - 2)).Take(6))}]";
    }

    private static bool NamesState(string type) =>
        type.EndsWith("StateEntered", StringComparison.Ordinal) || type.EndsWith("StateExited", StringComparison.Ordinal)
        || type.StartsWith("MapIteration", StringComparison.Ordinal);

    private static string? Diff(JsonNode? expected, JsonNode? actual, string pointer, HashSet<string> placeholders)
    {
        if (placeholders.Contains(pointer))
        {
            // A string with <token>s keeps its other text; a value replaced whole ("date") only has to exist.
            if (expected is JsonValue ev && ev.GetValueKind() == JsonValueKind.String && Token().IsMatch(ev.GetValue<string>())
                && actual is JsonValue av && av.GetValueKind() == JsonValueKind.String)
            {
                return Wildcard(ev.GetValue<string>()).IsMatch(av.GetValue<string>())
                    ? null
                    : $"{pointer}: '{av.GetValue<string>()}' does not match '{ev.GetValue<string>()}'";
            }

            return null;
        }

        var expectedKind = Kind(expected);
        var actualKind = Kind(actual);
        if (expectedKind != actualKind && !(expectedKind is JsonValueKind.True or JsonValueKind.False && actualKind is JsonValueKind.True or JsonValueKind.False))
        {
            return $"{pointer}: {Text(actual)}, expected {Text(expected)}";
        }

        switch (expected)
        {
            case JsonObject eo:
                var ao = actual!.AsObject();
                foreach (var (key, value) in eo)
                {
                    var child = $"{pointer}/{key.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal)}";
                    if (!ao.TryGetPropertyValue(key, out var actualValue))
                    {
                        return $"{child}: missing, expected {Text(value)}";
                    }

                    if (Diff(value, actualValue, child, placeholders) is { } d)
                    {
                        return d;
                    }
                }

                foreach (var (key, value) in ao)
                {
                    if (!eo.ContainsKey(key))
                    {
                        return $"{pointer}/{key}: unexpected {Text(value)}";
                    }
                }

                return null;
            case JsonArray ea:
                var aa = actual!.AsArray();
                if (ea.Count != aa.Count)
                {
                    return $"{pointer}: {Text(actual)}, expected {Text(expected)}";
                }

                for (var i = 0; i < ea.Count; i++)
                {
                    if (Diff(ea[i], aa[i], $"{pointer}/{i}", placeholders) is { } d)
                    {
                        return d;
                    }
                }

                return null;
            case JsonValue when expectedKind == JsonValueKind.Number:
                return expected.GetValue<decimal>() == ToDecimal(actual!) ? null : $"{pointer}: {Text(actual)}, expected {Text(expected)}";
            default:
                return JsonNode.DeepEquals(expected, actual) ? null : $"{pointer}: {Text(actual)}, expected {Text(expected)}";
        }
    }

    private static decimal ToDecimal(JsonNode node) =>
        node.AsValue().TryGetValue<decimal>(out var d) ? d : decimal.Parse(node.ToJsonString(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture);

    private static JsonValueKind Kind(JsonNode? node) => node is null ? JsonValueKind.Null : node.GetValueKind();

    private static string Text(JsonNode? node) => node?.ToJsonString() ?? "null";

    private static Regex Wildcard(string expected)
    {
        var parts = Token().Split(expected).Select(Regex.Escape);
        return new Regex("^" + string.Join(".*", parts) + "$", RegexOptions.Singleline);
    }

    [GeneratedRegex("<[A-Za-z0-9_\\-]+(?::\\d+)?>")]
    private static partial Regex Token();
}
