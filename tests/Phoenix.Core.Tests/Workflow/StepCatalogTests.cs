using System.Text.Json;
using System.Text.Json.Nodes;
using Phoenix.Core.Domain;
using Phoenix.Core.Serialization;
using Phoenix.Core.Workflow;

namespace Phoenix.Core.Tests.Workflow;

public class StepCatalogTests
{
    private static readonly string[] ContractNames =
    [
        "Validate", "AcquireLock", "ResolveFleet", "StartBake", "CheckBake", "UpdateLaunchTemplate", "ScaleUpGreen", "CheckHealth",
        "SwapTraffic", "CheckAlarms", "RequestApproval", "Finalize", "ScaleDownPrevious", "Rollback", "RecordRollbackFailure", "ReleaseLock", "Notify",
    ];

    [Fact]
    public void Names_Always_AreTheContractStepNamesInOrder()
    {
        var harness = new RegionHarness();

        Assert.Equal(ContractNames, harness.Catalog.Names);
    }

    [Fact]
    public void Names_EachStep_HasClassWithInputAndOutputRecords()
    {
        var assembly = typeof(StepCatalog).Assembly;

        foreach (var name in ContractNames)
        {
            Assert.NotNull(assembly.GetType($"Phoenix.Core.Workflow.{name}Step"));
            Assert.NotNull(assembly.GetType($"Phoenix.Core.Workflow.{name}Input"));
            Assert.NotNull(assembly.GetType($"Phoenix.Core.Workflow.{name}Output"));
        }
    }

    [Fact]
    public async Task InvokeAsync_UnknownStep_ThrowsArgumentExceptionListingSteps()
    {
        var harness = new RegionHarness();

        var error = await Assert.ThrowsAsync<ArgumentException>(async () => await harness.Catalog.InvokeAsync("Deploy", null, CancellationToken.None));

        Assert.Contains("'Deploy'", error.Message, StringComparison.Ordinal);
        Assert.Contains("ScaleUpGreen", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvokeAsync_InputMissingRequiredField_ThrowsInvalidStepInput()
    {
        var harness = new RegionHarness();

        var error = await Assert.ThrowsAsync<InvalidStepInput>(async () =>
            await harness.Catalog.InvokeAsync("CheckBake", JsonNode.Parse("""{"bakeId":"b-1"}"""), CancellationToken.None));

        Assert.Contains("CheckBakeInput", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvokeAsync_NullInput_ThrowsInvalidStepInput()
    {
        var harness = new RegionHarness();

        await Assert.ThrowsAsync<InvalidStepInput>(async () => await harness.Catalog.InvokeAsync("ResolveFleet", null, CancellationToken.None));
    }

    [Fact]
    public void CoreJsonContext_Topology_RoundTripsAsCamelCaseWithWireColours()
    {
        var harness = new RegionHarness();

        var json = JsonSerializer.Serialize(harness.Topology, CoreJsonContext.Default.FleetTopology);
        var back = JsonSerializer.Deserialize(json, CoreJsonContext.Default.FleetTopology)!;
        var colour = JsonSerializer.Serialize(Colour.Green, CoreJsonContext.Default.Colour);

        Assert.Contains("\"autoScalingGroupName\"", json, StringComparison.Ordinal);
        Assert.Contains("\"listenerArn\"", json, StringComparison.Ordinal);
        Assert.Equal(harness.Topology.Blue, back.Blue);
        Assert.Equal(harness.Topology.AlarmNames, back.AlarmNames);
        Assert.Equal("\"green\"", colour);
    }

    [Fact]
    public void CoreJsonContext_StepError_UsesStepFunctionsCatchShape()
    {
        var error = JsonSerializer.Deserialize("""{"Error":"HealthCheckFailed","Cause":"0 of 3 ready"}""", CoreJsonContext.Default.StepError);

        Assert.Equal(new StepError("HealthCheckFailed", "0 of 3 ready"), error);
    }
}
