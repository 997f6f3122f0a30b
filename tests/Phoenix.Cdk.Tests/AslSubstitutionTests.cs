using System.Text.Json.Nodes;
using Phoenix.Cdk.Tests.Support;
using Phoenix.Core.Drift;
using Phoenix.Core.Workflow;
using Phoenix.Lambda;

namespace Phoenix.Cdk.Tests;

/// <summary>
/// One name per step (DESIGN.md): every <c>${X}</c> in the ASL has exactly one substitution and one handler in the
/// Lambda host's handler table, every workflow step is reachable from the ASL, and every function selects a handler
/// the host has.
/// </summary>
[Collection(SynthesizedAppGroup.Name)]
public sealed class AslSubstitutionTests(SynthesizedApp app)
{
    // The table builds handlers lazily, so listing its keys never asks for ports.
    private static readonly IReadOnlyCollection<string> HostKeys =
        Composition.CreateHandlerTable(_ => null, TimeProvider.System, new NoPorts()).Keys;

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
            Assert.Single(HostKeys, k => k == handler);
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

    [Fact]
    public void Functions_AllStacks_EachHostHandlerHasExactlyOneFunction()
    {
        var handlers = app.AllStacks
            .SelectMany(s => Json.Resources(app.JsonOf(s), "AWS::Lambda::Function"))
            // Phoenix's own functions (the Native AOT host); CDK's AwsCustomResource provider in the fleet stack is not one.
            .Where(f => f.Resource["Properties"]!["Runtime"] is JsonValue runtime && (string?)runtime == "provided.al2023")
            .Select(f => (string)f.Resource["Properties"]!["Handler"]!)
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.Equal(HostKeys.Order(StringComparer.Ordinal), handlers);
        Assert.Equal(HostKeys.Order(StringComparer.Ordinal), Handlers.WorkflowSteps.Concat([Handlers.DriftHandler, Handlers.ImmutableInstance, Handlers.LockCleanup]).Order(StringComparer.Ordinal));
    }

    private sealed class NoPorts : IPortsFactory
    {
        public WorkflowPorts Workflow() => throw new InvalidOperationException("Listing handler keys must not build workflow ports.");

        public DriftPorts Drift() => throw new InvalidOperationException("Listing handler keys must not build drift ports.");

        public IConfigEvaluations ConfigEvaluations() => throw new InvalidOperationException("Listing handler keys must not build Config clients.");
    }
}
