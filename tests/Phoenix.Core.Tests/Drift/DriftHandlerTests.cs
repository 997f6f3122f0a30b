using System.Text.Json;
using Phoenix.Core.Drift;

namespace Phoenix.Core.Tests.Drift;

public class DriftHandlerTests
{
    private const string Instance = "i-0abc1234def567890";
    private readonly ManualClock _clock = new(ManualClock.Start);
    private readonly FakeFleet _fleet;

    public DriftHandlerTests()
    {
        _fleet = new FakeFleet(_clock);
        _fleet.AddInstance(FakeFleet.OldImage, id: Instance);
    }

    [Fact]
    public async Task HandleBatchAsync_NonCompliantInstance_PublishesChatbotCustomNotification()
    {
        var result = await Handlers.For(_fleet).HandleBatchAsync([Fixture.Message("config-immutable-noncompliant.json")], default);

        Assert.Equal(DriftDisposition.Alerted, Assert.Single(result.Outcomes).Disposition);
        var message = Assert.Single(Published.All(_fleet));
        Assert.Equal("1.0", message.GetProperty("version").GetString());
        Assert.Equal("custom", message.GetProperty("source").GetString());
        var content = message.GetProperty("content");
        Assert.Equal("client-markdown", content.GetProperty("textType").GetString());
        Assert.Equal($"Drift: {Instance} no longer matches its image", content.GetProperty("title").GetString());
        var description = content.GetProperty("description").GetString()!;
        Assert.Contains($"`{Instance}` (AWS::EC2::Instance)", description, StringComparison.Ordinal);
        Assert.Contains("`phoenix-immutable-instance`: NON_COMPLIANT (was COMPLIANT)", description, StringComparison.Ordinal);
        Assert.Contains("123456789012 / eu-west-1", description, StringComparison.Ordinal);
        Assert.Contains("Running ami-0000000000000000b, expected ami-0000000000000000a", description, StringComparison.Ordinal);
        Assert.Contains($"(https://eu-west-1.console.aws.amazon.com/ec2/home?region=eu-west-1#InstanceDetails:instanceId={Instance})", description, StringComparison.Ordinal);
        Assert.Contains("Automatic replacement is off for web", description, StringComparison.Ordinal);
        Assert.Contains(content.GetProperty("nextSteps").EnumerateArray(), s => s.GetString()!.Contains("--no-should-decrement-desired-capacity", StringComparison.Ordinal));
        var metadata = message.GetProperty("metadata");
        Assert.Equal($"phoenix-drift-{Instance}", metadata.GetProperty("threadId").GetString());
        Assert.Equal("PhoenixDriftDetected", metadata.GetProperty("eventType").GetString());
        Assert.Equal($"{Instance} drifted from its image (web)", metadata.GetProperty("summary").GetString());
        Assert.Equal([Instance, "phoenix-immutable-instance"], metadata.GetProperty("relatedResources").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["version", "source", "content", "metadata"], message.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task HandleBatchAsync_SameEventTwiceInOneBatch_AlertsOnce()
    {
        var result = await Handlers.For(_fleet).HandleBatchAsync(
            [Fixture.Message("config-immutable-noncompliant.json", "a"), Fixture.Message("config-immutable-noncompliant.json", "b")], default);

        Assert.Equal([DriftDisposition.Alerted, DriftDisposition.Duplicate], result.Outcomes.Select(o => o.Disposition));
        Assert.Single(Published.All(_fleet));
        Assert.Empty(result.FailedMessageIds);
    }

    [Fact]
    public async Task HandleBatchAsync_SameEventWithinWindow_AlertsOnceAndAgainAfterWindow()
    {
        var handler = Handlers.For(_fleet);
        await handler.HandleBatchAsync([Fixture.Message("config-immutable-noncompliant.json")], default);
        _clock.Advance(TimeSpan.FromMinutes(59));
        var within = await handler.HandleBatchAsync([Fixture.Message("config-immutable-noncompliant.json")], default);
        _clock.Advance(TimeSpan.FromMinutes(2));
        var after = await handler.HandleBatchAsync([Fixture.Message("config-immutable-noncompliant.json")], default);

        Assert.Equal(DriftDisposition.Duplicate, within.Outcomes[0].Disposition);
        Assert.Equal(DriftDisposition.Alerted, after.Outcomes[0].Disposition);
        Assert.Equal(2, Published.All(_fleet).Count);
    }

    [Fact]
    public async Task HandleBatchAsync_RecoveryAfterAlert_PublishesResolvedInSameThreadOnce()
    {
        var handler = Handlers.For(_fleet);
        await handler.HandleBatchAsync([Fixture.Message("config-immutable-noncompliant.json")], default);
        _clock.Advance(TimeSpan.FromMinutes(15));
        var resolved = await handler.HandleBatchAsync([Fixture.Message("config-immutable-compliant.json", "r1"), Fixture.Message("config-immutable-compliant.json", "r2")], default);

        Assert.Equal([DriftDisposition.Resolved, DriftDisposition.Duplicate], resolved.Outcomes.Select(o => o.Disposition));
        var messages = Published.All(_fleet);
        Assert.Equal(2, messages.Count);
        Assert.Equal(Published.Thread(messages[0]), Published.Thread(messages[1]));
        Assert.Equal("PhoenixDriftResolved", Published.EventType(messages[1]));
        Assert.Equal($"Resolved: {Instance}", Published.Title(messages[1]));
    }

    [Fact]
    public async Task DriftMetrics_AlertThenDuplicateThenRecoveryThenBadEvent_CountsEachComplianceChangeOnce()
    {
        var handler = Handlers.For(_fleet);
        var alerted = await handler.HandleBatchAsync(
            [Fixture.Message("config-immutable-noncompliant.json", "a"), Fixture.Message("config-immutable-noncompliant.json", "b"), Fixture.Message("stack-drifted.json", "s")], default);
        var resolved = await handler.HandleBatchAsync(
            [Fixture.Message("config-immutable-compliant.json", "r"), Fixture.Message("malformed-truncated.json", "x")], default);

        // The stack drift alerts too, but it is no Config compliance change.
        Assert.Equal(new DriftMetrics(NonCompliant: 1, Resolved: 0, Failed: 0), DriftMetrics.Of(alerted));
        Assert.Equal(new DriftMetrics(NonCompliant: 0, Resolved: 1, Failed: 1), DriftMetrics.Of(resolved));
    }

    [Fact]
    public async Task HandleBatchAsync_DriftAgainAfterRecovery_AlertsAgain()
    {
        var handler = Handlers.For(_fleet);
        await handler.HandleBatchAsync([Fixture.Message("config-immutable-noncompliant.json")], default);
        await handler.HandleBatchAsync([Fixture.Message("config-immutable-compliant.json")], default);
        var again = await handler.HandleBatchAsync([Fixture.Message("config-immutable-noncompliant.json")], default);

        Assert.Equal(DriftDisposition.Alerted, again.Outcomes[0].Disposition);
        Assert.Equal(3, Published.All(_fleet).Count);
    }

    [Fact]
    public async Task HandleBatchAsync_RecoveryWithNothingOpen_PublishesNothing()
    {
        var result = await Handlers.For(_fleet).HandleBatchAsync([Fixture.Message("config-immutable-compliant.json")], default);

        Assert.Equal(DriftDisposition.Duplicate, result.Outcomes[0].Disposition);
        Assert.Empty(_fleet.PublishedBatches);
    }

    [Theory]
    [InlineData("config-insufficient-data.json")]
    [InlineData("stack-detection-in-progress.json")]
    [InlineData("execution-succeeded.json")]
    public async Task HandleBatchAsync_EventNeedingNoMessage_IsIgnoredNotFailed(string fixture)
    {
        var result = await Handlers.For(_fleet).HandleBatchAsync([Fixture.Message(fixture)], default);

        Assert.Equal(DriftDisposition.Ignored, result.Outcomes[0].Disposition);
        Assert.Empty(result.FailedMessageIds);
        Assert.Empty(_fleet.PublishedBatches);
    }

    [Fact]
    public async Task HandleBatchAsync_MalformedEventsInBatch_FailOnlyThemselves()
    {
        var result = await Handlers.For(_fleet).HandleBatchAsync(
            [
                Fixture.Message("malformed-truncated.json", "bad-json"),
                Fixture.Message("config-immutable-noncompliant.json", "good-1"),
                Fixture.Message("malformed-unsupported.json", "bad-kind"),
                new SqsMessage("empty", null),
                Fixture.Message("stack-drifted.json", "good-2"),
            ],
            default);

        Assert.Equal(["bad-json", "bad-kind", "empty"], result.FailedMessageIds);
        Assert.Equal(2, Published.All(_fleet).Count);
        Assert.Contains("EC2 Instance State-change Notification", result.Outcomes[2].Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HandleBatchAsync_TwentyFiveAlerts_PublishesInBatchesOfTen()
    {
        var template = Fixture.Read("config-other-rule-noncompliant.json");
        var messages = Enumerable.Range(0, 25)
            .Select(i => new SqsMessage($"m{i}", template.Replace("i-0abc1234def567890", $"i-{i:x17}", StringComparison.Ordinal)))
            .ToList();

        var result = await Handlers.For(_fleet).HandleBatchAsync(messages, default);

        Assert.Equal(3, result.PublishCalls);
        Assert.Equal([10, 10, 5], _fleet.PublishedBatches.Select(b => b.Count));
        Assert.All(result.Outcomes, o => Assert.Equal(DriftDisposition.Alerted, o.Disposition));
    }

    [Fact]
    public async Task HandleBatchAsync_PublishFails_FailsItsMessagesAndRetryAlerts()
    {
        _fleet.NotifierFailuresLeft = 1;
        var handler = Handlers.For(_fleet);

        var first = await handler.HandleBatchAsync([Fixture.Message("stack-drifted.json", "s")], default);
        var retry = await handler.HandleBatchAsync([Fixture.Message("stack-drifted.json", "s")], default);

        Assert.Equal(["s"], first.FailedMessageIds);
        Assert.Contains("TransientFailure", first.Outcomes[0].Detail, StringComparison.Ordinal);
        Assert.Equal(DriftDisposition.Alerted, retry.Outcomes[0].Disposition);
        Assert.Single(Published.All(_fleet));
    }

    [Fact]
    public async Task HandleBatchAsync_StackDriftThenInSync_AlertsThenResolvesInStackThread()
    {
        var handler = Handlers.For(_fleet);
        await handler.HandleBatchAsync([Fixture.Message("stack-drifted.json")], default);
        await handler.HandleBatchAsync([Fixture.Message("stack-in-sync.json")], default);

        var messages = Published.All(_fleet);
        Assert.Equal("Drift: stack phoenix-fleet-web has drifted", Published.Title(messages[0]));
        Assert.Contains("2 resource(s) differ from the template", Published.Description(messages[0]), StringComparison.Ordinal);
        Assert.Contains("cloudformation/home?region=eu-west-1#/stacks/drifts?stackId=arn%3Aaws%3Acloudformation", Published.Description(messages[0]), StringComparison.Ordinal);
        Assert.Equal("Resolved: stack phoenix-fleet-web", Published.Title(messages[1]));
        Assert.Equal("phoenix-drift-phoenix-fleet-web", Published.Thread(messages[1]));
    }

    [Fact]
    public async Task HandleBatchAsync_FailedExecutionHoldingLock_ReleasesItAndAlerts()
    {
        const string execution = "arn:aws:states:eu-west-1:123456789012:execution:phoenix-deploy:web-20261126T213000Z";
        _fleet.HoldLock(execution, TimeSpan.FromHours(1));

        var result = await Handlers.For(_fleet).HandleBatchAsync([Fixture.Message("execution-failed.json")], default);

        Assert.Null(_fleet.LockRecord);
        Assert.True(result.Outcomes[0].LockCleanup!.Released);
        var message = Assert.Single(Published.All(_fleet));
        Assert.Equal("Deployment of web FAILED", Published.Title(message));
        Assert.Equal("PhoenixDeploymentStopped", Published.EventType(message));
        Assert.Contains("Released the stale lock on web", Published.Description(message), StringComparison.Ordinal);
        Assert.Contains("HealthCheckTimedOut", Published.Description(message), StringComparison.Ordinal);
    }

    [Fact]
    public async Task HandleBatchAsync_ExecutionEventTwice_ReleasesAndAlertsOnce()
    {
        var handler = Handlers.For(_fleet);
        var first = await handler.HandleBatchAsync([Fixture.Message("execution-timed-out.json")], default);
        var second = await handler.HandleBatchAsync([Fixture.Message("execution-timed-out.json")], default);

        Assert.Equal(DriftDisposition.Alerted, first.Outcomes[0].Disposition);
        Assert.Equal(DriftDisposition.Duplicate, second.Outcomes[0].Disposition);
        Assert.Single(Published.All(_fleet));
    }

    [Fact]
    public async Task HandleSqsEventAsync_MixedBatch_ReturnsPartialBatchResponse()
    {
        var body = JsonSerializer.Serialize(Fixture.Read("stack-drifted.json"));
        var sqsEvent = $$"""{"Records":[{"messageId":"ok-1","body":{{body}},"eventSource":"aws:sqs"},{"messageId":"bad-1","body":"{not json","eventSource":"aws:sqs"}]}""";

        var response = await Handlers.For(_fleet).HandleSqsEventAsync(sqsEvent, default);

        Assert.Equal("""{"batchItemFailures":[{"itemIdentifier":"bad-1"}]}""", response);
    }

    [Fact]
    public async Task HandleSqsEventAsync_NotAnSqsEvent_ThrowsNamingIt()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => Handlers.For(_fleet).HandleSqsEventAsync("{\"detail\":{}}", default));

        Assert.Contains("Records", error.Message, StringComparison.Ordinal);
    }
}
