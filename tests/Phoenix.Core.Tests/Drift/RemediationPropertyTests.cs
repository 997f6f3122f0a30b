using CsCheck;
using Phoenix.Core.Drift;

namespace Phoenix.Core.Tests.Drift;

public class RemediationPropertyTests
{
    private const string Deployment = "arn:aws:states:eu-west-1:123456789012:execution:phoenix-deploy:web-run";

    /// <summary>What can happen between drift events: deployments take and release the lock, instances fail and
    /// recover, the group launches replacements, time passes, and Config reports instances drifting or recovering.</summary>
    private enum Step
    {
        Drifted,
        Recovered,
        DeploymentStarts,
        DeploymentEnds,
        InstanceUnhealthy,
        ReplacementLaunched,
        TimePasses,
    }

    private sealed record Op(Step Step, int Target, int Minutes);

    private sealed record Case(int Instances, int DriftedEvery, int MinHealthyPercentage, int MaxPerHour, bool DryRun, Op[] Ops);

    private static readonly Gen<Op> OpGen = Gen.Select(Gen.Enum<Step>(), Gen.Int[0, 11], Gen.Int[1, 90], (step, target, minutes) => new Op(step, target, minutes));

    private static readonly Gen<Case> CaseGen = Gen.Select(
        Gen.Int[1, 8], Gen.Int[1, 3], Gen.Int[0, 100], Gen.Int[1, 4], Gen.Bool, OpGen.Array[1, 40],
        (instances, driftedEvery, percentage, maxPerHour, dryRun, ops) => new Case(instances, driftedEvery, percentage, maxPerHour, dryRun, ops));

    [Fact]
    public void HandleBatchAsync_AnySequenceOfEvents_NeverGoesBelowMinHealthyNorActsDuringDeploymentNorExceedsRate()
    {
        CaseGen.Sample(Run, iter: 1_500, threads: 1);
    }

    private static void Run(Case @case)
    {
        var clock = new ManualClock(ManualClock.Start);
        var fleet = new FakeFleet(clock, @case.MinHealthyPercentage);
        fleet.Policies.Put(FakeFleet.Application, new DriftPolicy(Enabled: true, MaxPerHour: @case.MaxPerHour, DryRun: @case.DryRun));
        var ids = Enumerable.Range(0, @case.Instances)
            .Select(i => fleet.AddInstance(i % @case.DriftedEvery == 0 ? FakeFleet.OldImage : FakeFleet.GoodImage))
            .ToList();
        var replacedAt = new List<DateTimeOffset>();
        fleet.OnTerminate = instanceId =>
        {
            var now = clock.GetUtcNow();
            Assert.False(@case.DryRun, "A dry run terminated an instance.");
            Assert.StartsWith(Remediation.LockOwnerPrefix, fleet.LockRecord?.Owner ?? string.Empty, StringComparison.Ordinal);
            var target = fleet.Instance(instanceId);
            var healthyAfter = fleet.HealthyInGroup - (target.Lifecycle == "InService" && target.Health == "Healthy" ? 1 : 0);
            Assert.True(
                healthyAfter >= Remediation.MinimumHealthy(fleet.DesiredCapacity, @case.MinHealthyPercentage),
                $"Terminating {instanceId} leaves {healthyAfter} healthy of desired {fleet.DesiredCapacity} at {@case.MinHealthyPercentage}%.");
            Assert.True(replacedAt.Count(t => t > now - TimeSpan.FromHours(1)) < @case.MaxPerHour, "More replacements in an hour than the policy allows.");
            replacedAt.Add(now);
        };

        var handler = Handlers.For(fleet);
        var sequence = 0;
        foreach (var op in @case.Ops)
        {
            // An expired lock is free to take (the lock contract), so only an unexpired one must survive.
            var deploymentHeld = fleet.LockRecord is { } held && held.Owner == Deployment && held.ExpiresAt > clock.GetUtcNow();
            var id = ids[op.Target % ids.Count];
            switch (op.Step)
            {
                case Step.Drifted:
                case Step.Recovered:
                    var fixture = op.Step == Step.Drifted ? "config-immutable-noncompliant.json" : "config-immutable-compliant.json";
                    var body = Fixture.Read(fixture).Replace("i-0abc1234def567890", id, StringComparison.Ordinal);
                    var result = handler.HandleBatchAsync([new SqsMessage($"m{++sequence}", body)], default).GetAwaiter().GetResult();
                    Assert.Empty(result.FailedMessageIds);
                    break;
                case Step.DeploymentStarts:
                    if (fleet.LockRecord is null)
                    {
                        fleet.HoldLock(Deployment, TimeSpan.FromHours(2));
                    }

                    break;
                case Step.DeploymentEnds:
                    if (deploymentHeld)
                    {
                        fleet.DropLock();
                    }

                    break;
                case Step.InstanceUnhealthy:
                    fleet.Instance(id).Health = "Unhealthy";
                    break;
                case Step.ReplacementLaunched:
                    // The group replaces what left it (terminated or unhealthy) with an instance of its image.
                    if (fleet.Instance(id).Lifecycle == "Terminating" || fleet.Instance(id).Health == "Unhealthy")
                    {
                        fleet.Instance(id).Lifecycle = "Terminating";
                        var desired = fleet.DesiredCapacity;
                        ids[op.Target % ids.Count] = fleet.AddInstance(FakeFleet.GoodImage, lifecycle: op.Minutes % 2 == 0 ? "Pending" : "InService");
                        fleet.DesiredCapacity = desired;
                    }

                    break;
                case Step.TimePasses:
                    clock.Advance(TimeSpan.FromMinutes(op.Minutes));
                    break;
            }

            if (deploymentHeld && op.Step != Step.DeploymentEnds)
            {
                Assert.Equal(Deployment, fleet.LockRecord?.Owner);
            }

            Assert.False(fleet.LockRecord?.Owner.StartsWith(Remediation.LockOwnerPrefix, StringComparison.Ordinal) ?? false, "Remediation left its lock behind.");
        }
    }
}
