using System.Text.Json.Nodes;
using Phoenix.Asl.Intrinsics;
using Phoenix.Asl.Tests.Paths;

namespace Phoenix.Asl.Tests.Intrinsics;

public class IntrinsicParserTests
{
    private static readonly Func<string, JsonNode?> NoPaths = path => throw new InvalidOperationException($"unexpected path {path}");

    [Theory]
    [InlineData("States.Array()", true)]
    [InlineData("  States.Format('x')", true)]
    [InlineData("States.UUID ()", true)]
    [InlineData("$.States.Array()", false)]
    [InlineData("States.", false)]
    [InlineData("States.Array", false)]
    [InlineData("Hello", false)]
    public void IsIntrinsic_Text_RecognisesCallShape(string text, bool expected) =>
        Assert.Equal(expected, IntrinsicFunctions.IsIntrinsic(text));

    [Theory]
    [InlineData(@"States.Format('a\'b')", "a'b")]
    [InlineData(@"States.Format('a\{\}b')", "a{}b")]
    [InlineData(@"States.Format('a\\b')", @"a\b")]
    [InlineData(@"States.Format('say \""hi\""')", @"say \""hi\""")]
    [InlineData("States.Format('tab\tand\nnewline')", "tab\tand\nnewline")]
    public void Evaluate_StringLiteralEscapes_FollowAwsRules(string expression, string expected) =>
        Assert.Equal(expected, IntrinsicFunctions.Evaluate(expression, NoPaths)!.GetValue<string>());

    [Fact]
    public void Evaluate_EscapedJsonInLiteral_ReachesStringToJsonIntact()
    {
        var result = IntrinsicFunctions.Evaluate("""States.StringToJson('{"text":"An \"escaped double quote\" here"}')""", NoPaths);

        JsonPathTests.AssertJson("""{"text":"An \"escaped double quote\" here"}""", result);
    }

    [Fact]
    public void Evaluate_LiteralsOfEveryKind_BecomeJsonValues()
    {
        var result = IntrinsicFunctions.Evaluate("States.Array(1, -2.5, 1e3, true, false, null, 'x')", NoPaths);

        JsonPathTests.AssertJson("""[1,-2.5,1000,true,false,null,"x"]""", result);
    }

    [Fact]
    public void Evaluate_PathArguments_AreResolvedByCaller()
    {
        var asked = new List<string>();
        JsonNode? Resolve(string path)
        {
            asked.Add(path);
            return JsonValue.Create(path);
        }

        var result = IntrinsicFunctions.Evaluate("States.Array($.a['b,c'], $$.Execution.Id, $.list[?(@.x == 1)], $)", Resolve);

        Assert.Equal(["$.a['b,c']", "$$.Execution.Id", "$.list[?(@.x == 1)]", "$"], asked);
        JsonPathTests.AssertJson("""["$.a['b,c']","$$.Execution.Id","$.list[?(@.x == 1)]","$"]""", result);
    }

    [Fact]
    public void Evaluate_ResolvedNodes_AreCopiedNotAttached()
    {
        var input = JsonNode.Parse("""{"a":{"b":1}}""")!;

        var result = (JsonArray)IntrinsicFunctions.Evaluate("States.Array($)", _ => input)!;

        Assert.Null(input.Parent);
        Assert.NotSame(input, result[0]);
    }

    [Fact]
    public void Evaluate_NestedCalls_EvaluateInsideOut()
    {
        var name = JsonValue.Create("alpha-beta-gamma");

        var result = IntrinsicFunctions.Evaluate(
            "States.ArrayGetItem(States.StringSplit($$.StateMachine.Name, '-'), States.MathAdd(States.ArrayLength(States.StringSplit($$.StateMachine.Name, '-')), -1))",
            _ => name);

        Assert.Equal("gamma", result!.GetValue<string>());
    }

    [Fact]
    public void Parse_NineNestedCallsFromAwsDocs_Parses()
    {
        var expression = IntrinsicFunctions.Parse("States.Format('{}.{}.{}', States.ArrayGetItem(States.StringSplit(States.ArrayGetItem(States.StringSplit($.ImageRecipe.Arn, '/'), 2), '.'), 0), States.ArrayGetItem(States.StringSplit(States.ArrayGetItem(States.StringSplit($.ImageRecipe.Arn, '/'), 2), '.'), 1))");

        Assert.Equal("States.Format", expression.FunctionName);
        Assert.Equal(["$.ImageRecipe.Arn", "$.ImageRecipe.Arn"], expression.PathArguments);
    }

    [Fact]
    public void Parse_TenCallsSideBySide_Parses() =>
        Assert.Equal("States.Array", IntrinsicFunctions.Parse("States.Array(" + string.Join(", ", Enumerable.Repeat("States.UUID()", 9)) + ")").FunctionName);

    [Fact]
    public void Parse_ElevenCallsSideBySide_ThrowsCallLimit() =>
        AssertCallLimit("States.Array(" + string.Join(", ", Enumerable.Repeat("States.UUID()", 10)) + ")");

    [Fact]
    public void Parse_ElevenNestedCalls_ThrowsCallLimit() =>
        AssertCallLimit(string.Concat(Enumerable.Repeat("States.Array(", 11)) + new string(')', 11));

    private static void AssertCallLimit(string expression)
    {
        var e = Assert.Throws<IntrinsicSyntaxException>(() => IntrinsicFunctions.Parse(expression));

        Assert.Contains("more than 10 intrinsic functions in one field", e.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("States.Nope(1)", "unknown function 'States.Nope'")]
    [InlineData("States.ArrayLength()", "States.ArrayLength takes 1 argument(s), got 0")]
    [InlineData("States.UUID(1)", "States.UUID takes 0 argument(s), got 1")]
    [InlineData("States.MathRandom(1)", "States.MathRandom takes 2 to 3 argument(s), got 1")]
    [InlineData("States.Format()", "States.Format takes at least 1 argument(s), got 0")]
    [InlineData("States.Array('x", "unclosed string literal")]
    [InlineData("States.Array('x\\", "open escape")]
    [InlineData("States.Array(1", "unclosed argument list")]
    [InlineData("States.Array(1) extra", "unexpected 'e'")]
    [InlineData("States.Array(1 2)", "expected ',' or ')'")]
    [InlineData("States.Array(,)", "unexpected ','")]
    [InlineData("States.Array(1.2.3)", "'1.2.3' is not a number")]
    [InlineData("States.Array($.a b)", "expected ',' or ')'")]
    [InlineData("States.Array($.a[)", "Invalid JSONPath")]
    [InlineData("States.Array(yes)", "unexpected 'y'")]
    [InlineData("Array(1)", "starts with 'States.'")]
    public void Parse_MalformedCall_ThrowsNamingTheProblem(string expression, string reason)
    {
        var e = Assert.Throws<IntrinsicSyntaxException>(() => IntrinsicFunctions.Parse(expression));

        Assert.Equal(expression, e.Expression);
        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Names_ListsAllEighteenFunctions()
    {
        string[] expected =
        [
            "States.Format", "States.StringToJson", "States.JsonToString", "States.Array", "States.ArrayPartition",
            "States.ArrayContains", "States.ArrayRange", "States.ArrayGetItem", "States.ArrayLength", "States.ArrayUnique",
            "States.Base64Encode", "States.Base64Decode", "States.Hash", "States.JsonMerge", "States.MathRandom",
            "States.MathAdd", "States.StringSplit", "States.UUID",
        ];

        Assert.Equal(expected.Order(StringComparer.Ordinal), IntrinsicFunctions.Names.Order(StringComparer.Ordinal));
    }
}
