using Amazon.Runtime;
using Amazon.Runtime.Endpoints;
using Amazon.Runtime.Internal;
using Amazon.Runtime.Credentials.Internal;
using Amazon.Runtime.Internal.Auth;
using Amazon.Runtime.Internal.Endpoints.StandardLibrary;
using Amazon.Util.Internal;

namespace Phoenix.Aws.Protocol;

/// <summary>
/// What the SDK needs to know about one AWS service: its id (also the suffix of AWS_ENDPOINT_URL_&lt;ID&gt;), the
/// SigV4 signing name, the endpoint prefix, the API version, and for awsJson services the protocol version and the
/// X-Amz-Target prefix.
/// </summary>
public sealed record AwsService(
    string ServiceId,
    string SigningName,
    string EndpointPrefix,
    string ApiVersion,
    string? JsonVersion = null,
    string? TargetPrefix = null);

/// <summary>
/// One ClientConfig for every service Phoenix talks to over AWSSDK.Core; the service it configures is a value, so a
/// new service is a new <see cref="AwsService"/>, not a new class.
/// </summary>
public sealed class AwsServiceConfig : ClientConfig
{
    private static readonly AwsServiceEndpointResolver Resolver = new();

    public AwsServiceConfig(AwsService service)
        : base(new DefaultConfigurationProvider(DefaultConfigurations))
    {
        ArgumentNullException.ThrowIfNull(service);
        Service = service;
        ServiceId = service.ServiceId;
        AuthenticationServiceName = service.SigningName;
        EndpointProvider = new AwsServiceEndpointProvider(service.EndpointPrefix);
        UserAgentValue = InternalSDKUtils.BuildUserAgentString(service.ServiceId, "4.1.0.0");
    }

    public AwsService Service { get; }

    private string UserAgentValue { get; }

    public override string RegionEndpointServiceName => Service.EndpointPrefix;

    public override string ServiceVersion => Service.ApiVersion;

    public override string UserAgent => UserAgentValue;

    private static IEnumerable<IDefaultConfiguration> DefaultConfigurations { get; } =
    [
        new DefaultConfiguration
        {
            Name = DefaultConfigurationMode.Standard,
            RetryMode = RequestRetryMode.Standard,
            S3UsEast1RegionalEndpoint = S3UsEast1RegionalEndpointValue.Regional,
            ConnectTimeout = TimeSpan.FromMilliseconds(3100),
            TlsNegotiationTimeout = TimeSpan.FromMilliseconds(3100),
        },
        new DefaultConfiguration
        {
            Name = DefaultConfigurationMode.InRegion,
            RetryMode = RequestRetryMode.Standard,
            S3UsEast1RegionalEndpoint = S3UsEast1RegionalEndpointValue.Regional,
            ConnectTimeout = TimeSpan.FromMilliseconds(1100),
            TlsNegotiationTimeout = TimeSpan.FromMilliseconds(1100),
        },
    ];

    public override Endpoint DetermineServiceOperationEndpoint(ServiceOperationEndpointParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var context = new Amazon.Runtime.Internal.ExecutionContext(
            new RequestContext(false)
            {
                ClientConfig = this,
                OriginalRequest = parameters.Request,
                Request = new DefaultRequest(parameters.Request, Service.ServiceId) { AlternateEndpoint = parameters.AlternateEndpoint },
            },
            null);
        return Resolver.GetEndpoint(context);
    }
}

/// <summary>Endpoint rule every service here shares: an explicit endpoint wins, else https://{prefix}.{region}.{partition dns suffix}.</summary>
internal sealed class AwsServiceEndpointProvider(string endpointPrefix) : IEndpointProvider
{
    public Endpoint ResolveEndpoint(EndpointParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (parameters["Endpoint"] is string endpoint && endpoint.Length > 0)
        {
            return new Endpoint(endpoint);
        }

        if (parameters["Region"] is not string region || region.Length == 0)
        {
            throw new AmazonClientException("Invalid Configuration: Missing Region");
        }

        var partition = Fn.Partition(region)
            ?? throw new AmazonClientException($"Unknown region '{region}': it belongs to no AWS partition.");
        var fips = Equals(parameters["UseFIPS"], true) ? "-fips" : string.Empty;
        var suffix = Equals(parameters["UseDualStack"], true) ? partition.dualStackDnsSuffix : partition.dnsSuffix;
        return new Endpoint($"https://{endpointPrefix}{fips}.{region}.{suffix}");
    }
}

internal sealed class AwsServiceEndpointResolver : BaseEndpointResolver
{
    protected override void ServiceSpecificHandler(IExecutionContext executionContext, EndpointParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(executionContext);
        InjectHostPrefix(executionContext.RequestContext);
    }

    protected override EndpointParameters MapEndpointsParameters(IRequestContext requestContext)
    {
        ArgumentNullException.ThrowIfNull(requestContext);
        var config = requestContext.ClientConfig;
        var region = requestContext.Request.AlternateEndpoint?.SystemName ?? config.RegionEndpoint?.SystemName;
        if (config.RegionEndpoint is null && !string.IsNullOrEmpty(config.ServiceURL))
        {
            // A custom endpoint (LocalStack, a loopback test) signs for the region given alongside it.
            region = config.AuthenticationRegion;
        }

        var parameters = new EndpointParameters
        {
            ["Region"] = region,
            ["UseDualStack"] = config.UseDualstackEndpoint,
            ["UseFIPS"] = config.UseFIPSEndpoint,
            ["Endpoint"] = config.ServiceURL,
        };
        return parameters;
    }
}

/// <summary>Every operation of these services is signed with SigV4; without this handler the v4 pipeline has no signer.</summary>
internal sealed class SigV4AuthResolverHandler : BaseAuthResolverHandler
{
    protected override List<IAuthSchemeOption> ResolveAuthOptions(IExecutionContext executionContext) => AuthSchemeOption.DEFAULT_SIGV4;
}
