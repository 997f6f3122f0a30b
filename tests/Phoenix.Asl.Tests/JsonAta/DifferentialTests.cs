using System.Text.Json.Nodes;
using Phoenix.Asl.JsonAta;

namespace Phoenix.Asl.Tests.JsonAta;

/// <summary>
/// Phoenix.Asl's JSONata evaluator against the reference implementation: differential.json holds expressions, inputs
/// and what jsonata-js (pinned in tests/tools/jsonata) returned, as a value, undefined, a function or an error code.
/// Regenerate with <c>cd tests/tools/jsonata &amp;&amp; npm ci &amp;&amp; node generate.js</c>.
/// </summary>
public sealed class DifferentialTests
{
    private static readonly Lazy<JsonObject> Fixture = new(() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "JsonAta", "differential.json")))!.AsObject());

    public static IEnumerable<object[]> Cases =>
        Fixture.Value["cases"]!.AsArray().Select((c, i) => new object[] { i, c!["expression"]!.GetValue<string>() });

    [Fact]
    public void Fixture_FromTheReference_HoldsEveryCase() => Assert.True(Fixture.Value["cases"]!.AsArray().Count >= 280);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Evaluate_Expression_MatchesReference(int index, string expression)
    {
        var entry = Fixture.Value["cases"]![index]!.AsObject();
        var input = Fixture.Value["inputs"]![entry["input"]!.GetValue<string>()];
        JsonataResult result;
        try
        {
            result = JsonataExpression.Parse(expression).Evaluate(input);
        }
        catch (JsonataException e)
        {
            Assert.True(entry.ContainsKey("error"), $"{expression}: threw {e.Code} {e.Message}, reference gave {entry.ToJsonString()}");
            Assert.Equal(entry["error"]!.GetValue<string>(), e.Code);
            return;
        }

        Assert.False(entry.ContainsKey("error"), $"{expression}: reference threw {entry["error"]}, ours gave {result}");
        if (entry.ContainsKey("undefined"))
        {
            Assert.False(result.IsDefined, $"{expression}: expected undefined, got {result.Value?.ToJsonString()}");
        }
        else if (entry.ContainsKey("function"))
        {
            Assert.True(result.IsFunction, $"{expression}: expected a function");
        }
        else
        {
            Assert.True(result.IsDefined, $"{expression}: got undefined, expected {entry["result"]?.ToJsonString()}");
            Assert.True(JsonNode.DeepEquals(Normalize(entry["result"]), Normalize(result.Value)), $"{expression}: got {result.Value?.ToJsonString()}, expected {entry["result"]?.ToJsonString()}");
        }
    }

    // Numbers compare by value (10 and 10.0 are the same JSON number).
    private static JsonNode? Normalize(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.Select(p => KeyValuePair.Create(p.Key, Normalize(p.Value)))),
        JsonArray a => new JsonArray([.. a.Select(Normalize)]),
        JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.Number => JsonValue.Create(double.Parse(v.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture)),
        _ => node?.DeepClone(),
    };
}
