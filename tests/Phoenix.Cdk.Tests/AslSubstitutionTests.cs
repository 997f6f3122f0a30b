using Phoenix.Cdk.Tests.Support;

namespace Phoenix.Cdk.Tests;

/// <summary>
/// One name per step (DESIGN.md): every <c>${X}</c> in the ASL has exactly one substitution and one handler, and every
/// workflow step is reachable from the ASL. Handler keys come from the contracts list (<see cref="Handlers"/>): the
/// Lambda host's handler table had no handlers wired when this was written.
/// </summary>
[Collection(SynthesizedAppGroup.Name)]
public sealed class AslSubstitutionTests(SynthesizedApp app)
{
    [Fact]
    public void Placeholders_DeployAsl_EachHasExactlyOneSubstitutionAndOneHandler()
    {
        var placeholders = AslDefinition.Placeholders(AslDefinition.Load());
        Assert.NotEmpty(placeholders);
        var machine = Json.Resources(app.JsonOf(app.Stacks.Pipeline), "AWS::StepFunctions::StateMachine").Single().Resource["Properties"]!;
        var substitutions = machine["DefinitionSubstitutions"]!.AsObject().Select(s => s.Key).ToList();
        var functions = Json.Resources(app.JsonOf(app.Stacks.Pipeline), "AWS::Lambda::Function")
            .Select(f => (string?)f.Resource["Properties"]!["Handler"]).ToList();
        foreach (var placeholder in placeholders)
        {
            Assert.Single(substitutions, s => s == placeholder);
            Assert.EndsWith("FunctionArn", placeholder, StringComparison.Ordinal);
            var handler = placeholder[..^"FunctionArn".Length];
            Assert.Single(Handlers.WorkflowSteps, s => s == handler);
            Assert.Single(functions, f => f == handler);
        }
    }

    [Fact]
    public void WorkflowSteps_DeployAsl_EveryStepIsReachable()
    {
        var placeholders = AslDefinition.Placeholders(AslDefinition.Load());
        var unreachable = Handlers.WorkflowSteps.Where(s => !placeholders.Contains(Handlers.Placeholder(s))).ToList();
        Assert.Empty(unreachable);
    }

    [Fact]
    public void Placeholders_RepeatedAndMixedText_DistinctNamesInOrder()
    {
        var names = AslDefinition.Placeholders("""{"a":"${BFunctionArn}","b":"${AFunctionArn}","c":"${BFunctionArn}","d":"$.x {y}"}""");
        Assert.Equal(["BFunctionArn", "AFunctionArn"], names);
    }
}
