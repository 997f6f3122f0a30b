using Phoenix.Aws.CodeBuild;
using Phoenix.Core.Ports;
using Model = Phoenix.Aws.CodeBuild.Model;

namespace Phoenix.Aws.Adapters;

/// <summary>
/// The bake is a CodeBuild build of the Packer project (cdk/Phoenix.Cdk/BakeBuildSpec.cs): APPLICATION and
/// REPOSITORY go in as environment overrides, the commit as the build's source version (which only a repository source
/// reads as a commit: Core asks <see cref="GetSourceTypeAsync"/> first, see BakeSources), the image comes back as the
/// exported variable IMAGE_ID.
/// </summary>
public sealed class ImageBakerAdapter(AmazonCodeBuildClient client) : IImageBaker
{
    public const string ImageIdVariable = "IMAGE_ID";

    public Task<string> StartBakeAsync(BakeRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return AwsCall.RunAsync($"StartBuild {request.ProjectName}", async () =>
        {
            List<Model.EnvironmentVariable> variables = [new() { Name = "APPLICATION", Value = request.Application, Type = "PLAINTEXT" }];
            if (request.Repository is { } repository)
            {
                variables.Add(new() { Name = "REPOSITORY", Value = repository, Type = "PLAINTEXT" });
            }

            var response = await client.StartBuildAsync(
                new Model.StartBuildRequest
                {
                    ProjectName = request.ProjectName,
                    SourceVersion = request.Commit,
                    EnvironmentVariablesOverride = variables,
                    IdempotencyToken = request.IdempotencyToken,
                },
                cancellationToken).ConfigureAwait(false);
            return response.Build?.Id ?? throw new InvalidOperationException($"StartBuild of '{request.ProjectName}' returned no build id.");
        }, cancellationToken);
    }

    public Task<string?> GetSourceTypeAsync(string projectName, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(projectName);
        return AwsCall.RunAsync($"BatchGetProjects {projectName}", async () =>
        {
            // A missing project is listed in projectsNotFound, not an error.
            var response = await client.BatchGetProjectsAsync(new Model.BatchGetProjectsRequest { Names = [projectName] }, cancellationToken).ConfigureAwait(false);
            var project = response.Projects?.FirstOrDefault(p => p.Name == projectName || p.Arn == projectName);
            return project is null ? null : project.Source?.Type ?? "NO_SOURCE";
        }, cancellationToken);
    }

    public Task<BakeStatus> GetBakeAsync(string bakeId, CancellationToken cancellationToken) =>
        AwsCall.RunAsync($"BatchGetBuilds {bakeId}", async () =>
        {
            var response = await client.BatchGetBuildsAsync(new Model.BatchGetBuildsRequest { Ids = [bakeId] }, cancellationToken).ConfigureAwait(false);
            var build = response.Builds?.FirstOrDefault(b => b.Id == bakeId);
            if (build is null)
            {
                return new BakeStatus(bakeId, BakeState.Failed, null, $"CodeBuild has no build '{bakeId}'.");
            }

            switch (build.BuildStatus)
            {
                case "IN_PROGRESS" or null:
                    return new BakeStatus(bakeId, BakeState.InProgress, null, null);
                case "SUCCEEDED":
                    var imageId = build.ExportedEnvironmentVariables?.FirstOrDefault(v => v.Name == ImageIdVariable)?.Value;
                    return string.IsNullOrEmpty(imageId)
                        ? new BakeStatus(bakeId, BakeState.Failed, null, $"Build '{bakeId}' succeeded but exported no {ImageIdVariable}.")
                        : new BakeStatus(bakeId, BakeState.Succeeded, imageId, null);
                default:
                    var failedPhase = build.Phases?.LastOrDefault(p => p.PhaseStatus is not null and not "SUCCEEDED");
                    var detail = failedPhase?.Contexts?.FirstOrDefault(c => !string.IsNullOrEmpty(c.Message))?.Message;
                    return new BakeStatus(
                        bakeId,
                        BakeState.Failed,
                        null,
                        $"Build '{bakeId}' ended {build.BuildStatus}" + (failedPhase is null ? "." : $" in phase {failedPhase.PhaseType}: {detail ?? failedPhase.PhaseStatus}."));
            }
        }, cancellationToken);
}
