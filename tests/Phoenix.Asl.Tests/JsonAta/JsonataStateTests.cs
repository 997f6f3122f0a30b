using System.Text.Json.Nodes;
using Run = Phoenix.Asl.Tests.Engine.Asl;

namespace Phoenix.Asl.Tests.JsonAta;

/// <summary>JSONata states: Arguments, Output, Assign, $states, Choice Condition, Map Items, errors and field validation.</summary>
public sealed class JsonataStateTests
{
    [Fact]
    public async Task Task_ArgumentsAndOutput_SeeStatesInputAndResult()
    {
        var tasks = Run.Tasks("work", (request, _) => ValueTask.FromResult<JsonNode?>(new JsonObject { ["doubled"] = request.Input!["n"]!.GetValue<int>() * 2 }));

        var result = await Run.RunAsync("""
            {"QueryLanguage":"JSONata","StartAt":"T","States":{"T":{"Type":"Task","Resource":"@FN",
              "Arguments":{"n":"{% $states.input.value + 1 %}"},
              "Output":{"in":"{% $states.input.value %}","out":"{% $states.result.doubled %}","state":"{% $states.context.State.Name %}"},
              "End":true}}}
            """, """{"value":20}""", tasks);

        Assert.True(result.Status == ExecutionStatus.Succeeded, $"{result.Error}: {result.Cause}");
        Assert.Equal("""{"in":20,"out":42,"state":"T"}""", Run.Json(result.Output));
    }

    [Fact]
    public async Task Assign_InJsonata_StoredAfterOutputAndReadableLater()
    {
        var result = await Run.RunAsync("""
            {"QueryLanguage":"JSONata","StartAt":"A","States":{
              "A":{"Type":"Pass","Assign":{"x":1},"Next":"B"},
              "B":{"Type":"Pass","Assign":{"x":"{% $x + 1 %}"},"Output":{"seen":"{% $x %}"},"Next":"C"},
              "C":{"Type":"Pass","Output":{"before":"{% $states.input.seen %}","now":"{% $x %}"},"End":true}}}
            """);

        Assert.Equal("""{"before":1,"now":2}""", Run.Json(result.Output));
    }

    [Fact]
    public async Task Choice_Condition_PicksTheFirstTrueRuleWithItsOutput()
    {
        const string Definition = """
            {"QueryLanguage":"JSONata","StartAt":"C","States":{
              "C":{"Type":"Choice","Choices":[{"Condition":"{% $states.input.n > 10 %}","Output":"big","Next":"D"}],"Output":"small","Default":"D"},
              "D":{"Type":"Succeed"}}}
            """;

        Assert.Equal("\"big\"", Run.Json((await Run.RunAsync(Definition, """{"n":11}""")).Output));
        Assert.Equal("\"small\"", Run.Json((await Run.RunAsync(Definition, """{"n":1}""")).Output));
    }

    [Fact]
    public async Task Map_ItemsAndItemSelector_IterateTheExpressionsArray()
    {
        var result = await Run.RunAsync("""
            {"QueryLanguage":"JSONata","StartAt":"M","States":{"M":{"Type":"Map","Items":"{% $states.input.xs[$ > 1] %}",
              "ItemSelector":{"v":"{% $states.context.Map.Item.Value * 10 %}","i":"{% $states.context.Map.Item.Index %}"},
              "ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true}}}
            """, """{"xs":[1,2,3]}""");

        Assert.Equal("""[{"v":20,"i":0},{"v":30,"i":1}]""", Run.Json(result.Output));
    }

    [Fact]
    public async Task Output_UndefinedExpression_FailsWithQueryEvaluationError()
    {
        var result = await Run.RunAsync("""
            {"QueryLanguage":"JSONata","StartAt":"P","States":{"P":{"Type":"Pass","Output":{"r":"{% $nope %}"},"End":true}}}
            """);

        Assert.Equal("States.QueryEvaluationError", result.Error);
        Assert.Equal("An error occurred while executing the state 'P' (entered at the event id #2). The JSONata expression '$nope' specified for the field 'Output/r' returned nothing (undefined).", result.Cause);
    }

    [Fact]
    public async Task Catch_QueryEvaluationError_IsCatchableWithErrorOutput()
    {
        var result = await Run.RunAsync("""
            {"QueryLanguage":"JSONata","StartAt":"T","States":{
              "T":{"Type":"Parallel","Arguments":"{% $number('x') %}","Branches":[{"StartAt":"B","States":{"B":{"Type":"Succeed"}}}],
                   "Catch":[{"ErrorEquals":["States.QueryEvaluationError"],"Output":"{% $states.errorOutput.Error %}","Next":"D"}],"End":true},
              "D":{"Type":"Succeed"}}}
            """);

        Assert.Equal("\"States.QueryEvaluationError\"", Run.Json(result.Output));
    }

    [Theory]
    [InlineData("""{"QueryLanguage":"JSONata","StartAt":"P","States":{"P":{"Type":"Pass","InputPath":"$.a","End":true}}}""", "'InputPath'")]
    [InlineData("""{"QueryLanguage":"JSONata","StartAt":"P","States":{"P":{"Type":"Pass","Parameters":{},"End":true}}}""", "'Parameters'")]
    [InlineData("""{"StartAt":"P","States":{"P":{"Type":"Pass","Output":{},"End":true}}}""", "'Output'")]
    [InlineData("""{"StartAt":"P","States":{"P":{"Type":"Task","Resource":"x","Arguments":{},"End":true}}}""", "'Arguments'")]
    [InlineData("""{"QueryLanguage":"JSONata","StartAt":"P","States":{"P":{"Type":"Pass","Output":"{% 1 + %}","End":true}}}""", "'Output'")]
    [InlineData("""{"QueryLanguage":"JSONata","StartAt":"C","States":{"C":{"Type":"Choice","Choices":[{"Variable":"$.a","IsNull":true,"Next":"D"}]},"D":{"Type":"Succeed"}}}""", "Condition")]
    [InlineData("""{"QueryLanguage":"XPath","StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}""", "XPath")]
    public void Parse_FieldOfTheOtherQueryLanguage_IsRejectedNamingIt(string definition, string named)
    {
        var e = Assert.Throws<AslDefinitionException>(() => StateMachineDefinition.Parse(definition));
        Assert.Contains(e.Errors, m => m.Contains(named, StringComparison.Ordinal));
    }
}
