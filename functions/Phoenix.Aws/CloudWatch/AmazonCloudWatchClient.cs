using System.Text.Json.Serialization;
using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Phoenix.Aws.CloudWatch.Model;
using Phoenix.Aws.Protocol;

namespace Phoenix.Aws.CloudWatch;

/// <summary>Amazon CloudWatch (AWS Query, 2010-08-01): alarm states for the canary and bake-time checks.</summary>
public sealed class AmazonCloudWatchClient(AWSCredentials credentials, AwsServiceConfig config) : AwsProtocolClient(credentials, config)
{
    public static readonly AwsService Definition = new("CloudWatch", "monitoring", "monitoring", "2010-08-01");

    private static readonly Dictionary<string, ErrorFactory> ErrorCodes = new(StringComparer.Ordinal)
    {
        ["InvalidNextToken"] = e => new InvalidNextTokenException(e),
    };

    protected override IReadOnlyDictionary<string, ErrorFactory> Errors => ErrorCodes;

    public Task<DescribeAlarmsResponse> DescribeAlarmsAsync(DescribeAlarmsRequest request, CancellationToken cancellationToken = default) =>
        InvokeQueryAsync(
            "DescribeAlarms", request, CloudWatchJsonContext.Default.DescribeAlarmsRequest, CloudWatchJsonContext.Default.DescribeAlarmsResponse, cancellationToken);
}

public sealed class InvalidNextTokenException(ErrorResponse error) : AwsServiceException(error);

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(DescribeAlarmsRequest))]
[JsonSerializable(typeof(DescribeAlarmsResponse))]
internal sealed partial class CloudWatchJsonContext : JsonSerializerContext;
