using Phoenix.Core.Drift;

namespace Phoenix.Core.Tests.Drift;

public class DriftEventParserTests
{
    private readonly DriftEventParser _parser = new("phoenix-immutable-instance");

    [Theory]
    [InlineData("config-immutable-noncompliant.json", DriftKind.ImageDrift, "NON_COMPLIANT", false)]
    [InlineData("config-immutable-compliant.json", DriftKind.ImageDrift, "COMPLIANT", true)]
    [InlineData("config-other-rule-noncompliant.json", DriftKind.ComplianceRule, "NON_COMPLIANT", false)]
    [InlineData("stack-drifted.json", DriftKind.StackDrift, "DRIFTED", false)]
    [InlineData("stack-in-sync.json", DriftKind.StackDrift, "IN_SYNC", true)]
    [InlineData("stack-detection-failed.json", DriftKind.StackDrift, "DETECTION_FAILED", false)]
    [InlineData("execution-failed.json", DriftKind.DeploymentStopped, "FAILED", false)]
    [InlineData("execution-timed-out.json", DriftKind.DeploymentStopped, "TIMED_OUT", false)]
    [InlineData("execution-aborted.json", DriftKind.DeploymentStopped, "ABORTED", false)]
    public void Parse_DocumentedSampleEvent_GivesSignal(string fixture, DriftKind kind, string state, bool recovery)
    {
        var signal = _parser.Parse(Fixture.Read(fixture));

        Assert.NotNull(signal);
        Assert.Equal(kind, signal.Kind);
        Assert.Equal(state, signal.State);
        Assert.Equal(recovery, signal.IsRecovery);
        Assert.Equal("123456789012", signal.Account);
        Assert.Equal("eu-west-1", signal.Region);
    }

    [Theory]
    [InlineData("config-insufficient-data.json")]
    [InlineData("stack-detection-in-progress.json")]
    [InlineData("execution-succeeded.json")]
    public void Parse_EventNeedingNoMessage_ReturnsNull(string fixture) => Assert.Null(_parser.Parse(Fixture.Read(fixture)));

    [Fact]
    public void Parse_ImmutableInstanceEvent_KeysByRuleAndResourceAndThreadsByResource()
    {
        var open = _parser.Parse(Fixture.Read("config-immutable-noncompliant.json"))!;
        var close = _parser.Parse(Fixture.Read("config-immutable-compliant.json"))!;
        var other = _parser.Parse(Fixture.Read("config-other-rule-noncompliant.json"))!;

        Assert.Equal("config#phoenix-immutable-instance#i-0abc1234def567890", open.DedupeKey);
        Assert.Equal(open.DedupeKey, close.DedupeKey);
        Assert.NotEqual(open.DedupeKey, other.DedupeKey);
        Assert.Equal(open.ThreadId, other.ThreadId);
        Assert.Equal("COMPLIANT", open.PreviousState);
        Assert.StartsWith("Running ami-0000000000000000b", open.Annotation, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ExecutionEvent_TakesApplicationFromInput()
    {
        var signal = _parser.Parse(Fixture.Read("execution-failed.json"))!;

        Assert.Equal("web", signal.Application);
        Assert.Equal("HealthCheckTimedOut", signal.Error);
        Assert.Equal("arn:aws:states:eu-west-1:123456789012:execution:phoenix-deploy:web-20261126T213000Z", signal.ResourceId);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1795729341000), signal.Time);
    }

    [Fact]
    public void Parse_ExecutionWithInputLeftOut_HasNoApplication()
    {
        var signal = _parser.Parse(Fixture.Read("execution-aborted-input-excluded.json"))!;

        Assert.Null(signal.Application);
        Assert.Equal("ABORTED", signal.State);
    }

    [Fact]
    public void Parse_StackEvent_NamesStackFromItsId()
    {
        var signal = _parser.Parse(Fixture.Read("stack-drifted.json"))!;

        Assert.Equal("phoenix-fleet-web", signal.RuleName);
        Assert.Equal(2, signal.DriftedResourceCount);
    }

    [Theory]
    [InlineData("malformed-truncated.json", "not valid")]
    [InlineData("malformed-no-detail-type.json", "'detail-type'")]
    [InlineData("malformed-unsupported.json", "EC2 Instance State-change Notification")]
    [InlineData("malformed-config-missing-resource.json", "'detail.resourceId'")]
    public void Parse_MalformedEvent_ThrowsNamingTheProblem(string fixture, string named)
    {
        var error = Assert.Throws<MalformedDriftEvent>(() => _parser.Parse(Fixture.Read(fixture)));

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("null")]
    [InlineData("[1,2]")]
    public void Parse_NotAnEventObject_ThrowsMalformed(string body) => Assert.Throws<MalformedDriftEvent>(() => _parser.Parse(body));
}
