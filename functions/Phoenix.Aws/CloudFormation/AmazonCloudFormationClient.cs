using System.Text.Json.Serialization;
using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Phoenix.Aws.CloudFormation.Model;
using Phoenix.Aws.Protocol;

namespace Phoenix.Aws.CloudFormation;

/// <summary>AWS CloudFormation (AWS Query, 2010-05-15): the pipeline stack's status and outputs, for <c>phoenix doctor</c>.</summary>
public sealed class AmazonCloudFormationClient(AWSCredentials credentials, AwsServiceConfig config) : AwsProtocolClient(credentials, config)
{
    public static readonly AwsService Definition = new("CloudFormation", "cloudformation", "cloudformation", "2010-05-15");

    // CloudFormation answers an unknown stack with the generic ValidationError ("Stack with id X does not exist"),
    // not a dedicated code: the adapter tells the two apart by the message.
    private static readonly Dictionary<string, ErrorFactory> ErrorCodes = new(StringComparer.Ordinal)
    {
        ["ValidationError"] = e => new ValidationErrorException(e),
    };

    protected override IReadOnlyDictionary<string, ErrorFactory> Errors => ErrorCodes;

    public Task<DescribeStacksResponse> DescribeStacksAsync(DescribeStacksRequest request, CancellationToken cancellationToken = default) =>
        InvokeQueryAsync(
            "DescribeStacks", request, CloudFormationJsonContext.Default.DescribeStacksRequest, CloudFormationJsonContext.Default.DescribeStacksResponse, cancellationToken);
}

public sealed class ValidationErrorException(ErrorResponse error) : AwsServiceException(error);

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(DescribeStacksRequest))]
[JsonSerializable(typeof(DescribeStacksResponse))]
internal sealed partial class CloudFormationJsonContext : JsonSerializerContext;
