using System.Text.Json.Nodes;
using Phoenix.Asl.JsonAta;

namespace Phoenix.Asl.Tests.JsonAta;

/// <summary>The functions Step Functions adds to JSONata (not in the reference implementation, so not differential).</summary>
public sealed class StepFunctionsFunctionTests
{
    private static string Eval(string expression, string input = "{}") =>
        JsonataExpression.Parse(expression).Evaluate(JsonNode.Parse(input)).Value?.ToJsonString() ?? "undefined";

    [Theory]
    [InlineData("$partition([1,2,3,4,5], 2)", "[[1,2],[3,4],[5]]")]
    [InlineData("$range(0, 10, 3)", "[0,3,6,9]")]
    [InlineData("$range(5, 1, -2)", "[5,3,1]")]
    [InlineData("$hash('hello', 'SHA-256')", "\"2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824\"")]
    [InlineData("$hash('hello', 'MD5')", "\"5d41402abc4b2a76b9719d911017c592\"")]
    [InlineData("$parse('{\"a\":[1,2]}').a", "[1,2]")]
    [InlineData("$random(7) = $random(7)", "true")]
    public void Evaluate_StepFunctionsFunction_GivesItsResult(string expression, string expected) =>
        Assert.Equal(expected, Eval(expression));

    [Fact]
    public void Evaluate_Uuid_IsAFreshVersion4Uuid()
    {
        var a = Eval("$uuid()").Trim('"');
        Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", a);
        Assert.NotEqual(a, Eval("$uuid()").Trim('"'));
    }

    [Theory]
    [InlineData("$hash('x', 'SHA-3')")]
    [InlineData("$partition([1], 0)")]
    [InlineData("$parse('{')")]
    public void Evaluate_BadArgument_ThrowsNamingTheProblem(string expression) =>
        Assert.Throws<JsonataException>(() => Eval(expression));

    [Fact]
    public void Evaluate_VariablesFromTheHost_AreBound()
    {
        var result = JsonataExpression.Parse("$states.input.a + $x").Evaluate(null, name => name switch
        {
            "states" => (true, JsonNode.Parse("""{"input":{"a":1}}""")),
            "x" => (true, JsonValue.Create(41)),
            _ => (false, null),
        });

        Assert.Equal("42", result.Value!.ToJsonString());
    }
}
