using System.Text.Json.Nodes;
using Run = Phoenix.Asl.Tests.Engine.Asl;

namespace Phoenix.Asl.Tests.Variables;

/// <summary>Workflow variables in JSONPath states: Assign, <c>$name</c>, scopes, ordering and size limits.</summary>
public sealed class VariableTests
{
    [Fact]
    public async Task Assign_ThenReference_ReadsInPathsParametersAndIntrinsics()
    {
        var result = await Run.RunAsync("""
            {"StartAt":"A","States":{
              "A":{"Type":"Pass","Assign":{"n":41,"obj":{"k":"v"},"copy.$":"$.in"},"Next":"B"},
              "B":{"Type":"Pass","Parameters":{"sum.$":"States.MathAdd($n, 1)","k.$":"$obj.k","copy.$":"$copy"},"End":true}}}
            """, """{"in":[1,2]}""");

        Assert.Equal("""{"sum":42,"k":"v","copy":[1,2]}""", Run.Json(result.Output));
    }

    [Fact]
    public async Task Assign_OutputPathInSameState_SeesTheValueFromBefore()
    {
        // Assignment happens as the state exits, after output processing: OutputPath still reads the old value.
        var result = await Run.RunAsync("""
            {"StartAt":"A","States":{
              "A":{"Type":"Pass","Assign":{"x":"old"},"Next":"B"},
              "B":{"Type":"Pass","Assign":{"x":"new","seen.$":"$x"},"OutputPath":"$x","Next":"C"},
              "C":{"Type":"Pass","Parameters":{"x.$":"$x","seen.$":"$seen"},"End":true}}}
            """);

        Assert.Equal("""{"x":"new","seen":"old"}""", Run.Json(result.Output));
        var exited = result.History.First(e => e.Type == "PassStateExited" && e.StateName == "B");
        Assert.Equal("\"new\"", exited.Details["assignedVariables"]!["x"]!.GetValue<string>());
    }

    [Fact]
    public async Task Assign_InTask_DollarIsTheResultAfterResultSelector()
    {
        var tasks = Run.Tasks("work", (_, _) => ValueTask.FromResult<JsonNode?>(new JsonObject { ["a"] = 1, ["b"] = 2 }));

        var result = await Run.RunAsync("""
            {"StartAt":"T","States":{
              "T":{"Type":"Task","Resource":"@FN","ResultSelector":{"picked.$":"$.b"},"Assign":{"r.$":"$.picked"},"ResultPath":null,"Next":"P"},
              "P":{"Type":"Pass","Parameters":{"r.$":"$r"},"End":true}}}
            """, "{}", tasks);

        Assert.Equal("""{"r":2}""", Run.Json(result.Output));
    }

    [Fact]
    public async Task Assign_InMapIteration_ReadsOuterButDoesNotLeakOut()
    {
        var result = await Run.RunAsync("""
            {"StartAt":"A","States":{
              "A":{"Type":"Pass","Assign":{"x":10},"Next":"M"},
              "M":{"Type":"Map","ItemsPath":"$.items","Assign":{"afterMap.$":"$"},"ItemProcessor":{"StartAt":"I","States":{
                "I":{"Type":"Pass","Assign":{"inner.$":"$x"},"Next":"J"},
                "J":{"Type":"Pass","Parameters":{"sum.$":"States.MathAdd($inner, $)"},"End":true}}},"Next":"B"},
              "B":{"Type":"Pass","Parameters":{"after.$":"$afterMap","inner.$":"$inner"},"End":true}}}
            """, """{"items":[1,2]}""");

        // $inner exists only inside the iterations: reading it outside is a runtime error.
        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Equal("States.Runtime", result.Error);
        Assert.Contains("$inner", result.Cause, StringComparison.Ordinal);
        var mapExit = result.History.First(e => e.Type == "MapStateExited");
        Assert.Equal("""[{"sum":11},{"sum":12}]""", mapExit.Details["assignedVariables"]!["afterMap"]!.GetValue<string>());
    }

    [Fact]
    public async Task Assign_InParallelBranch_DoesNotChangeTheOuterVariable()
    {
        var result = await Run.RunAsync("""
            {"StartAt":"A","States":{
              "A":{"Type":"Pass","Assign":{"x":1},"Next":"P"},
              "P":{"Type":"Parallel","Branches":[
                {"StartAt":"B1","States":{"B1":{"Type":"Pass","Assign":{"x":2},"Next":"B2"},"B2":{"Type":"Pass","Parameters":{"x.$":"$x"},"End":true}}}],
               "Next":"C"},
              "C":{"Type":"Pass","Parameters":{"branch.$":"$[0].x","outer.$":"$x"},"End":true}}}
            """);

        Assert.Equal("""{"branch":2,"outer":1}""", Run.Json(result.Output));
    }

    [Fact]
    public async Task Assign_ChoiceRuleMatched_UsesTheRulesAssignElseTheStates()
    {
        const string Definition = """
            {"StartAt":"C","States":{
              "C":{"Type":"Choice","Choices":[{"Variable":"$.v","NumericEquals":1,"Assign":{"s":"rule"},"Next":"D"}],"Assign":{"s":"default"},"Default":"D"},
              "D":{"Type":"Pass","Parameters":{"s.$":"$s"},"End":true}}}
            """;

        Assert.Equal("""{"s":"rule"}""", Run.Json((await Run.RunAsync(Definition, """{"v":1}""")).Output));
        Assert.Equal("""{"s":"default"}""", Run.Json((await Run.RunAsync(Definition, """{"v":2}""")).Output));
    }

    [Fact]
    public async Task Assign_InCatcher_DollarIsTheErrorOutput()
    {
        var tasks = Run.Tasks("work", (_, _) => throw new TaskFailedException("Boom", "it broke"));

        var result = await Run.RunAsync("""
            {"StartAt":"T","States":{
              "T":{"Type":"Task","Resource":"@FN","Catch":[{"ErrorEquals":["States.ALL"],"Assign":{"err.$":"$.Error"},"ResultPath":null,"Next":"P"}],"End":true},
              "P":{"Type":"Pass","Parameters":{"err.$":"$err"},"End":true}}}
            """, "{}", tasks);

        Assert.Equal("""{"err":"Boom"}""", Run.Json(result.Output));
    }

    [Fact]
    public async Task Assign_VariableOver256KiB_FailsWithDataLimitExceeded()
    {
        // The state's own result stays under 256 KiB; the variable built from it does not.
        var half = new string('x', 150_000);
        var result = await Run.RunAsync("""
            {"StartAt":"A","States":{"A":{"Type":"Pass","Assign":{"big.$":"States.Array($.s, $.s)"},"End":true}}}
            """, new JsonObject { ["s"] = half }.ToJsonString());

        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Equal("States.DataLimitExceeded", result.Error);
        Assert.Contains("'big'", result.Cause, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Assign_TwoVariablesOver256KiBTogether_FailsWithDataLimitExceeded()
    {
        var result = await Run.RunAsync("""
            {"StartAt":"A","States":{"A":{"Type":"Pass","Assign":{"a.$":"$.s","b.$":"$.s"},"End":true}}}
            """, new JsonObject { ["s"] = new string('x', 150_000) }.ToJsonString());

        Assert.Equal("States.DataLimitExceeded", result.Error);
        Assert.Contains("Assign", result.Cause, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Assign_ManyVariablesOver10MiBInTotal_FailsWithDataLimitExceeded()
    {
        // 50 states each storing a new 250 KB variable: each Assign is within its own limits, the total is not.
        var chunk = new string('y', 250_000);
        var states = new JsonObject();
        for (var i = 0; i < 50; i++)
        {
            states[$"S{i}"] = new JsonObject
            {
                ["Type"] = "Pass",
                ["Assign"] = new JsonObject { [$"v{i}.$"] = "$.s" },
                [i == 49 ? "End" : "Next"] = i == 49 ? true : $"S{i + 1}",
            };
        }

        var definition = new JsonObject { ["StartAt"] = "S0", ["States"] = states }.ToJsonString();
        var result = await Run.RunAsync(definition, new JsonObject { ["s"] = chunk }.ToJsonString());

        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Equal("States.DataLimitExceeded", result.Error);
        Assert.Contains("10485760", result.Cause, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reference_UndefinedVariable_IsARuntimeErrorNamingIt()
    {
        var result = await Run.RunAsync("""{"StartAt":"A","States":{"A":{"Type":"Pass","InputPath":"$nope","End":true}}}""");

        Assert.Equal("States.Runtime", result.Error);
        Assert.Contains("$nope", result.Cause, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"StartAt":"A","States":{"A":{"Type":"Pass","Assign":{"1bad":1},"End":true}}}""", "'1bad'")]
    [InlineData("""{"StartAt":"A","States":{"A":{"Type":"Pass","Assign":{"states":1},"End":true}}}""", "'states'")]
    [InlineData("""{"StartAt":"A","States":{"A":{"Type":"Pass","Assign":[1],"End":true}}}""", "'Assign'")]
    [InlineData("""{"StartAt":"A","States":{"A":{"Type":"Succeed","Assign":{"x":1}}}}""", "'Assign'")]
    [InlineData("""{"StartAt":"A","States":{"A":{"Type":"Pass","ResultPath":"$x","End":true}}}""", "'ResultPath'")]
    public void Parse_BadAssignOrVariableTarget_IsRejectedNamingIt(string definition, string named)
    {
        var e = Assert.Throws<AslDefinitionException>(() => StateMachineDefinition.Parse(definition));
        Assert.Contains(e.Errors, m => m.Contains(named, StringComparison.Ordinal));
    }
}
