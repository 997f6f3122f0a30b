using System.Text.Json.Serialization;
using Amazon.Runtime;
using Phoenix.Aws.Protocol;
using Phoenix.Aws.SecurityToken.Model;

namespace Phoenix.Aws.SecurityToken;

/// <summary>
/// AWS STS (AWS Query, 2011-06-15): who is calling. Regional endpoint (<c>sts.{region}.amazonaws.com</c>), as current
/// SDKs default to; the legacy global endpoint is not used.
/// </summary>
public sealed class AmazonSecurityTokenServiceClient(AWSCredentials credentials, AwsServiceConfig config) : AwsProtocolClient(credentials, config)
{
    public static readonly AwsService Definition = new("STS", "sts", "sts", "2011-06-15");

    private static readonly Dictionary<string, ErrorFactory> ErrorCodes = new(StringComparer.Ordinal);

    protected override IReadOnlyDictionary<string, ErrorFactory> Errors => ErrorCodes;

    /// <summary>Needs no IAM permission: any valid credentials may ask who they are.</summary>
    public Task<GetCallerIdentityResponse> GetCallerIdentityAsync(GetCallerIdentityRequest request, CancellationToken cancellationToken = default) =>
        InvokeQueryAsync(
            "GetCallerIdentity",
            request,
            SecurityTokenJsonContext.Default.GetCallerIdentityRequest,
            SecurityTokenJsonContext.Default.GetCallerIdentityResponse,
            cancellationToken);
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(GetCallerIdentityRequest))]
[JsonSerializable(typeof(GetCallerIdentityResponse))]
internal sealed partial class SecurityTokenJsonContext : JsonSerializerContext;
