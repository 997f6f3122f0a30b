using System.Reflection;
using Amazon.DynamoDBv2;
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
    /// <summary>The application id the SDKs put in the User-Agent as <c>app/…</c> (ClientConfig.ClientAppId, sdk_ua_app_id).</summary>
    public const string ApplicationId = "phoenix";

    private static readonly AwsServiceEndpointResolver Resolver = new();

    public AwsServiceConfig(AwsService service)
        : base(new DefaultConfigurationProvider(DefaultConfigurations))
    {
        ArgumentNullException.ThrowIfNull(service);
        Service = service;
        ServiceId = service.ServiceId;
        AuthenticationServiceName = service.SigningName;
        EndpointProvider = new AwsServiceEndpointProvider(service);
        ClientAppId = ApplicationId;
        UserAgentValue = InternalSDKUtils.BuildUserAgentString(service.ServiceId, CoreVersion);
    }

    public AwsService Service { get; }

    /// <summary>
    /// The values of every defaults mode, as AWSSDK's generated clients carry them (standard 3.1 s, in-region 1.1 s,
    /// cross-region 3.1 s, mobile 30 s connect and TLS timeouts; standard retries in all). They are the same for every
    /// service (the SDKs generate them from one shared defaults file), so the official DynamoDB client's table is the
    /// source rather than a copy of its numbers.
    /// </summary>
    public static IReadOnlyList<IDefaultConfiguration> DefaultConfigurations { get; } = AmazonDynamoDBDefaultConfiguration.GetAllConfigurations();

    /// <summary>
    /// AWSSDK.Core's own file version (e.g. 4.1.0.0): the generated clients put their package's version in the
    /// User-Agent; these clients have no package of their own, so they name the Core that carries them.
    /// </summary>
    internal static string? CoreVersion { get; } = typeof(ClientConfig).Assembly.GetCustomAttribute<AssemblyFileVersionAttribute>()?.Version;

    private string UserAgentValue { get; }

    public override string RegionEndpointServiceName => Service.EndpointPrefix;

    public override string ServiceVersion => Service.ApiVersion;

    public override string UserAgent => UserAgentValue;

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

    /// <summary>The endpoint every call of this configuration goes to; a configuration the rules refuse throws <see cref="AwsConfigurationException"/>.</summary>
    public Uri ResolveEndpoint() => new(EndpointProvider.ResolveEndpoint(AwsServiceEndpointResolver.Parameters(this, RegionEndpoint?.SystemName)).URL);
}

/// <summary>
/// The official endpoint ruleset every service here shares (the SDKs generate one per service from the same
/// template): an explicit endpoint wins and cannot be combined with FIPS or dual-stack; otherwise
/// https://{prefix}[-fips].{region}.{dnsSuffix | dualStackDnsSuffix} of the region's partition, after checking that the
/// partition supports what was asked. Where a service's ruleset departs from the template, <see cref="AwsEndpointRules"/>
/// says how. The errors carry the rulesets' own wording, as <see cref="AwsConfigurationException"/>: nothing was sent,
/// and retrying cannot help.
/// </summary>
internal sealed class AwsServiceEndpointProvider(AwsService service) : IEndpointProvider
{
    public Endpoint ResolveEndpoint(EndpointParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var fips = Equals(parameters["UseFIPS"], true);
        var dualStack = Equals(parameters["UseDualStack"], true);
        if (parameters["Endpoint"] is string endpoint && endpoint.Length > 0)
        {
            return fips ? throw Refused("Invalid Configuration: FIPS and custom endpoint are not supported")
                : dualStack ? throw Refused("Invalid Configuration: Dualstack and custom endpoint are not supported")
                : new Endpoint(endpoint);
        }

        if (parameters["Region"] is not string region || region.Length == 0)
        {
            throw Refused("Invalid Configuration: Missing Region");
        }

        var partition = Fn.Partition(region) ?? throw Refused($"Unknown AWS region '{region}'");
        if (fips && dualStack && !(partition.supportsFIPS && partition.supportsDualStack))
        {
            throw Refused("FIPS and DualStack are enabled, but this partition does not support one or both");
        }

        if (fips && !partition.supportsFIPS)
        {
            throw Refused("FIPS is enabled but this partition does not support FIPS");
        }

        if (dualStack && !partition.supportsDualStack)
        {
            throw Refused("DualStack is enabled but this partition does not support DualStack");
        }

        var template = AwsEndpointRules.Departure(service.ServiceId, partition.name, region, fips, dualStack)
            ?? $"https://{service.EndpointPrefix}{(fips ? "-fips" : string.Empty)}.{{Region}}.{(dualStack ? "{dualStackDnsSuffix}" : "{dnsSuffix}")}";
        return new Endpoint(template
            .Replace("{Region}", region, StringComparison.Ordinal)
            .Replace("{dualStackDnsSuffix}", partition.dualStackDnsSuffix, StringComparison.Ordinal)
            .Replace("{dnsSuffix}", partition.dnsSuffix, StringComparison.Ordinal));
    }

    private AwsConfigurationException Refused(string reason) => new($"{service.ServiceId}: {reason}.");
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
        return Parameters(config, requestContext.Request.AlternateEndpoint?.SystemName ?? config.RegionEndpoint?.SystemName);
    }

    internal static EndpointParameters Parameters(IClientConfig config, string? region)
    {
        if (config.RegionEndpoint is null && !string.IsNullOrEmpty(config.ServiceURL))
        {
            // A custom endpoint (LocalStack, a loopback test) signs for the region given alongside it.
            region = config.AuthenticationRegion;
        }

        return new EndpointParameters
        {
            ["Region"] = region,
            ["UseDualStack"] = config.UseDualstackEndpoint,
            ["UseFIPS"] = config.UseFIPSEndpoint,
            ["Endpoint"] = config.ServiceURL,
        };
    }
}

/// <summary>Every operation of these services is signed with SigV4; without this handler the v4 pipeline has no signer.</summary>
internal sealed class SigV4AuthResolverHandler : BaseAuthResolverHandler
{
    protected override List<IAuthSchemeOption> ResolveAuthOptions(IExecutionContext executionContext) => AuthSchemeOption.DEFAULT_SIGV4;
}
