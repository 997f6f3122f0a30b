using Phoenix.Cli.Simulation.Drift;
using Phoenix.Core.Drift;

namespace Phoenix.Core.Tests.Drift;

public class ImmutableInstanceRuleTests
{
    private const string Instance = "i-0abc1234def567890";
    private readonly ManualClock _clock = new(ManualClock.Start);
    private readonly FakeFleet _fleet;
    private readonly InMemoryConfigService _config = new("phoenix-immutable-instance", "123456789012", "eu-west-1");

    public ImmutableInstanceRuleTests() => _fleet = new FakeFleet(_clock);

    private ImmutableInstanceRule Rule => new(_fleet.Ports.Ec2, _fleet.Ports.AutoScaling, _fleet.Ports.Topology, _config, _clock);

    [Fact]
    public async Task EvaluateAsync_InstanceOffItsGroupImage_IsNonCompliantSayingBothImages()
    {
        var evaluation = Assert.Single(await Rule.EvaluateAsync(Fixture.Read("invocation-change.json"), default));

        Assert.Equal("NON_COMPLIANT", evaluation.ComplianceType);
        Assert.Equal("AWS::EC2::Instance", evaluation.ComplianceResourceType);
        Assert.Equal(Instance, evaluation.ComplianceResourceId);
        Assert.Equal("Running ami-0000000000000000b, expected ami-0000000000000000a (phoenix-web-blue launch template lt-0blue version 1).", evaluation.Annotation);
        Assert.Equal(DateTimeOffset.Parse("2026-11-26T21:05:02.117Z", System.Globalization.CultureInfo.InvariantCulture), evaluation.OrderingTimestamp);
        Assert.Equal(1, _config.PutCalls);
        Assert.Equal("NON_COMPLIANT", _config.Latest[Instance].ComplianceType);
    }

    [Fact]
    public async Task EvaluateAsync_InstanceOnItsGroupImage_IsCompliant()
    {
        _fleet.GroupImage = FakeFleet.OldImage;

        var evaluation = Assert.Single(await Rule.EvaluateAsync(Fixture.Read("invocation-change.json"), default));

        Assert.Equal("COMPLIANT", evaluation.ComplianceType);
    }

    [Fact]
    public async Task EvaluateAsync_GroupMovedToALaunchConfiguration_IsNonCompliantSayingSoInsteadOfFailing()
    {
        _fleet.BlueLaunchConfiguration = "web-lc";

        var evaluation = Assert.Single(await Rule.EvaluateAsync(Fixture.Read("invocation-change.json"), default));

        Assert.Equal("NON_COMPLIANT", evaluation.ComplianceType);
        Assert.StartsWith("Auto Scaling group 'phoenix-web-blue' launches from launch configuration 'web-lc', not a launch template", evaluation.Annotation, StringComparison.Ordinal);
        Assert.InRange(evaluation.Annotation!.Length, 1, InstanceImageCheck.MaxAnnotation);
    }

    [Fact]
    public async Task EvaluateAsync_InstanceWithoutPhoenixTag_IsNotApplicable()
    {
        var invocation = Fixture.Read("invocation-change.json").Replace("PhoenixApplication", "team", StringComparison.Ordinal);

        var evaluation = Assert.Single(await Rule.EvaluateAsync(invocation, default));

        Assert.Equal("NOT_APPLICABLE", evaluation.ComplianceType);
        Assert.Contains("Not managed by Phoenix", evaluation.Annotation, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EvaluateAsync_ManagedInstanceOutsideItsGroups_IsNonCompliant()
    {
        var invocation = Fixture.Read("invocation-change.json").Replace("phoenix-web-blue", "hand-made-group", StringComparison.Ordinal);

        var evaluation = Assert.Single(await Rule.EvaluateAsync(invocation, default));

        Assert.Equal("NON_COMPLIANT", evaluation.ComplianceType);
        Assert.StartsWith("Launched outside a managed group (group 'hand-made-group'", evaluation.Annotation, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EvaluateAsync_OversizedItem_ReadsTheInstanceItself()
    {
        _fleet.AddInstance(FakeFleet.GoodImage, id: Instance);

        var evaluation = Assert.Single(await Rule.EvaluateAsync(Fixture.Read("invocation-oversized.json"), default));

        Assert.Equal("COMPLIANT", evaluation.ComplianceType);
    }

    [Fact]
    public async Task EvaluateAsync_DeletedInstance_IsNotApplicable()
    {
        var evaluation = Assert.Single(await Rule.EvaluateAsync(Fixture.Read("invocation-deleted.json"), default));

        Assert.Equal("NOT_APPLICABLE", evaluation.ComplianceType);
    }

    [Fact]
    public async Task EvaluateAsync_PeriodicOver250Instances_PutsInBatchesOfAtMost100()
    {
        for (var i = 0; i < 250; i++)
        {
            _fleet.AddInstance(i % 5 == 0 ? FakeFleet.OldImage : FakeFleet.GoodImage);
        }

        var evaluations = await Rule.EvaluateAsync(Fixture.Read("invocation-scheduled.json"), default);

        Assert.Equal(250, evaluations.Count);
        Assert.Equal(50, evaluations.Count(e => e.ComplianceType == "NON_COMPLIANT"));
        Assert.Equal(3, _config.PutCalls);
    }

    [Fact]
    public async Task EvaluateAsync_PeriodicWithoutApplications_ThrowsNamingTheParameter()
    {
        var invocation = Fixture.Read("invocation-scheduled.json").Replace("{\\\"applications\\\": \\\"web\\\"}", "{}", StringComparison.Ordinal);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => Rule.EvaluateAsync(invocation, default));

        Assert.Contains("applications", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, _config.PutCalls);
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("{\"invokingEvent\":\"{}\"}")]
    [InlineData("{\"resultToken\":\"t\",\"invokingEvent\":\"{\\\"messageType\\\":\\\"Other\\\"}\"}")]
    public async Task EvaluateAsync_BadInvocation_ThrowsAndPutsNothing(string invocation)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Rule.EvaluateAsync(invocation, default));

        Assert.Equal(0, _config.PutCalls);
    }
}
