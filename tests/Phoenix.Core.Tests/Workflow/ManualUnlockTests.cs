using Phoenix.Core.Domain;
using Phoenix.Core.Ports;
using Phoenix.Core.Tests.Drift;
using Phoenix.Core.Workflow;

namespace Phoenix.Core.Tests.Workflow;

/// <summary><c>phoenix unlock</c>'s decisions over in-memory lock and ledger ports and scripted execution statuses.</summary>
public class ManualUnlockTests
{
    private const string App = FakeFleet.Application;
    private const string Alice = "arn:aws:iam::123456789012:user/alice";
    private const string Execution = "arn:aws:states:eu-west-1:123456789012:execution:phoenix-deploy:web-20260105T090000Z";
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly DateTimeOffset Now = new(2026, 1, 6, 12, 0, 0, TimeSpan.Zero);

    private static readonly DateTimeOffset Acquired = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);

    private readonly ManualClock _time = new(Acquired);
    private readonly FakeFleet _fleet;
    private readonly Statuses _statuses = new();

    public ManualUnlockTests() => _fleet = new FakeFleet(_time);

    [Fact]
    public async Task Run_LockKeptAfterRollbackFailed_ReleasesItAndRecordsWhoAndWhy()
    {
        await HoldAsync(Execution, expires: Now.AddDays(29));
        await EntryAsync(DeploymentResults.RollbackFailed);
        _statuses.Status[Execution] = "FAILED";

        var report = await Unlock().RunAsync(new UnlockRequest(App, Alice, "blue repaired by hand."), None);

        Assert.True(report.Released);
        Assert.Null(await _fleet.Ports.Lock.GetAsync(App, None));
        Assert.Equal(
            $"""
            Lock on web: held by {Execution} since 2026-01-05 09:00:00Z, expires 2026-02-04 12:00:00Z.
            Execution web-20260105T090000Z is FAILED; its ledger entry says ROLLBACK_FAILED.
            Released the lock on web.
            Ledger entry unlock-20260106T120000000Z: UNLOCKED by {Alice}.
            """,
            string.Join('\n', report.Lines));
        var entry = _fleet.Ledger.Single(r => r.DeploymentId == report.LedgerEntryId);
        Assert.Equal((DeploymentResults.Unlocked, ManualUnlock.Trigger, Alice, ManualUnlock.EntryError), (entry.Result, entry.Trigger, entry.StartedBy, entry.Error));
        Assert.Equal(
            $"{Alice} released the lock held by {Execution}. Execution web-20260105T090000Z is FAILED; its ledger entry says ROLLBACK_FAILED. Reason: blue repaired by hand.",
            entry.Cause);

        // The failed deployment's own entry keeps telling the truth about how it ended.
        Assert.Equal(DeploymentResults.RollbackFailed, _fleet.Ledger.Single(r => r.DeploymentId == "web-20260105T090000Z").Result);
    }

    [Theory]
    [InlineData("RUNNING")]
    [InlineData("PENDING_REDRIVE")]
    public async Task Run_ExecutionStillRuns_RefusesNamingItAndItsStatusAndChangesNothing(string status)
    {
        await HoldAsync(Execution, expires: Now.AddHours(1));
        await EntryAsync(DeploymentResults.InProgress);
        _statuses.Status[Execution] = status;
        var ledger = _fleet.Ledger.ToList();

        var error = await Assert.ThrowsAsync<UnlockRefused>(() => Unlock().RunAsync(new UnlockRequest(App, Alice), None));

        Assert.Equal(
            $"The lock on web is held by {Execution}, which is {status}: a running deployment keeps its lock. "
            + $"To stop it and clean up after it, run `phoenix abort {Execution}`. Nothing was changed.",
            error.Message);
        Assert.Equal(Execution, (await _fleet.Ports.Lock.GetAsync(App, None))!.Owner);
        Assert.Equal(ledger, _fleet.Ledger);
    }

    [Fact]
    public async Task Run_StoppedExecutionWhoseCleanupNeverRan_RefusesPointingToAbort()
    {
        await HoldAsync(Execution, expires: Now.AddHours(1));
        await EntryAsync(DeploymentResults.InProgress);
        _statuses.Status[Execution] = "ABORTED";

        var error = await Assert.ThrowsAsync<UnlockRefused>(() => Unlock().RunAsync(new UnlockRequest(App, Alice), None));

        Assert.Equal(
            $"{Execution} is ABORTED, but its ledger entry web-20260105T090000Z still says IN_PROGRESS: its cleanup has not run, so the fleet may "
            + $"still carry its changes. Run `phoenix abort {Execution}` (it puts the fleet back and releases the lock), or leave the lock: once it "
            + "expires (2026-01-06 13:00:00Z) the next deployment cleans up after it first. Nothing was changed.",
            error.Message);
        Assert.NotNull(await _fleet.Ports.Lock.GetAsync(App, None));
        Assert.DoesNotContain(_fleet.Ledger, r => r.Result == DeploymentResults.Unlocked);
    }

    [Fact]
    public async Task Run_ExecutionStepFunctionsNoLongerKnows_Releases()
    {
        await HoldAsync(Execution, expires: Now.AddDays(-1));

        var report = await Unlock().RunAsync(new UnlockRequest(App, Alice), None);

        Assert.True(report.Released);
        Assert.Equal("Execution web-20260105T090000Z is no longer known to Step Functions; its ledger entry does not exist.", report.Lines[1]);
        Assert.EndsWith("Reason: none given.", _fleet.Ledger.Single().Cause, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_NotLocked_SaysSoAndWritesNothing()
    {
        var report = await Unlock().RunAsync(new UnlockRequest(App, Alice), None);

        Assert.Equal((false, null), (report.Released, report.LedgerEntryId));
        Assert.Equal(["web is not locked: nothing to release."], report.Lines);
        Assert.Empty(_fleet.Ledger);
        Assert.Empty(_statuses.Asked);
    }

    [Fact]
    public async Task Run_DryRun_ChecksAndSaysWhatItWouldDoChangingNothing()
    {
        await HoldAsync(Execution, expires: Now.AddDays(29));
        await EntryAsync(DeploymentResults.RollbackFailed);
        _statuses.Status[Execution] = "FAILED";

        var report = await Unlock().RunAsync(new UnlockRequest(App, Alice, DryRun: true), None);

        Assert.False(report.Released);
        Assert.Equal("Dry run: the lock would be released and an UNLOCKED entry written; nothing was changed.", report.Lines[^1]);
        Assert.Equal([Execution], _statuses.Asked);
        Assert.NotNull(await _fleet.Ports.Lock.GetAsync(App, None));
        Assert.DoesNotContain(_fleet.Ledger, r => r.Result == DeploymentResults.Unlocked);
    }

    [Fact]
    public async Task Run_NewDeploymentTakesTheLockMeanwhile_KeepsItsLockAndRefuses()
    {
        const string next = "arn:aws:states:eu-west-1:123456789012:execution:phoenix-deploy:web-20260106T120000Z";
        await HoldAsync(Execution, expires: Now.AddMinutes(-1));
        _statuses.Status[Execution] = "TIMED_OUT";

        // Between the status check and the delete, a new deployment takes over the expired lock.
        _statuses.OnAsk = () => _fleet.Ports.Lock.TryAcquireAsync(App, next, Now.AddHours(1), None).GetAwaiter().GetResult();
        var error = await Assert.ThrowsAsync<UnlockRefused>(() => Unlock().RunAsync(new UnlockRequest(App, Alice), None));

        Assert.Equal($"The lock on web changed hands while it was checked: it is now held by {next}. Nothing was released.", error.Message);
        Assert.Equal(next, (await _fleet.Ports.Lock.GetAsync(App, None))!.Owner);
        Assert.Empty(_fleet.Ledger);
    }

    [Fact]
    public async Task Run_ManualRollbackHoldsAnUnexpiredLock_RefusesWithoutAskingStepFunctions()
    {
        const string owner = $"{ManualRollback.Trigger}:{Alice}:rollback-20260106T115900000Z";
        await HoldAsync(owner, expires: Now.AddMinutes(14));

        var error = await Assert.ThrowsAsync<UnlockRefused>(() => Unlock().RunAsync(new UnlockRequest(App, Alice), None));

        Assert.StartsWith($"The lock on web is held by {owner} until 2026-01-06 12:14:00Z. It is not a Step Functions execution", error.Message, StringComparison.Ordinal);
        Assert.Empty(_statuses.Asked);
        Assert.NotNull(await _fleet.Ports.Lock.GetAsync(App, None));
    }

    [Fact]
    public async Task Run_ExpiredLockOfANonExecution_Releases()
    {
        const string owner = $"{Phoenix.Core.Drift.Remediation.LockOwnerPrefix}i-0123456789abcdef0";
        await HoldAsync(owner, expires: Now.AddMinutes(-1));

        var report = await Unlock().RunAsync(new UnlockRequest(App, Alice, "stale"), None);

        Assert.True(report.Released);
        Assert.Equal($"{owner} is not a Step Functions execution, and its lock has expired.", report.Lines[1]);
        Assert.Null(await _fleet.Ports.Lock.GetAsync(App, None));
    }

    private ManualUnlock Unlock() => new(_fleet.Ports.Lock, _fleet.Ports.Ledger, _statuses, _time);

    /// <summary>The lock as <paramref name="owner"/> took it at <see cref="Acquired"/>, with the given expiry; then the clock moves to <see cref="Now"/>.</summary>
    private async Task HoldAsync(string owner, DateTimeOffset expires)
    {
        Assert.True((await _fleet.Ports.Lock.TryAcquireAsync(App, owner, expires, None)).Acquired);
        _time.Advance(Now - Acquired);
    }

    private Task EntryAsync(string result) =>
        _fleet.Ports.Ledger.PutAsync(
            new DeploymentRecord(App, "web-20260105T090000Z", result, "ami-0new", "ami-0old", "green", null, null, "cli", Execution,
                Acquired, result == DeploymentResults.InProgress ? null : new DateTimeOffset(2026, 1, 5, 9, 20, 0, TimeSpan.Zero)),
            None);

    private sealed class Statuses : IExecutionStatuses
    {
        public Dictionary<string, string> Status { get; } = new(StringComparer.Ordinal);

        public List<string> Asked { get; } = [];

        public Action? OnAsk { get; set; }

        public Task<string?> DescribeStatusAsync(string executionArn, CancellationToken cancellationToken)
        {
            Asked.Add(executionArn);
            OnAsk?.Invoke();
            return Task.FromResult(Status.GetValueOrDefault(executionArn));
        }
    }
}
