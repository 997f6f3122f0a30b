using System.Text.Json.Nodes;
using CsCheck;
using Phoenix.Asl;
using Phoenix.Core.Domain;
using Phoenix.Core.Workflow;

namespace Phoenix.Core.Tests.Workflow;

/// <summary>
/// Lifetimes (issue 11, item 6): the lock outlives the longest execution the strategy allows, the state machine's
/// TimeoutSeconds covers every strategy Validate accepts, and the budget is computed from the definition's own timings.
/// </summary>
public class LifetimeTests
{
    [Fact]
    public void DeployDefinition_TimeoutSeconds_IsTheLongestExecutionValidateAllows()
    {
        var definition = Definition();

        Assert.Equal(ExecutionBudget.MaxExecutionSeconds, (int?)definition["TimeoutSeconds"]);
    }

    [Fact]
    public void DeployDefinition_PollIntervalsAndApprovalTimeout_AreTheOnesTheBudgetCounts()
    {
        var states = Definition()["States"]!;

        Assert.Equal(ExecutionBudget.HealthPollSeconds, (int)states["WaitForGreen"]!["Seconds"]!);
        Assert.Equal(ExecutionBudget.BakePollSeconds, (int)states["WaitForBake"]!["Seconds"]!);
        Assert.Equal(ExecutionBudget.ApprovalTimeoutSeconds, (int)states["RequestApproval"]!["TimeoutSeconds"]!);
        Assert.Equal("$.traffic.healthDeadline", (string?)states["CheckHealth"]!["Parameters"]!["deadline.$"]);
    }

    [Fact]
    public void MaxExecutionSeconds_LongestStrategy_WithinStepFunctionsLimits()
    {
        // TimeoutSeconds is at most 99999999 and a Standard execution runs at most a year.
        Assert.InRange(ExecutionBudget.MaxExecutionSeconds, ValidateStep.MaxWaitSeconds, 365 * 24 * 3600);
    }

    [Fact]
    public void WorstCase_AnyFieldLonger_NeverShorterAndNeverAboveTheStateMachineTimeout()
    {
        var seconds = Gen.Int[0, ValidateStep.MaxWaitSeconds];
        var strategy = Gen.Select(Gen.Int[1, ValidateStep.MaxTrafficSteps], seconds, seconds, seconds, Gen.Bool, Gen.Int[1, ValidateStep.MaxWaitSeconds])
            .Select((steps, wait, bake, keep, approval, health) => new DeploymentStrategy(
                Enumerable.Range(1, steps).Select(i => i * 100 / steps).ToList(), wait, bake, keep, approval, health, DeploymentStrategy.DefaultBakeTimeoutSeconds));

        Gen.Select(strategy, Gen.Int[1, 3600], Gen.Bool).Sample((s, extra, bakes) =>
        {
            var worst = ExecutionBudget.WorstCase(s, bakes);
            Assert.True(worst <= TimeSpan.FromSeconds(ExecutionBudget.MaxExecutionSeconds), $"{s}: {worst}");
            Assert.True(ExecutionBudget.WorstCase(s with { StepWaitSeconds = s.StepWaitSeconds + extra }, bakes) >= worst);
            Assert.True(ExecutionBudget.WorstCase(s with { HealthTimeoutSeconds = s.HealthTimeoutSeconds + extra }, bakes) > worst);
            Assert.True(ExecutionBudget.WorstCase(s with { BakeTimeSeconds = s.BakeTimeSeconds + extra }, bakes) > worst);
            Assert.True(ExecutionBudget.WorstCase(s with { KeepPreviousSeconds = s.KeepPreviousSeconds + extra }, bakes) > worst);
            Assert.True(ExecutionBudget.WorstCase(s, bakes: true) > ExecutionBudget.WorstCase(s, bakes: false));
            Assert.True(ExecutionBudget.WorstCase(s with { Approval = true }, bakes) >= worst);
        }, iter: 500);
    }

    [Fact]
    public async Task AcquireLock_Expiry_FollowsTheRequestsStrategyFromTheExecutionStart()
    {
        var h = new RegionHarness();
        var image = h.RegisterImage();
        var quick = await h.ValidateAsync($$$"""{"application":"web","imageId":"{{{image}}}","strategy":{"bakeTimeSeconds":0,"keepPreviousSeconds":0,"healthTimeoutSeconds":300}}""");
        var careful = await h.ValidateAsync($$$"""{"application":"web","imageId":"{{{image}}}","strategy":{"trafficSteps":[10,50,100],"stepWaitSeconds":3600,"approval":true}}""");
        var execution = h.Execution with { StartedAt = h.Clock.GetUtcNow().AddMinutes(-1) };

        var first = await h.RunAsync<AcquireLockInput, AcquireLockOutput>("AcquireLock", new AcquireLockInput(quick, execution));
        await h.RunAsync<ReleaseLockInput, ReleaseLockOutput>("ReleaseLock", new ReleaseLockInput("web", execution));
        var second = await h.RunAsync<AcquireLockInput, AcquireLockOutput>("AcquireLock", new AcquireLockInput(careful, execution));

        Assert.Equal(execution.StartedAt + ExecutionBudget.WorstCase(quick.Strategy, bakes: false), first.ExpiresAt);
        Assert.Equal(execution.StartedAt + ExecutionBudget.WorstCase(careful.Strategy, bakes: false), second.ExpiresAt);
        Assert.True(second.ExpiresAt - first.ExpiresAt > TimeSpan.FromSeconds(ExecutionBudget.ApprovalTimeoutSeconds), $"{first.ExpiresAt:O} vs {second.ExpiresAt:O}");
        Assert.Equal(second.ExpiresAt, h.Region.PeekLock("web")!.ExpiresAt);
    }

    [Theory]
    [InlineData("""{"trafficSteps":[10,50,100],"stepWaitSeconds":300,"approval":true}""", true)]
    [InlineData("""{"healthTimeoutSeconds":600}""", false)]
    [InlineData("""{"bakeTimeSeconds":1800,"keepPreviousSeconds":900}""", true)]
    public async Task Engine_AnyEnding_ExecutionEndsBeforeItsLockExpires(string strategy, bool healthyImage)
    {
        var harness = new RegionHarness();
        var image = harness.RegisterImage(healthyImage);

        var (result, calls) = await WorkflowRunner.RunAsync(
            harness,
            $$$"""{"application":"web","imageId":"{{{image}}}","strategy":{{{strategy}}}}""",
            answerApproval: (execution, token) => execution.SendTaskSuccess(token, new JsonObject()));

        Assert.Equal(healthyImage ? ExecutionStatus.Succeeded : ExecutionStatus.Failed, result.Status);
        var expiresAt = (DateTimeOffset)calls.First(c => c.Step == "AcquireLock").Output!["expiresAt"]!;
        Assert.True(result.History[^1].Timestamp < expiresAt, $"ended {result.History[^1].Timestamp:O}, lock expires {expiresAt:O}");
    }

    private static JsonObject Definition() => JsonNode.Parse(File.ReadAllText(Repository.DeployDefinitionPath))!.AsObject();
}
