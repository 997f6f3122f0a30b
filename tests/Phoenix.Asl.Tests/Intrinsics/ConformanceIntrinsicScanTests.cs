using System.Text.Json.Nodes;
using Phoenix.Asl.Intrinsics;
using Phoenix.Asl.Paths;
using Xunit.Abstractions;

namespace Phoenix.Asl.Tests.Intrinsics;

/// <summary>
/// Runs every intrinsic call and path found in the recorded AWS definitions (Conformance/data, pure and
/// lambda files) through the parsers, and replays the single-Pass-state intrinsic cases directly against the
/// functions, independently of the engine.
/// </summary>
public class ConformanceIntrinsicScanTests(ITestOutputHelper output)
{
    private static readonly string[] Files = ["pure", "lambda"];

    // Fields whose "x.$" values are evaluated (payload templates); Result is literal (AWS behaviour 5).
    private static readonly string[] TemplateFields = ["Parameters", "ResultSelector", "ItemSelector"];
    private static readonly string[] PathFields = ["InputPath", "OutputPath", "ItemsPath"];
    private static readonly string[] ReferenceFields = ["ResultPath", "Variable", "SecondsPath", "TimestampPath", "TimeoutSecondsPath", "HeartbeatSecondsPath", "MaxConcurrencyPath"];

    [Conformance.ConformanceFact("pure", "lambda")]
    public void ConformanceDefinitions_EveryIntrinsicCall_Parses()
    {
        var expressions = Collect().Intrinsics;

        var failures = new List<string>();
        foreach (var (caseId, expression) in expressions)
        {
            try
            {
                IntrinsicFunctions.Parse(expression);
            }
            catch (IntrinsicSyntaxException e)
            {
                failures.Add($"{caseId}: {e.Message}");
            }
        }

        output.WriteLine($"{expressions.Count} intrinsic calls parsed ({expressions.Select(e => e.Expression).Distinct().Count()} distinct).");
        Assert.NotEmpty(expressions);
        Assert.Empty(failures);
    }

    [Conformance.ConformanceFact("pure", "lambda")]
    public void ConformanceDefinitions_EveryPath_Compiles()
    {
        var (_, paths, references) = Collect();

        var failures = new List<string>();
        foreach (var (caseId, path) in paths)
        {
            try
            {
                JsonPathEvaluator.Compile(path);
            }
            catch (JsonPathSyntaxException e)
            {
                failures.Add($"{caseId}: {e.Message}");
            }
        }

        foreach (var (caseId, path) in references)
        {
            if (ReferencePath.Validate(path) is { } error)
            {
                failures.Add($"{caseId}: {error}");
            }
        }

        output.WriteLine($"{paths.Count} paths and {references.Count} reference paths checked.");
        Assert.NotEmpty(paths);
        Assert.Empty(failures);
    }

    [Conformance.ConformanceFact("pure", "lambda")]
    public void ConformancePassCases_IntrinsicResult_MatchesRecording()
    {
        var replayed = 0;
        var failures = new List<string>();
        foreach (var (id, testCase) in Cases())
        {
            if (SingleIntrinsic(testCase) is not { } expression
                || testCase["expected"]?["status"]?.GetValue<string>() != "SUCCEEDED")
            {
                continue;
            }

            replayed++;
            var input = testCase["input"];
            var context = testCase["context"]?.DeepClone() as JsonObject ?? [];
            if (context["Execution"] is JsonObject execution)
            {
                execution["Input"] = input?.DeepClone();
            }

            var actual = IntrinsicFunctions.Evaluate(
                expression,
                path => JsonPathEvaluator.Select(JsonPathEvaluator.Compile(path).IsContextPath ? context : input, path));
            var expected = testCase["expected"]!["output"]!["FunctionResult"];
            var wholePlaceholder = testCase["placeholders"] is JsonArray p && p.Any(x => x?.GetValue<string>() == "/output/FunctionResult");
            if (!Matches(expression, expected, actual, wholePlaceholder))
            {
                failures.Add($"{id}: {expression} gave {actual?.ToJsonString() ?? "null"}, AWS recorded {expected?.ToJsonString() ?? "null"}");
            }
        }

        output.WriteLine($"{replayed} recorded intrinsic executions replayed.");
        Assert.True(replayed > 100, $"only {replayed} intrinsic cases found");
        Assert.Empty(failures);
    }

    /// <summary>UUID and MathRandom results were replaced by placeholders in the recording: check their shape instead.</summary>
    private static bool Matches(string expression, JsonNode? expected, JsonNode? actual, bool wholePlaceholder)
    {
        if (JsonNode.DeepEquals(expected, actual))
        {
            return true;
        }

        if (!wholePlaceholder)
        {
            return false;
        }

        if (expression.StartsWith("States.UUID", StringComparison.Ordinal))
        {
            return Guid.TryParse(actual?.GetValue<string>(), out _);
        }

        return expression.StartsWith("States.MathRandom", StringComparison.Ordinal)
            && actual is JsonValue v && v.TryGetValue<int>(out _);
    }

    private static string? SingleIntrinsic(JsonObject testCase)
    {
        if (testCase["definition"]?["States"] is not JsonObject { Count: 1 } states
            || states.First().Value is not JsonObject state
            || state["Type"]?.GetValue<string>() != "Pass"
            || state.Any(p => p.Key is not ("Type" or "Parameters" or "End" or "Comment"))
            || state["Parameters"] is not JsonObject { Count: 1 } parameters
            || parameters["FunctionResult.$"] is not JsonValue value)
        {
            return null;
        }

        var expression = value.GetValue<string>();
        return IntrinsicFunctions.IsIntrinsic(expression) ? expression : null;
    }

    private static (List<(string Case, string Expression)> Intrinsics, List<(string Case, string Path)> Paths, List<(string Case, string Path)> References) Collect()
    {
        var intrinsics = new List<(string, string)>();
        var paths = new List<(string, string)>();
        var references = new List<(string, string)>();
        foreach (var (id, testCase) in Cases())
        {
            foreach (var state in States(testCase["definition"] as JsonObject))
            {
                foreach (var field in TemplateFields)
                {
                    CollectTemplate(id, state[field], intrinsics, paths);
                }

                foreach (var field in new[] { "ErrorPath", "CausePath" })
                {
                    if (state[field] is JsonValue v && v.GetValue<string>() is var text)
                    {
                        (IntrinsicFunctions.IsIntrinsic(text) ? intrinsics : references).Add((id, text));
                    }
                }

                foreach (var field in PathFields)
                {
                    if (state[field] is JsonValue v)
                    {
                        paths.Add((id, v.GetValue<string>()));
                    }
                }

                CollectReferences(id, state, references);
            }
        }

        return (intrinsics, paths, references);
    }

    private static void CollectReferences(string id, JsonNode? node, List<(string, string)> references)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj)
                {
                    if (IsReferenceField(key) && value is JsonValue v && v.TryGetValue<string>(out var path))
                    {
                        references.Add((id, path));
                    }
                    else if (key is not ("Parameters" or "Result" or "ResultSelector" or "ItemSelector" or "Branches" or "Iterator" or "ItemProcessor"))
                    {
                        // Choices, And/Or/Not and Catch hold reference paths further down.
                        CollectReferences(id, value, references);
                    }
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    CollectReferences(id, item, references);
                }

                break;
        }
    }

    private static bool IsReferenceField(string key) =>
        ReferenceFields.Contains(key)
        || (key.EndsWith("Path", StringComparison.Ordinal) && ComparisonPrefixes.Any(prefix => key.StartsWith(prefix, StringComparison.Ordinal)));

    private static readonly string[] ComparisonPrefixes = ["String", "Numeric", "Boolean", "Timestamp"];

    private static void CollectTemplate(string id, JsonNode? template, List<(string, string)> intrinsics, List<(string, string)> paths)
    {
        switch (template)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj)
                {
                    if (key.EndsWith(".$", StringComparison.Ordinal) && value is JsonValue v && v.TryGetValue<string>(out var text))
                    {
                        (IntrinsicFunctions.IsIntrinsic(text) ? intrinsics : paths).Add((id, text));
                    }
                    else
                    {
                        CollectTemplate(id, value, intrinsics, paths);
                    }
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    CollectTemplate(id, item, intrinsics, paths);
                }

                break;
        }
    }

    /// <summary>Every state, including those of Parallel branches and Map processors.</summary>
    private static IEnumerable<JsonObject> States(JsonObject? machine)
    {
        if (machine?["States"] is not JsonObject states)
        {
            yield break;
        }

        foreach (var (_, node) in states)
        {
            if (node is not JsonObject state)
            {
                continue;
            }

            yield return state;
            var nested = new List<JsonObject?> { state["Iterator"] as JsonObject, state["ItemProcessor"] as JsonObject };
            if (state["Branches"] is JsonArray branches)
            {
                nested.AddRange(branches.Select(b => b as JsonObject));
            }

            foreach (var inner in nested.SelectMany(States))
            {
                yield return inner;
            }
        }
    }

    private static IEnumerable<(string Id, JsonObject Case)> Cases()
    {
        foreach (var file in Files)
        {
            foreach (var (id, testCase) in Conformance.ConformanceSuite.Cases(file))
            {
                yield return ($"{file}:{id}", testCase);
            }
        }
    }
}
