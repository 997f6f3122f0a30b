using System.Text.RegularExpressions;
using Phoenix.Core.Drift;
using Phoenix.Core.Workflow;
using Phoenix.Lambda.Handlers;
using Phoenix.Lambda.Tests.Support;

namespace Phoenix.Lambda.Tests;

public sealed partial class CompositionTests
{
    /// <summary>Counts what the composition asks for. The ports are never called by these tests: building
    /// handlers touches no AWS.</summary>
    private sealed class CountingPorts : IPortsFactory
    {
        public int WorkflowCalls { get; private set; }

        public int DriftCalls { get; private set; }

        public WorkflowPorts Workflow()
        {
            WorkflowCalls++;
            return new WorkflowPorts(null!, null!, null!, null!, null!, null!, null!, null!, null!);
        }

        public DriftPorts Drift()
        {
            DriftCalls++;
            return new DriftPorts(null!, null!, null!, null!, null!, null!, null!, null!);
        }

        public IConfigEvaluations ConfigEvaluations() => null!;
    }

    private static HandlerTable Table(CountingPorts ports, string? driftTopic = "arn:aws:sns:eu-west-1:123456789012:phoenix-drift") =>
        Composition.CreateHandlerTable(name => name == "PHOENIX_DRIFT_TOPIC_ARN" ? driftTopic : null, TimeProvider.System, ports);

    [Fact]
    public void CreateHandlerTable_EveryStepCatalogName_HasAHandlerAndNoOtherStepDoes()
    {
        var catalog = new StepCatalog(new CountingPorts().Workflow(), TimeProvider.System);

        var table = Table(new CountingPorts());

        Assert.Equal(catalog.Names.Order(StringComparer.Ordinal), Composition.WorkflowSteps.Order(StringComparer.Ordinal));
        Assert.All(catalog.Names, step => Assert.Contains(step, table.Keys));
    }

    [Fact]
    public void CreateHandlerTable_EveryFunctionArnInTheStateMachine_HasAHandler()
    {
        var asl = File.ReadAllText(Repository.PathOf("statemachines/deploy.asl.json"));

        var referenced = FunctionArnPlaceholder().Matches(asl).Select(m => m.Groups[1].Value).Distinct().ToList();
        var table = Table(new CountingPorts());

        Assert.NotEmpty(referenced);
        Assert.All(referenced, key => Assert.Contains(key, table.Keys));
    }

    [Fact]
    public void CreateHandlerTable_Keys_AreTheWorkflowStepsAndTheThreeDriftFunctions()
    {
        var table = Table(new CountingPorts());

        Assert.Equal(
            Composition.WorkflowSteps.Concat(["DriftHandler", "ImmutableInstance", "LockCleanup"]).Order(StringComparer.Ordinal),
            table.Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("Validate", 1, 0)]
    [InlineData("Notify", 1, 0)]
    [InlineData("DriftHandler", 0, 1)]
    [InlineData("LockCleanup", 0, 1)]
    [InlineData("ImmutableInstance", 0, 1)]
    public void Create_OneHandler_BuildsOnlyThePortsItNeeds(string key, int workflowCalls, int driftCalls)
    {
        var ports = new CountingPorts();

        var handler = Table(ports).Create(key);

        Assert.NotNull(handler);
        Assert.Equal(workflowCalls, ports.WorkflowCalls);
        Assert.Equal(driftCalls, ports.DriftCalls);
    }

    [Fact]
    public void Create_DriftHandlerWithoutTopic_FailsNamingTheVariable()
    {
        var error = Assert.Throws<ArgumentException>(() => Table(new CountingPorts(), driftTopic: null).Create("DriftHandler"));

        Assert.Contains("PHOENIX_DRIFT_TOPIC_ARN", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_UnknownKey_ThrowsHandlerNotFoundListingTheKnownKeys()
    {
        var error = Assert.Throws<HandlerNotFound>(() => Table(new CountingPorts()).Create("ScaleUpBlue"));

        Assert.Contains("'ScaleUpBlue'", error.Message, StringComparison.Ordinal);
        Assert.Contains("ScaleUpGreen", error.Message, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"\$\{(\w+)FunctionArn\}")]
    private static partial Regex FunctionArnPlaceholder();
}
