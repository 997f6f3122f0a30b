using Amazon.Runtime;

namespace Phoenix.Aws.CodeBuild.Model;

public sealed class StartBuildRequest : AmazonWebServiceRequest
{
    public string? ProjectName { get; set; }

    public string? SourceVersion { get; set; }

    public List<EnvironmentVariable>? EnvironmentVariablesOverride { get; set; }

    public string? IdempotencyToken { get; set; }
}

public sealed class EnvironmentVariable
{
    public string? Name { get; set; }

    public string? Value { get; set; }

    /// <summary>PLAINTEXT, PARAMETER_STORE, SECRETS_MANAGER.</summary>
    public string? Type { get; set; }
}

public sealed class StartBuildResponse : AmazonWebServiceResponse
{
    public Build? Build { get; set; }
}

public sealed class BatchGetBuildsRequest : AmazonWebServiceRequest
{
    public List<string>? Ids { get; set; }
}

public sealed class BatchGetBuildsResponse : AmazonWebServiceResponse
{
    public List<Build>? Builds { get; set; }

    public List<string>? BuildsNotFound { get; set; }
}

public sealed class Build
{
    public string? Id { get; set; }

    public string? Arn { get; set; }

    public string? ProjectName { get; set; }

    public string? SourceVersion { get; set; }

    /// <summary>SUCCEEDED, FAILED, FAULT, TIMED_OUT, IN_PROGRESS, STOPPED.</summary>
    public string? BuildStatus { get; set; }

    public string? CurrentPhase { get; set; }

    public bool? BuildComplete { get; set; }

    public DateTime? StartTime { get; set; }

    public DateTime? EndTime { get; set; }

    public List<ExportedEnvironmentVariable>? ExportedEnvironmentVariables { get; set; }

    public List<BuildPhase>? Phases { get; set; }
}

public sealed class ExportedEnvironmentVariable
{
    public string? Name { get; set; }

    public string? Value { get; set; }
}

public sealed class BuildPhase
{
    public string? PhaseType { get; set; }

    public string? PhaseStatus { get; set; }

    public List<PhaseContext>? Contexts { get; set; }
}

public sealed class PhaseContext
{
    public string? StatusCode { get; set; }

    public string? Message { get; set; }
}

public sealed class BatchGetProjectsRequest : AmazonWebServiceRequest
{
    /// <summary>Project names or ARNs.</summary>
    public List<string>? Names { get; set; }
}

public sealed class BatchGetProjectsResponse : AmazonWebServiceResponse
{
    public List<Project>? Projects { get; set; }

    public List<string>? ProjectsNotFound { get; set; }
}

public sealed class Project
{
    public string? Name { get; set; }

    public string? Arn { get; set; }

    public ProjectSource? Source { get; set; }
}

public sealed class ProjectSource
{
    /// <summary>CODECOMMIT, CODEPIPELINE, GITHUB, GITLAB, GITLAB_SELF_MANAGED, S3, BITBUCKET, GITHUB_ENTERPRISE, NO_SOURCE.</summary>
    public string? Type { get; set; }

    public string? Location { get; set; }
}
