using Phoenix.Core.Ports;

namespace Phoenix.Core.Workflow;

/// <summary>
/// A bake builds the deployment's commit, which StartBake hands to the bake project as its source version. Only a
/// repository source reads that as a commit; an S3 source reads it as the version id of its object, and a project without
/// a source of its own has nothing to check out
/// (https://docs.aws.amazon.com/codebuild/latest/userguide/sample-source-version.html). So a deployment without an image
/// is refused, before anything changes, unless its bake project builds from a repository.
/// </summary>
public static class BakeSources
{
    /// <summary>CodeBuild source types whose source version may be a commit id.</summary>
    public static readonly IReadOnlySet<string> TakingACommit = new HashSet<string>(StringComparer.Ordinal)
    {
        "CODECOMMIT", "GITHUB", "GITHUB_ENTERPRISE", "BITBUCKET", "GITLAB", "GITLAB_SELF_MANAGED",
    };

    /// <summary>What the Phoenix stacks need to bake; every refusal names it.</summary>
    public const string HowToBake =
        "give imageId, or bake from the repository: the Phoenix stacks create a bake project that builds the repository at the "
        + "deployment's commit only with phoenix:connectionArn and phoenix:repository set";

    /// <summary>Why <paramref name="project"/> (null: none configured) cannot bake application's commit, or null when it can.</summary>
    public static async Task<string?> ProblemAsync(IImageBaker baker, string application, string? project, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(baker);
        if (string.IsNullOrEmpty(project))
        {
            return $"imageId is required: application '{application}' has no bake project to build an image from ({HowToBake})";
        }

        var type = await baker.GetSourceTypeAsync(project, cancellationToken);
        if (type is null)
        {
            return $"imageId is required: application '{application}' names bake project '{project}', which does not exist ({HowToBake})";
        }

        return TakingACommit.Contains(type)
            ? null
            : $"imageId is required: bake project '{project}' of application '{application}' has a source of type {type}, "
                + $"which cannot check out the deployment's commit (CodeBuild would read it as {(type == "S3" ? "an S3 object version" : "nothing it can build")}); {HowToBake}";
    }
}
