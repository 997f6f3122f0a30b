using System.Text.Json.Serialization;
using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Phoenix.Aws.ConfigService.Model;
using Phoenix.Aws.Protocol;

namespace Phoenix.Aws.ConfigService;

/// <summary>AWS Config (awsJson 1.1): the ImmutableInstance rule's evaluations and their results, and whether the recorder runs.</summary>
public sealed class AmazonConfigServiceClient(AWSCredentials credentials, AwsServiceConfig config) : AwsProtocolClient(credentials, config)
{
    public static readonly AwsService Definition = new("Config Service", "config", "config", "2014-11-12", "1.1", "StarlingDoveService");

    private static readonly Dictionary<string, ErrorFactory> ErrorCodes = new(StringComparer.Ordinal)
    {
        ["NoSuchConfigRuleException"] = e => new NoSuchConfigRuleException(e),
        ["InvalidResultTokenException"] = e => new InvalidResultTokenException(e),
        ["InvalidParameterValueException"] = e => new InvalidParameterValueException(e),
        ["InvalidNextTokenException"] = e => new InvalidNextTokenException(e),
    };

    private static ConfigServiceJsonContext Json => ConfigServiceJsonContext.Default;

    protected override IReadOnlyDictionary<string, ErrorFactory> Errors => ErrorCodes;

    public Task<PutEvaluationsResponse> PutEvaluationsAsync(PutEvaluationsRequest request, CancellationToken cancellationToken = default) =>
        InvokeJsonAsync("PutEvaluations", request, Json.PutEvaluationsRequest, Json.PutEvaluationsResponse, cancellationToken);

    public Task<GetComplianceDetailsByConfigRuleResponse> GetComplianceDetailsByConfigRuleAsync(
        GetComplianceDetailsByConfigRuleRequest request, CancellationToken cancellationToken = default) =>
        InvokeJsonAsync(
            "GetComplianceDetailsByConfigRule", request, Json.GetComplianceDetailsByConfigRuleRequest, Json.GetComplianceDetailsByConfigRuleResponse, cancellationToken);

    public Task<DescribeConfigurationRecorderStatusResponse> DescribeConfigurationRecorderStatusAsync(
        DescribeConfigurationRecorderStatusRequest request, CancellationToken cancellationToken = default) =>
        InvokeJsonAsync(
            "DescribeConfigurationRecorderStatus", request, Json.DescribeConfigurationRecorderStatusRequest, Json.DescribeConfigurationRecorderStatusResponse, cancellationToken);
}

public sealed class NoSuchConfigRuleException(ErrorResponse error) : AwsServiceException(error);

public sealed class InvalidResultTokenException(ErrorResponse error) : AwsServiceException(error);

public sealed class InvalidParameterValueException(ErrorResponse error) : AwsServiceException(error);

public sealed class InvalidNextTokenException(ErrorResponse error) : AwsServiceException(error);

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, Converters = [typeof(EpochSecondsConverter)])]
[JsonSerializable(typeof(PutEvaluationsRequest))]
[JsonSerializable(typeof(PutEvaluationsResponse))]
[JsonSerializable(typeof(GetComplianceDetailsByConfigRuleRequest))]
[JsonSerializable(typeof(GetComplianceDetailsByConfigRuleResponse))]
[JsonSerializable(typeof(DescribeConfigurationRecorderStatusRequest))]
[JsonSerializable(typeof(DescribeConfigurationRecorderStatusResponse))]
internal sealed partial class ConfigServiceJsonContext : JsonSerializerContext;
