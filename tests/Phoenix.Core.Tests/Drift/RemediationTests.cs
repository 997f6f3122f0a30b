using Phoenix.Core.Drift;

namespace Phoenix.Core.Tests.Drift;

public class RemediationTests
{
    private const string Drifted = "i-0abc1234def567890";
    private readonly ManualClock _clock = new(ManualClock.Start);
    private readonly FakeFleet _fleet;

    public RemediationTests()
    {
        _fleet = new FakeFleet(_clock, minHealthyPercentage: 50);
        _fleet.AddInstance(FakeFleet.OldImage, id: Drifted);
        _fleet.AddInstance(FakeFleet.GoodImage);
        _fleet.AddInstance(FakeFleet.GoodImage);
        _fleet.AddInstance(FakeFleet.GoodImage);
    }

    private Remediation Remediation => new(_fleet.Ports, Handlers.Options, _clock);

    [Fact]
    public async Task RemediateAsync_NoPolicy_IsOffByDefault()
    {
        var result = await Remediation.RemediateAsync(Drifted, default);

        Assert.Equal(RemediationDecision.Disabled, result.Decision);
        Assert.Empty(_fleet.Terminated);
    }

    [Fact]
    public async Task RemediateAsync_Enabled_TerminatesInGroupWritesLedgerAndReleasesLock()
    {
        _fleet.Policies.Put(FakeFleet.Application, new DriftPolicy(Enabled: true));

        var result = await Remediation.RemediateAsync(Drifted, default);

        Assert.Equal(RemediationDecision.Replaced, result.Decision);
        Assert.Equal([Drifted], _fleet.Terminated);
        var record = Assert.Single(_fleet.Ledger);
        Assert.Equal("REPLACED", record.Result);
        Assert.Equal(FakeFleet.GoodImage, record.ImageId);
        Assert.Equal(FakeFleet.OldImage, record.PreviousImageId);
        Assert.Equal("blue", record.Colour);
        Assert.Equal(result.LedgerId, record.DeploymentId);
        Assert.Null(_fleet.LockRecord);
    }

    [Fact]
    public async Task RemediateAsync_DryRun_AnnouncesWithoutActingOrLedger()
    {
        _fleet.Policies.Put(FakeFleet.Application, new DriftPolicy(Enabled: true, DryRun: true));

        var result = await Remediation.RemediateAsync(Drifted, default);

        Assert.Equal(RemediationDecision.DryRun, result.Decision);
        Assert.StartsWith("Dry run: would terminate it in phoenix-web-blue", result.Reason, StringComparison.Ordinal);
        Assert.Empty(_fleet.Terminated);
        Assert.Empty(_fleet.Ledger);
    }

    [Fact]
    public async Task RemediateAsync_DeploymentHoldsLock_DoesNothingAndKeepsTheirLock()
    {
        _fleet.Policies.Put(FakeFleet.Application, new DriftPolicy(Enabled: true));
        _fleet.HoldLock("arn:aws:states:eu-west-1:123456789012:execution:phoenix-deploy:web-1", TimeSpan.FromMinutes(30));

        var result = await Remediation.RemediateAsync(Drifted, default);

        Assert.Equal(RemediationDecision.LockHeld, result.Decision);
        Assert.Contains("deployment arn:aws:states", result.Reason, StringComparison.Ordinal);
        Assert.Empty(_fleet.Terminated);
        Assert.Equal("arn:aws:states:eu-west-1:123456789012:execution:phoenix-deploy:web-1", _fleet.LockRecord!.Owner);
    }

    [Fact]
    public async Task RemediateAsync_DryRunDuringDeployment_DoesNotTouchTheLock()
    {
        _fleet.Policies.Put(FakeFleet.Application, new DriftPolicy(Enabled: true, DryRun: true));
        _fleet.HoldLock("arn:exec", TimeSpan.FromMinutes(30));

        var result = await Remediation.RemediateAsync(Drifted, default);

        Assert.Equal(RemediationDecision.LockHeld, result.Decision);
        Assert.Equal("arn:exec", _fleet.LockRecord!.Owner);
    }

    [Fact]
    public async Task RemediateAsync_OverHourlyLimit_WaitsForTheHourToPass()
    {
        var second = _fleet.AddInstance(FakeFleet.OldImage);
        _fleet.Policies.Put(FakeFleet.Application, new DriftPolicy(Enabled: true, MaxPerHour: 1));

        var first = await Remediation.RemediateAsync(Drifted, default);
        _clock.Advance(TimeSpan.FromMinutes(59));
        var limited = await Remediation.RemediateAsync(second, default);
        _clock.Advance(TimeSpan.FromMinutes(2));
        var later = await Remediation.RemediateAsync(second, default);

        Assert.Equal(RemediationDecision.Replaced, first.Decision);
        Assert.Equal(RemediationDecision.RateLimited, limited.Decision);
        Assert.Equal(RemediationDecision.Replaced, later.Decision);
        Assert.Equal([Drifted, second], _fleet.Terminated);
    }

    [Fact]
    public async Task RemediateAsync_WouldGoBelowMinimumHealthy_Refuses()
    {
        _fleet.Topology = _fleet.Topology with { MinHealthyPercentage = 100 };
        _fleet.Policies.Put(FakeFleet.Application, new DriftPolicy(Enabled: true));

        var result = await Remediation.RemediateAsync(Drifted, default);

        Assert.Equal(RemediationDecision.BelowMinHealthy, result.Decision);
        Assert.Contains("leave 3 healthy instance(s) in phoenix-web-blue; the minimum is 4 (100% of desired 4)", result.Reason, StringComparison.Ordinal);
        Assert.Empty(_fleet.Terminated);
    }

    [Fact]
    public async Task RemediateAsync_OthersUnhealthy_CountsOnlyInServiceHealthy()
    {
        foreach (var other in _fleet.GroupInstances.Where(i => i.Id != Drifted).Take(2))
        {
            other.Health = "Unhealthy";
        }

        _fleet.Policies.Put(FakeFleet.Application, new DriftPolicy(Enabled: true));

        var result = await Remediation.RemediateAsync(Drifted, default);

        Assert.Equal(RemediationDecision.BelowMinHealthy, result.Decision);
    }

    [Fact]
    public async Task RemediateAsync_DriftedInstanceItselfUnhealthy_MayBeReplacedAtTheMinimum()
    {
        _fleet.Topology = _fleet.Topology with { MinHealthyPercentage = 75 };
        _fleet.Instance(Drifted).Health = "Unhealthy";
        _fleet.Policies.Put(FakeFleet.Application, new DriftPolicy(Enabled: true));

        var result = await Remediation.RemediateAsync(Drifted, default);

        Assert.Equal(RemediationDecision.Replaced, result.Decision);
    }

    [Fact]
    public async Task RemediateAsync_AlreadyTerminating_DoesNotTerminateAgain()
    {
        _fleet.Instance(Drifted).Lifecycle = "Pending";
        _fleet.Policies.Put(FakeFleet.Application, new DriftPolicy(Enabled: true));

        var result = await Remediation.RemediateAsync(Drifted, default);

        Assert.Equal(RemediationDecision.NotInService, result.Decision);
        Assert.Empty(_fleet.Terminated);
    }

    [Fact]
    public async Task RemediateAsync_LaunchedOutsideManagedGroup_IsNotReplaced()
    {
        var stray = _fleet.AddInstance(FakeFleet.OldImage, group: null);
        _fleet.Policies.Put(FakeFleet.Application, new DriftPolicy(Enabled: true));

        var result = await Remediation.RemediateAsync(stray, default);

        Assert.Equal(RemediationDecision.NotApplicable, result.Decision);
        Assert.Contains("Launched outside a managed group", result.Reason, StringComparison.Ordinal);
        Assert.Empty(_fleet.Terminated);
    }

    [Fact]
    public async Task RemediateAsync_NoLongerDrifted_DoesNothing()
    {
        _fleet.GroupImage = FakeFleet.OldImage;
        _fleet.Policies.Put(FakeFleet.Application, new DriftPolicy(Enabled: true));

        var result = await Remediation.RemediateAsync(Drifted, default);

        Assert.Equal(RemediationDecision.NotApplicable, result.Decision);
        Assert.Empty(_fleet.Terminated);
    }

    [Fact]
    public async Task HandleBatchAsync_ReplacementEnabled_AnnouncesActionInResourceThread()
    {
        _fleet.Policies.Put(FakeFleet.Application, new DriftPolicy(Enabled: true));

        var result = await Handlers.For(_fleet).HandleBatchAsync([Fixture.Message("config-immutable-noncompliant.json")], default);

        Assert.Equal(RemediationDecision.Replaced, result.Outcomes[0].Remediation!.Decision);
        var messages = Published.All(_fleet);
        Assert.Equal(2, messages.Count);
        Assert.Single(_fleet.PublishedBatches);
        Assert.Equal($"Replacing {Drifted} from its image", Published.Title(messages[1]));
        Assert.Equal("PhoenixDriftReplacement", Published.EventType(messages[1]));
        Assert.Equal(Published.Thread(messages[0]), Published.Thread(messages[1]));
        Assert.Contains($"**Ledger:** `{result.Outcomes[0].Remediation!.LedgerId}`", Published.Description(messages[1]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task HandleBatchAsync_DryRun_AnnouncesWouldReplace()
    {
        _fleet.Policies.Put(FakeFleet.Application, new DriftPolicy(Enabled: true, DryRun: true));

        await Handlers.For(_fleet).HandleBatchAsync([Fixture.Message("config-immutable-noncompliant.json")], default);

        var messages = Published.All(_fleet);
        Assert.Equal($"Dry run: would replace {Drifted}", Published.Title(messages[1]));
        Assert.Empty(_fleet.Terminated);
    }

    [Fact]
    public async Task HandleBatchAsync_LockTableThrottled_FailsMessageAndRetryReplaces()
    {
        _fleet.Policies.Put(FakeFleet.Application, new DriftPolicy(Enabled: true));
        _fleet.LockFailuresLeft = 1;
        var handler = Handlers.For(_fleet);

        var first = await handler.HandleBatchAsync([Fixture.Message("config-immutable-noncompliant.json", "m")], default);
        var retry = await handler.HandleBatchAsync([Fixture.Message("config-immutable-noncompliant.json", "m")], default);

        Assert.Equal(["m"], first.FailedMessageIds);
        Assert.Empty(first.Outcomes[0].Notifications);
        Assert.Equal(RemediationDecision.Replaced, retry.Outcomes[0].Remediation!.Decision);
        Assert.Equal([Drifted], _fleet.Terminated);
    }

    [Fact]
    public async Task HandleBatchAsync_InstanceOutsideManagedGroups_AlertsToTerminateByHand()
    {
        _fleet.AddInstance(FakeFleet.OldImage, group: null, id: "i-0abc1234def567891");
        var body = Fixture.Read("config-immutable-noncompliant.json").Replace("i-0abc1234def567890", "i-0abc1234def567891", StringComparison.Ordinal);

        await Handlers.For(_fleet).HandleBatchAsync([new SqsMessage("stray", body)], default);

        var message = Assert.Single(Published.All(_fleet));
        Assert.Equal("Drift: i-0abc1234def567891 runs outside its application's groups", Published.Title(message));
        Assert.Contains("aws ec2 terminate-instances --instance-ids i-0abc1234def567891", message.GetProperty("content").GetProperty("nextSteps")[0].GetString(), StringComparison.Ordinal);
        Assert.Empty(_fleet.Terminated);
    }

    [Theory]
    [InlineData(4, 50, 2)]
    [InlineData(4, 90, 4)]
    [InlineData(2, 90, 2)]
    [InlineData(3, 0, 0)]
    [InlineData(10, 100, 10)]
    [InlineData(0, 90, 0)]
    public void MinimumHealthy_PercentageOfDesired_RoundsUp(int desired, int percentage, int expected) =>
        Assert.Equal(expected, Remediation.MinimumHealthy(desired, percentage));
}
