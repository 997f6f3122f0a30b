using System.Net;
using Amazon.Runtime;
using Phoenix.Aws.Adapters;
using Phoenix.Aws.CodeBuild;
using Phoenix.Aws.ConfigService;
using Phoenix.Core;
using Phoenix.Core.Drift;
using Phoenix.Core.Ports;
using Phoenix.Emulator.Tests.Provisioning;
using Phoenix.Emulator.Tests.Support;
using Xunit.Abstractions;
using BuildModel = Phoenix.Aws.CodeBuild.Model;

namespace Phoenix.Emulator.Tests.Adapters;

/// <summary>The image bake (CodeBuild) and the Config rule's evaluations.</summary>
public sealed class BakeAndConfigAdapterTests(MotoServer moto, ITestOutputHelper output) : EmulatorTest(moto)
{
    [EmulatorFact]
    public async Task StartBake_ThenGetBake_ReadsTheBuildAndItsExportedImage()
    {
        await CreateBakeProjectAsync("phoenix-bake");
        using var client = Moto.Clients().CodeBuild();
        var baker = new ImageBakerAdapter(client);

        var bakeId = await baker.StartBakeAsync(new BakeRequest("web", "phoenix-bake", "0123456789abcdef", "org/web", "exec-1"), CancellationToken.None);
        var build = Assert.Single((await client.BatchGetBuildsAsync(new BuildModel.BatchGetBuildsRequest { Ids = [bakeId] })).Builds!);
        var status = await baker.GetBakeAsync(bakeId, CancellationToken.None);

        Assert.StartsWith("phoenix-bake:", bakeId, StringComparison.Ordinal);
        Assert.Equal(("phoenix-bake", "0123456789abcdef"), (build.ProjectName, build.SourceVersion));

        // On AWS the Packer build runs and exports IMAGE_ID; the adapter reports a success without one as a failed bake.
        if (build.BuildStatus == "SUCCEEDED" && build.ExportedEnvironmentVariables is not { Count: > 0 })
        {
            MotoGap.CodeBuildRunsNothing.Met(output);
            Assert.Equal(new BakeStatus(bakeId, BakeState.Failed, null, $"Build '{bakeId}' succeeded but exported no IMAGE_ID."), status);
            return;
        }

        Assert.Equal(BakeState.Succeeded, status.State);
        Assert.StartsWith("ami-", status.ImageId, StringComparison.Ordinal);
    }

    [EmulatorFact]
    public async Task StartBake_SameIdempotencyToken_ReturnsTheSameBuild()
    {
        await CreateBakeProjectAsync("phoenix-bake");
        using var client = Moto.Clients().CodeBuild();
        var baker = new ImageBakerAdapter(client);
        var request = new BakeRequest("web", "phoenix-bake", null, null, "exec-1");

        var first = await baker.StartBakeAsync(request, CancellationToken.None);
        var retried = await baker.StartBakeAsync(request, CancellationToken.None);

        if (first != retried)
        {
            MotoGap.CodeBuildRunsNothing.Met(output);
            return;
        }

        Assert.Equal(first, retried);
    }

    [EmulatorFact]
    public async Task StartBake_UnknownProject_ThrowsResourceNotFound()
    {
        using var client = Moto.Clients().CodeBuild();

        var error = await Assert.ThrowsAsync<ResourceNotFoundException>(() =>
            new ImageBakerAdapter(client).StartBakeAsync(new BakeRequest("web", "nobody-bake", null, null, "t"), CancellationToken.None));

        Assert.Equal("ResourceNotFoundException", error.ErrorCode);
    }

    [EmulatorFact]
    public async Task GetBake_UnknownBuild_IsAFailedBakeNamingIt()
    {
        await CreateBakeProjectAsync("phoenix-bake");
        using var client = Moto.Clients().CodeBuild();

        var status = await new ImageBakerAdapter(client).GetBakeAsync("phoenix-bake:00000000-0000-0000-0000-000000000000", CancellationToken.None);

        Assert.Equal(BakeState.Failed, status.State);
        Assert.Contains("phoenix-bake:00000000-0000-0000-0000-000000000000", status.Reason, StringComparison.Ordinal);
    }

    [EmulatorFact]
    public async Task PutEvaluations_TestMode_IsAccepted()
    {
        using var client = Moto.Clients().ConfigService();
        var evaluations = Enumerable.Range(0, 150)
            .Select(i => new ConfigEvaluation("AWS::EC2::Instance", $"i-{i:x17}", "NON_COMPLIANT", "image differs", DateTimeOffset.UtcNow))
            .ToList();

        await new ConfigEvaluationsAdapter(client).PutEvaluationsAsync("result-token", evaluations, testMode: true, CancellationToken.None);
    }

    [EmulatorFact]
    public async Task PutEvaluations_MissingResultToken_ThrowsInvalidResultToken()
    {
        using var client = Moto.Clients().ConfigService();

        var error = await Assert.ThrowsAsync<InvalidResultTokenException>(() => new ConfigEvaluationsAdapter(client).PutEvaluationsAsync(
            string.Empty, [new ConfigEvaluation("AWS::EC2::Instance", "i-1", "COMPLIANT", null, DateTimeOffset.UtcNow)], testMode: true, CancellationToken.None));

        Assert.Equal("InvalidResultTokenException", error.ErrorCode);
    }

    [EmulatorFact]
    public async Task PutEvaluations_NotTestMode_RecordsThem()
    {
        using var client = Moto.Clients().ConfigService();
        var error = await Record.ExceptionAsync(() => new ConfigEvaluationsAdapter(client).PutEvaluationsAsync(
            "result-token", [new ConfigEvaluation("AWS::EC2::Instance", "i-1", "NON_COMPLIANT", "image differs", DateTimeOffset.UtcNow)], testMode: false, CancellationToken.None));

        if (error is TransientFailure { InnerException: AmazonServiceException { StatusCode: HttpStatusCode.InternalServerError } })
        {
            MotoGap.PutEvaluationsTestModeOnly.Met(output);
            return;
        }

        Assert.Null(error);
    }

    /// <summary>What Core's BakeSources reads to refuse a bake that could not check out the deployment's commit.</summary>
    [EmulatorFact]
    public async Task GetSourceType_ProjectsOfEachSource_ReadsTheTypeAndNullForAMissingProject()
    {
        await CreateBakeProjectAsync("phoenix-bake-github", new ProjectSource { Type = "GITHUB", Location = "https://github.com/acme/web.git", Buildspec = "version: 0.2" });
        await CreateBakeProjectAsync("phoenix-bake-s3", new ProjectSource { Type = "S3", Location = "phoenix-assets/packer.zip", Buildspec = "version: 0.2" });
        await CreateBakeProjectAsync("phoenix-bake-none");
        using var client = Moto.Clients().CodeBuild();
        var baker = new ImageBakerAdapter(client);

        Assert.Equal("GITHUB", await baker.GetSourceTypeAsync("phoenix-bake-github", CancellationToken.None));
        Assert.Equal("S3", await baker.GetSourceTypeAsync("phoenix-bake-s3", CancellationToken.None));
        Assert.Equal("NO_SOURCE", await baker.GetSourceTypeAsync("phoenix-bake-none", CancellationToken.None));
        Assert.Null(await baker.GetSourceTypeAsync("phoenix-bake-missing", CancellationToken.None));
    }

    private async Task CreateBakeProjectAsync(string name, ProjectSource? source = null)
    {
        using var codeBuild = new CodeBuildProvisioner(Moto);
        await codeBuild.CreateProjectAsync(new CreateProjectRequest
        {
            Name = name,
            Source = source ?? new ProjectSource { Type = "NO_SOURCE", Location = "none", Buildspec = "version: 0.2" },
            Artifacts = new ProjectArtifacts { Type = "NO_ARTIFACTS" },
            Environment = new ProjectEnvironment { Type = "LINUX_CONTAINER", Image = "aws/codebuild/standard:7.0", ComputeType = "BUILD_GENERAL1_SMALL" },
            ServiceRole = CodeBuildProvisioner.RoleArn,
        });
    }
}
