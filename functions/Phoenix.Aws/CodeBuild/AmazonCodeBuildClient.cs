using System.Text.Json.Serialization;
using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Phoenix.Aws.CodeBuild.Model;
using Phoenix.Aws.Protocol;

namespace Phoenix.Aws.CodeBuild;

/// <summary>AWS CodeBuild (awsJson 1.1): the Packer image bake.</summary>
public sealed class AmazonCodeBuildClient(AWSCredentials credentials, AwsServiceConfig config) : AwsProtocolClient(credentials, config)
{
    public static readonly AwsService Definition = new("CodeBuild", "codebuild", "codebuild", "2016-10-06", "1.1", "CodeBuild_20161006");

    private static readonly Dictionary<string, ErrorFactory> ErrorCodes = new(StringComparer.Ordinal)
    {
        ["ResourceNotFoundException"] = e => new ResourceNotFoundException(e),
        ["InvalidInputException"] = e => new InvalidInputException(e),
        ["AccountLimitExceededException"] = e => new AccountLimitExceededException(e),
    };

    private static CodeBuildJsonContext Json => CodeBuildJsonContext.Default;

    protected override IReadOnlyDictionary<string, ErrorFactory> Errors => ErrorCodes;

    public Task<StartBuildResponse> StartBuildAsync(StartBuildRequest request, CancellationToken cancellationToken = default) =>
        InvokeJsonAsync("StartBuild", request, Json.StartBuildRequest, Json.StartBuildResponse, cancellationToken);

    public Task<BatchGetBuildsResponse> BatchGetBuildsAsync(BatchGetBuildsRequest request, CancellationToken cancellationToken = default) =>
        InvokeJsonAsync("BatchGetBuilds", request, Json.BatchGetBuildsRequest, Json.BatchGetBuildsResponse, cancellationToken);

    public Task<BatchGetProjectsResponse> BatchGetProjectsAsync(BatchGetProjectsRequest request, CancellationToken cancellationToken = default) =>
        InvokeJsonAsync("BatchGetProjects", request, Json.BatchGetProjectsRequest, Json.BatchGetProjectsResponse, cancellationToken);
}

public sealed class ResourceNotFoundException(ErrorResponse error) : AwsServiceException(error);

public sealed class InvalidInputException(ErrorResponse error) : AwsServiceException(error);

public sealed class AccountLimitExceededException(ErrorResponse error) : AwsServiceException(error);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(EpochSecondsConverter)])]
[JsonSerializable(typeof(StartBuildRequest))]
[JsonSerializable(typeof(StartBuildResponse))]
[JsonSerializable(typeof(BatchGetBuildsRequest))]
[JsonSerializable(typeof(BatchGetBuildsResponse))]
[JsonSerializable(typeof(BatchGetProjectsRequest))]
[JsonSerializable(typeof(BatchGetProjectsResponse))]
internal sealed partial class CodeBuildJsonContext : JsonSerializerContext;
