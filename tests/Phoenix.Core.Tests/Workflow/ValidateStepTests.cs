using System.Text.Json.Nodes;
using Phoenix.Core.Domain;
using Phoenix.Core.Workflow;

namespace Phoenix.Core.Tests.Workflow;

public class ValidateStepTests
{
    [Fact]
    public async Task Execute_MinimalRequest_FillsDefaults()
    {
        var harness = new RegionHarness();

        var request = await harness.ValidateAsync("""{"application":"web"}""");

        Assert.Equal("web", request.Application);
        Assert.Null(request.ImageId);
        Assert.Null(request.Capacity);
        Assert.False(request.DryRun);
        Assert.Equal([100], request.Strategy.TrafficSteps);
        Assert.Equal(DeploymentStrategy.DefaultStepWaitSeconds, request.Strategy.StepWaitSeconds);
        Assert.Equal(DeploymentStrategy.DefaultBakeTimeSeconds, request.Strategy.BakeTimeSeconds);
        Assert.Equal(DeploymentStrategy.DefaultKeepPreviousSeconds, request.Strategy.KeepPreviousSeconds);
        Assert.False(request.Strategy.Approval);
        Assert.Equal(new DeploymentSource(null, null, null), request.Source);
    }

    [Fact]
    public async Task Execute_FullRequestFixture_KeepsEveryValue()
    {
        var harness = new RegionHarness();
        var json = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Workflow", "Fixtures", "full-request.json"));

        var request = await harness.ValidateAsync(json);

        Assert.Equal("ami-0a1b2c3d4e5f60718", request.ImageId);
        Assert.Equal(new DeploymentSource("3f2c9e1", "github.com/acme/web", "git push"), request.Source);
        Assert.Equal([10, 50, 100], request.Strategy.TrafficSteps);
        Assert.Equal(120, request.Strategy.StepWaitSeconds);
        Assert.Equal(600, request.Strategy.BakeTimeSeconds);
        Assert.Equal(900, request.Strategy.KeepPreviousSeconds);
        Assert.True(request.Strategy.Approval);
        Assert.Equal(1200, request.Strategy.HealthTimeoutSeconds);
        Assert.Equal(2400, request.Strategy.BakeTimeoutSeconds);
        Assert.Equal(new Capacity(2, 8, 4), request.Capacity);
        Assert.False(request.DryRun);
    }

    [Theory]
    [InlineData("""{"application":"web","colour":"blue"}""", "unknown field 'colour'")]
    [InlineData("""{"application":"web","strategy":{"trafficStep":[100]}}""", "unknown field 'strategy.trafficStep'")]
    [InlineData("""{"application":"web","source":{"branch":"main"}}""", "unknown field 'source.branch'")]
    [InlineData("""{"application":"web","imageId":"ami-123"}""", "imageId 'ami-123'")]
    [InlineData("""{"application":"web","imageId":"ami-0123456789ABCDEF0"}""", "imageId 'ami-0123456789ABCDEF0'")]
    [InlineData("""{"application":"web","imageId":"img-01234567"}""", "imageId 'img-01234567'")]
    [InlineData("""{"application":"web","capacity":{"desired":0}}""", "capacity.desired 0")]
    [InlineData("""{"application":"web","capacity":{"desired":2,"min":-1}}""", "capacity.min -1")]
    [InlineData("""{"application":"web","capacity":{"desired":5,"max":3}}""", "min 5, desired 5, max 3")]
    [InlineData("""{"application":"web","strategy":{"trafficSteps":[10,50]}}""", "[10,50] must end at 100, not 50")]
    [InlineData("""{"application":"web","strategy":{"trafficSteps":[50,10,100]}}""", "strictly increasing: 10 follows 50")]
    [InlineData("""{"application":"web","strategy":{"trafficSteps":[50,50,100]}}""", "strictly increasing: 50 follows 50")]
    [InlineData("""{"application":"web","strategy":{"trafficSteps":[0,100]}}""", "trafficSteps value 0")]
    [InlineData("""{"application":"web","strategy":{"trafficSteps":[]}}""", "strategy.trafficSteps must be a non-empty array")]
    [InlineData("""{"application":"web","strategy":{"stepWaitSeconds":-5}}""", "strategy.stepWaitSeconds -5")]
    [InlineData("""{"application":"web","strategy":{"bakeTimeSeconds":-1}}""", "strategy.bakeTimeSeconds -1")]
    [InlineData("""{"application":"web","strategy":{"keepPreviousSeconds":1.5}}""", "strategy.keepPreviousSeconds 1.5")]
    [InlineData("""{"application":"web","strategy":{"healthTimeoutSeconds":0}}""", "strategy.healthTimeoutSeconds 0")]
    [InlineData("""{"application":"web","dryRun":"yes"}""", "dryRun must be true or false, got \"yes\"")]
    [InlineData("""{"application":42}""", "application must be a string, got 42")]
    [InlineData("""{"imageId":"ami-01234567"}""", "application is required")]
    [InlineData("""{"application":"web app"}""", "application 'web app' is not a valid name")]
    public async Task Execute_BadRequest_ThrowsInvalidDeploymentRequestNamingTheValueAndChangesNothing(string json, string expected)
    {
        var harness = new RegionHarness();
        var before = harness.Snapshot();

        var error = await Assert.ThrowsAsync<InvalidDeploymentRequest>(() => harness.ValidateAsync(json));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Equal(nameof(InvalidDeploymentRequest), error.ErrorName);
        Assert.Equal(before, harness.Snapshot());
        Assert.Empty(harness.Changes);
    }

    [Fact]
    public async Task Execute_SeveralProblems_ReportsAllOfThem()
    {
        var harness = new RegionHarness();

        var error = await Assert.ThrowsAsync<InvalidDeploymentRequest>(() => harness.ValidateAsync(
            """{"application":"web","imageId":"ami-x","extra":1,"strategy":{"stepWaitSeconds":-1}}"""));

        Assert.Contains("unknown field 'extra'", error.Message, StringComparison.Ordinal);
        Assert.Contains("imageId 'ami-x'", error.Message, StringComparison.Ordinal);
        Assert.Contains("strategy.stepWaitSeconds -1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Execute_UnknownApplication_ThrowsApplicationNotFoundAndChangesNothing()
    {
        var harness = new RegionHarness();
        var before = harness.Snapshot();

        var error = await Assert.ThrowsAsync<ApplicationNotFound>(() => harness.ValidateAsync("""{"application":"shop"}"""));

        Assert.Contains("'shop'", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, harness.Snapshot());
        Assert.Empty(harness.Changes);
    }

    [Fact]
    public async Task Execute_NotAnObject_ThrowsInvalidDeploymentRequest()
    {
        var harness = new RegionHarness();

        var error = await Assert.ThrowsAsync<InvalidDeploymentRequest>(() => harness.ValidateAsync("""["web"]"""));

        Assert.Contains("""got ["web"]""", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Execute_ApplicationWithoutBakeProjectAndNoImage_RequiresImageId()
    {
        var harness = new RegionHarness();
        harness.Region.PutTopology(harness.Topology with { BakeProject = null });

        var error = await Assert.ThrowsAsync<InvalidDeploymentRequest>(() => harness.ValidateAsync("""{"application":"web"}"""));

        Assert.Contains("imageId is required", error.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// A bake builds the deployment's commit; a project whose source cannot check one out (an S3 source reads it as an object
    /// version) or no project at all is refused before anything changes, naming what to configure.
    /// </summary>
    [Theory]
    [InlineData("S3", "bake project 'phoenix-bake-web' of application 'web' has a source of type S3, which cannot check out the deployment's commit (CodeBuild would read it as an S3 object version)")]
    [InlineData("NO_SOURCE", "has a source of type NO_SOURCE")]
    [InlineData("CODEPIPELINE", "has a source of type CODEPIPELINE")]
    [InlineData(null, "application 'web' has no bake project to build an image from")]
    public async Task Execute_NoImageAndNoBakeFromARepository_RefusedNamingWhatToConfigureAndNothingChanges(string? sourceType, string expected)
    {
        var harness = new RegionHarness(bakeSourceType: sourceType);
        var before = harness.Snapshot();

        var error = await Assert.ThrowsAsync<InvalidDeploymentRequest>(() =>
            harness.ValidateAsync("""{"application":"web","source":{"commit":"3f2c9e1","repository":"acme/web"}}"""));

        Assert.Contains("imageId is required", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains("give imageId", error.Message, StringComparison.Ordinal);
        Assert.Contains("phoenix:connectionArn and phoenix:repository", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, harness.Snapshot());
        Assert.Empty(harness.Changes);
    }

    [Theory]
    [InlineData("GITHUB")]
    [InlineData("CODECOMMIT")]
    [InlineData("S3")]
    [InlineData(null)]
    public async Task Execute_ImageGiven_AcceptedWhateverTheBakeSource(string? sourceType)
    {
        var harness = new RegionHarness(bakeSourceType: sourceType);

        var request = await harness.ValidateAsync("""{"application":"web","imageId":"ami-01234567"}""");

        Assert.Equal("ami-01234567", request.ImageId);
    }

    [Fact]
    public async Task Execute_NoImageAndARepositoryBakeSource_Accepted()
    {
        var harness = new RegionHarness(bakeSourceType: "GITHUB");

        var request = await harness.ValidateAsync("""{"application":"web","source":{"commit":"3f2c9e1"}}""");

        Assert.Null(request.ImageId);
    }

    [Fact]
    public async Task Execute_TopologyNamesABakeProjectThatDoesNotExist_RefusedNamingIt()
    {
        var harness = new RegionHarness();
        harness.Region.PutTopology(harness.Topology with { BakeProject = "phoenix-bake-gone" });

        var error = await Assert.ThrowsAsync<InvalidDeploymentRequest>(() => harness.ValidateAsync("""{"application":"web"}"""));

        Assert.Contains("names bake project 'phoenix-bake-gone', which does not exist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Execute_TopologyWithZeroDefaultCapacity_NamesTheCapacity()
    {
        var harness = new RegionHarness();
        harness.Region.PutTopology(harness.Topology with { DefaultCapacity = 0 });

        var error = await Assert.ThrowsAsync<InvalidDeploymentRequest>(() => harness.ValidateAsync("""{"application":"web","imageId":"ami-01234567"}"""));

        Assert.Contains("defaultCapacity 0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Execute_ApprovalWithoutDeploymentTopic_IsRejected()
    {
        var harness = new RegionHarness();
        harness.Region.PutTopology(harness.Topology with { DeploymentTopicArn = null });

        var error = await Assert.ThrowsAsync<InvalidDeploymentRequest>(() =>
            harness.ValidateAsync("""{"application":"web","imageId":"ami-01234567","strategy":{"approval":true}}"""));

        Assert.Contains("strategy.approval is true", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Execute_CapacityWithOnlyDesired_UsesDesiredForMinAndMax()
    {
        var harness = new RegionHarness();

        var request = await harness.ValidateAsync("""{"application":"web","capacity":{"desired":3}}""");

        Assert.Equal(new Capacity(3, 3, 3), request.Capacity);
    }

    [Fact]
    public async Task Execute_NullRequest_ThrowsInvalidDeploymentRequest()
    {
        var harness = new RegionHarness();

        await Assert.ThrowsAsync<InvalidDeploymentRequest>(() =>
            harness.RunAsync<ValidateInput, ValidateOutput>("Validate", new ValidateInput((JsonNode?)null)));
    }
}
