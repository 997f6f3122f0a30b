using CsCheck;
using Phoenix.Cli.Simulation;

namespace Phoenix.Cli.Tests.Simulation;

public class DeploymentPropertyTests
{
    private static readonly string?[] CrashSteps = [null, null, null, "Validate", "AcquireLock", "UpdateLaunchTemplate", "ScaleUpGreen", "CheckHealth", "SwapTraffic", "Finalize", "ScaleDownPrevious", "Rollback", "ReleaseLock"];

    private static readonly int[][] Steps = [[100], [10, 100], [10, 50, 100], [1, 2, 3, 100]];

    private static Gen<T> Pick<T>(params T[] values) => Gen.Int[0, values.Length - 1].Select(i => values[i]);

    /// <summary>Fleet sizes, timings and fault schedules, each a valid deployment request.</summary>
    private static readonly Gen<SimulationSetup> Setups =
        from capacity in Gen.Int[1, 8]
        from empty in Gen.Int[0, 9]
        from launch in Gen.Int[5, 120]
        from boot in Gen.Int[0, 400]
        from interval in Pick(10, 15, 30)
        from healthy in Gen.Int[2, 6]
        from unhealthy in Gen.Int[2, 4]
        from grace in Pick(60, 300, 600)
        from deregistration in Gen.Int[0, 300]
        from bakeMinutes in Gen.Int[1, 15]
        from giveImage in Gen.Bool
        from badImage in Gen.Int[0, 5]
        from bakeFails in Gen.Int[0, 9]
        from throttle in Pick(0.0, 0.0, 0.1, 0.3)
        from seed in Gen.Int
        from alarmAfter in Gen.Int[-600, 600]
        from crash in Pick(CrashSteps)
        from steps in Pick(Steps)
        from stepWait in Gen.Int[0, 120]
        from bakeTime in Gen.Int[0, 600]
        from keepPrevious in Gen.Int[0, 600]
        from approval in Gen.Int[0, 9]
        from approvalMinutes in Gen.Int[0, 30]
        select new SimulationSetup
        {
            Capacity = capacity,
            InitialCapacity = empty == 0 ? 0 : capacity,
            Timings = new SimulationTimings
            {
                InstanceLaunch = TimeSpan.FromSeconds(launch),
                ApplicationBoot = TimeSpan.FromSeconds(boot),
                HealthCheckInterval = TimeSpan.FromSeconds(interval),
                HealthCheckTimeout = TimeSpan.FromSeconds(5),
                HealthyThreshold = healthy,
                UnhealthyThreshold = unhealthy,
                HealthCheckGracePeriod = TimeSpan.FromSeconds(grace),
                DeregistrationDelay = TimeSpan.FromSeconds(deregistration),
                Bake = TimeSpan.FromMinutes(bakeMinutes),
            },
            ImageId = giveImage ? "ami-0c0ffee0c0ffee0c0" : null,
            ImageHealthy = badImage != 0,
            Faults = new FaultPlan
            {
                ThrottleRate = throttle,
                Seed = seed,
                BakeFailureReason = bakeFails == 0 ? "Packer failed (generated)" : null,
                BakedImagesUnhealthy = badImage == 0,
                AlarmAfterSwap = alarmAfter >= 0 ? TimeSpan.FromSeconds(alarmAfter) : null,
            },
            CrashOnceStep = crash,
            TrafficSteps = steps,
            StepWaitSeconds = stepWait,
            BakeTimeSeconds = bakeTime,
            KeepPreviousSeconds = keepPrevious,
            Approval = approval switch
            {
                0 => new ApprovalPlan(false, TimeSpan.FromMinutes(approvalMinutes)),
                1 => new ApprovalPlan(true, TimeSpan.FromMinutes(approvalMinutes)),
                _ => null,
            },
        };

    [Fact]
    public void Run_GeneratedFleetsTimingsAndFaults_InvariantHeldAndEndsWithOneImageLiveLockReleasedLedgerWritten()
    {
        Setups.Sample(
            setup =>
            {
                var result = DeploymentSimulation.RunAsync(setup).GetAwaiter().GetResult();

                Assert.True(result.Violations.Count == 0, $"{setup}\n{string.Join("\n", result.Violations)}\nTimeline:\n{string.Join("\n", result.Timeline)}");
                Assert.Null(result.Lock);
                Assert.NotNull(result.LedgerEntry);
                if (result.Outcome == SimulationOutcome.Deployed)
                {
                    ScenarioTests.AssertNewImageLive(result);
                }
                else
                {
                    Assert.Equal(SimulationOutcome.Failed, result.Outcome);
                    ScenarioTests.AssertOldImageLive(result);
                }
            },
            iter: 1000);
    }
}
