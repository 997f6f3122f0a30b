using System.Text.Json.Nodes;
using Phoenix.Cdk.Tests.Support;
using Phoenix.Core.Workflow;

namespace Phoenix.Cdk.Tests;

/// <summary>
/// The state machine as deployed (issue 11, item 6): every Task waits longer than the Lambda function it invokes may
/// run, so a hung function ends with its own timeout error instead of the state giving up while the function still
/// changes the fleet; and the execution has a TimeoutSeconds that covers every strategy Validate accepts.
/// </summary>
[Collection(SynthesizedAppGroup.Name)]
public sealed class StateTimeoutTests(SynthesizedApp app)
{
    [Fact]
    public void Tasks_DeployedDefinition_EachTimeoutLongerThanItsFunctionTimeout()
    {
        var template = app.JsonOf(app.Stacks.Pipeline);
        var (definition, substitutions) = Machine(template);
        var functionTimeouts = Json.Resources(template, "AWS::Lambda::Function")
            .ToDictionary(f => f.LogicalId, f => (int)f.Resource["Properties"]!["Timeout"]!);
        var checkedTasks = 0;

        foreach (var (name, node) in definition["States"]!.AsObject())
        {
            if ((string?)node!["Type"] != "Task")
            {
                continue;
            }

            var resource = (string?)node["Parameters"]?["FunctionName"] ?? (string)node["Resource"]!;
            var placeholder = resource.Trim('$', '{', '}');
            var logicalId = (string)substitutions[placeholder]!["Fn::GetAtt"]![0]!;
            var stateTimeout = (int?)node["TimeoutSeconds"];
            Assert.True(stateTimeout is not null, $"{name} has no TimeoutSeconds");
            Assert.True(stateTimeout > functionTimeouts[logicalId],
                $"{name} times out after {stateTimeout}s, but its function {logicalId} may run {functionTimeouts[logicalId]}s");
            checkedTasks++;
        }

        Assert.True(checkedTasks >= 20, $"only {checkedTasks} Task states found");
    }

    [Fact]
    public void StateMachine_DeployedDefinition_TimesOutAfterTheLongestExecutionValidateAllows()
    {
        var (definition, _) = Machine(app.JsonOf(app.Stacks.Pipeline));

        Assert.Equal(ExecutionBudget.MaxExecutionSeconds, (int?)definition["TimeoutSeconds"]);
    }

    [Fact]
    public void Functions_RollbackPath_HaveMoreTimeThanASingleStep()
    {
        var timeouts = Json.Resources(app.JsonOf(app.Stacks.Pipeline), "AWS::Lambda::Function")
            .ToDictionary(f => (string)f.Resource["Properties"]!["Handler"]!, f => (int)f.Resource["Properties"]!["Timeout"]!);

        Assert.Equal(Handlers.TimeoutSeconds("Rollback"), timeouts["Rollback"]);
        Assert.True(timeouts["Rollback"] > timeouts["SwapTraffic"]);
        Assert.Equal(Handlers.TimeoutSeconds("RecordRollbackFailure"), timeouts["RecordRollbackFailure"]);
    }

    private static (JsonObject Definition, JsonObject Substitutions) Machine(JsonObject template)
    {
        var properties = Json.Resources(template, "AWS::StepFunctions::StateMachine").Single().Resource["Properties"]!;
        var definition = JsonNode.Parse(Json.Flatten(properties["DefinitionString"]!))!.AsObject();
        return (definition, properties["DefinitionSubstitutions"]!.AsObject());
    }
}
