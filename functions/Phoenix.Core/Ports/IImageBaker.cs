namespace Phoenix.Core.Ports;

/// <summary>The image bake (on AWS: a CodeBuild project running Packer; StartBuild / BatchGetBuilds).</summary>
public interface IImageBaker
{
    /// <summary>Starts a bake; the idempotency token makes a retried start return the same bake id.</summary>
    Task<string> StartBakeAsync(BakeRequest request, CancellationToken cancellationToken);

    Task<BakeStatus> GetBakeAsync(string bakeId, CancellationToken cancellationToken);

    /// <summary>
    /// The type of the project's primary source (CodeBuild's <c>source.type</c>: GITHUB, S3, NO_SOURCE, …), which decides what
    /// a bake's commit means to it (<see cref="Workflow.BakeSources"/>); null when no such project exists.
    /// </summary>
    Task<string?> GetSourceTypeAsync(string projectName, CancellationToken cancellationToken);
}

public sealed record BakeRequest(string Application, string ProjectName, string? Commit, string? Repository, string IdempotencyToken);

public enum BakeState
{
    InProgress,
    Succeeded,
    Failed,
}

/// <summary>ImageId is set when Succeeded; Reason when Failed.</summary>
public sealed record BakeStatus(string BakeId, BakeState State, string? ImageId, string? Reason);
