using Phoenix.Core.Drift;

namespace Phoenix.Core.Tests.Drift;

public class LockCleanupTests
{
    private const string Execution = "arn:aws:states:eu-west-1:123456789012:execution:phoenix-deploy:web-20261126T213000Z";
    private readonly ManualClock _clock = new(ManualClock.Start);
    private readonly FakeFleet _fleet;

    public LockCleanupTests() => _fleet = new FakeFleet(_clock);

    private LockCleanup Cleanup => new(_fleet.Ports, Handlers.Options, _clock);

    [Theory]
    [InlineData("execution-failed.json")]
    [InlineData("execution-timed-out.json")]
    [InlineData("execution-aborted.json")]
    public async Task HandleAsync_StoppedExecutionHoldingLock_ReleasesIt(string fixture)
    {
        _fleet.HoldLock(Execution, TimeSpan.FromHours(1));

        var result = await Cleanup.HandleAsync(Fixture.Read(fixture), default);

        Assert.True(result!.Released);
        Assert.Null(_fleet.LockRecord);
        Assert.Single(Published.All(_fleet));
    }

    [Fact]
    public async Task HandleAsync_LockHeldByAnotherExecution_LeavesItAlone()
    {
        _fleet.HoldLock("arn:aws:states:eu-west-1:123456789012:execution:phoenix-deploy:web-later", TimeSpan.FromHours(1));

        var result = await Cleanup.HandleAsync(Fixture.Read("execution-failed.json"), default);

        Assert.False(result!.Released);
        Assert.Contains("not this execution", result.Reason, StringComparison.Ordinal);
        Assert.Equal("arn:aws:states:eu-west-1:123456789012:execution:phoenix-deploy:web-later", _fleet.LockRecord!.Owner);
    }

    [Fact]
    public async Task HandleAsync_AlreadyReleased_SaysSo()
    {
        var result = await Cleanup.HandleAsync(Fixture.Read("execution-failed.json"), default);

        Assert.False(result!.Released);
        Assert.Equal("web is not locked: the workflow already released it.", result.Reason);
    }

    [Fact]
    public async Task HandleAsync_InputLeftOut_AsksForAHandCheck()
    {
        _fleet.HoldLock(Execution, TimeSpan.FromHours(1));

        var result = await Cleanup.HandleAsync(Fixture.Read("execution-aborted-input-excluded.json"), default);

        Assert.False(result!.Released);
        Assert.NotNull(_fleet.LockRecord);
        Assert.Contains("Check the application's lock by hand", Published.All(_fleet)[0].GetProperty("content").GetProperty("nextSteps")[1].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task HandleAsync_SucceededExecution_DoesNothing()
    {
        _fleet.HoldLock(Execution, TimeSpan.FromHours(1));

        var result = await Cleanup.HandleAsync(Fixture.Read("execution-succeeded.json"), default);

        Assert.Null(result);
        Assert.NotNull(_fleet.LockRecord);
    }

    [Fact]
    public async Task HandleAsync_NotAnExecutionEvent_Throws()
    {
        await Assert.ThrowsAsync<MalformedDriftEvent>(() => Cleanup.HandleAsync(Fixture.Read("stack-drifted.json"), default));
    }

    [Fact]
    public async Task HandleAsync_PublishFails_ThrowsSoTheInvocationRetries()
    {
        _fleet.HoldLock(Execution, TimeSpan.FromHours(1));
        _fleet.NotifierFailuresLeft = 1;

        await Assert.ThrowsAsync<InvalidOperationException>(() => Cleanup.HandleAsync(Fixture.Read("execution-failed.json"), default));
        var retry = await Cleanup.HandleAsync(Fixture.Read("execution-failed.json"), default);

        Assert.Null(_fleet.LockRecord);
        Assert.Single(Published.All(_fleet));
        Assert.Contains("already released", retry!.Reason, StringComparison.Ordinal);
    }
}
