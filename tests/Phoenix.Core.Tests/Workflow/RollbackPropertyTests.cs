using CsCheck;
using Phoenix.Core.Domain;
using Phoenix.Core.Workflow;

namespace Phoenix.Core.Tests.Workflow;

public class RollbackPropertyTests
{
    private static readonly int[][] StepChoices = [[100], [10, 100], [10, 50, 100], [5, 25, 50, 75, 100]];

    /// <summary>
    /// Whatever point after the first change a deployment stopped at (launch template, scale-up, mid-boot, healthy,
    /// any canary step, after Finalize), Rollback run twice leaves blue serving everything at its original size and
    /// pinning, green empty, and the ledger ROLLED_BACK — and the second run changes nothing.
    /// </summary>
    [Fact]
    public async Task Rollback_FromAnyPointAfterFirstChange_RestoresBlueAndIsIdempotent()
    {
        var gen = Gen.Select(Gen.Int[1, 4], Gen.Int[0, StepChoices.Length - 1], Gen.Int[1, 9]);

        await gen.SampleAsync(async (capacity, choice, stopAfter) =>
        {
            var h = new RegionHarness(capacity);
            var image = h.RegisterImage();
            var steps = StepChoices[choice];
            var request = await h.ValidateAsync($$$"""{"application":"web","imageId":"{{{image}}}","strategy":{"trafficSteps":[{{{string.Join(",", steps)}}}]}}""");
            var plan = await h.ResolveAsync(request);
            var blueBefore = h.Fleet.Blue;
            await h.RunAsync<AcquireLockInput, AcquireLockOutput>("AcquireLock", new AcquireLockInput(request, h.Execution));

            var actions = new List<Func<Task>>
            {
                async () => await h.RunAsync<UpdateLaunchTemplateInput, UpdateLaunchTemplateOutput>(
                    "UpdateLaunchTemplate", new UpdateLaunchTemplateInput(plan, image, h.Execution)),
                async () => await h.RunAsync<ScaleUpGreenInput, ScaleUpGreenOutput>("ScaleUpGreen", new ScaleUpGreenInput(plan, request)),
                () =>
                {
                    h.Clock.Advance(TimeSpan.FromSeconds(70));
                    return Task.CompletedTask;
                },
                async () => await h.WaitHealthyAsync(plan, 2, TimeSpan.FromMinutes(20)),
            };
            actions.AddRange(steps.Select((_, index) => (Func<Task>)(async () =>
                await h.RunAsync<SwapTrafficInput, SwapTrafficOutput>("SwapTraffic", new SwapTrafficInput(plan, request, 2, index)))));
            actions.Add(async () => await h.RunAsync<FinalizeInput, FinalizeOutput>("Finalize", new FinalizeInput(plan, request, image, h.Execution)));

            foreach (var action in actions.Take(stopAfter))
            {
                await action();
            }

            var input = new RollbackInput(plan, request, image, h.Execution, new StepError("AlarmTriggered", "stopped after " + stopAfter));
            await h.RunAsync<RollbackInput, RollbackOutput>("Rollback", input);
            var afterFirst = h.Snapshot();
            await h.RunAsync<RollbackInput, RollbackOutput>("Rollback", input);

            Assert.Equal(afterFirst, h.Snapshot());
            var fleet = h.Fleet;
            Assert.Equal((100, 0), (fleet.Blue.Weight, fleet.Green.Weight));
            Assert.Equal((blueBefore.MinSize, blueBefore.MaxSize, blueBefore.DesiredCapacity), (fleet.Blue.MinSize, fleet.Blue.MaxSize, fleet.Blue.DesiredCapacity));
            Assert.Equal((0, 0), (fleet.Green.MinSize, fleet.Green.DesiredCapacity));
            Assert.Equal(DeploymentResults.RolledBack, Assert.Single(h.Region.LedgerEntries("web")).Result);
        }, iter: 200, threads: 1);
    }
}
