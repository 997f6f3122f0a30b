using Amazon;
using Amazon.DynamoDBv2;
using Amazon.EC2;
using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using Amazon.Runtime.Credentials;
using Amazon.SimpleSystemsManagement;
using Amazon.Util;
using Phoenix.Aws.AutoScaling;
using Phoenix.Aws.CloudFormation;
using Phoenix.Aws.CloudWatch;
using Phoenix.Aws.CodeBuild;
using Phoenix.Aws.ConfigService;
using Phoenix.Aws.ElasticLoadBalancingV2;
using Phoenix.Aws.Protocol;
using Phoenix.Aws.SecurityToken;
using Phoenix.Aws.SimpleNotificationService;
using Phoenix.Aws.StepFunctions;

namespace Phoenix.Aws;

/// <summary>
/// Where and as whom Phoenix calls AWS, resolved as the AWS CLI and SDKs do. Anything left null comes from
/// <see cref="Environment"/> (the process environment when null) and the shared config/credentials files, then the
/// container or instance role:
/// <list type="bullet">
/// <item>Region: <see cref="Region"/> (<c>--region</c>), AWS_REGION, AWS_DEFAULT_REGION, the profile's <c>region</c>,
/// the instance's region. <see cref="ResourceRegion"/> (the region of an ARN the calls are about) beats all but an
/// explicit <see cref="Region"/>, and an explicit one that differs from it is refused.</item>
/// <item>Profile: <see cref="Profile"/> (<c>--profile</c>), AWS_PROFILE, <c>default</c>. It supplies the credentials
/// (an explicit profile's only; otherwise environment credentials come first), region, <c>defaults_mode</c>,
/// <c>use_fips_endpoint</c>, <c>use_dualstack_endpoint</c>, <c>endpoint_url</c> and its <c>services</c> section.</item>
/// <item>Endpoint per service: <see cref="EndpointUrl"/> (<c>--endpoint-url</c>), AWS_ENDPOINT_URL_&lt;SERVICE_ID&gt;,
/// AWS_ENDPOINT_URL, the profile's services section, the profile's <c>endpoint_url</c>; all but the first are ignored
/// under AWS_IGNORE_CONFIGURED_ENDPOINT_URLS / <c>ignore_configured_endpoint_urls</c>.</item>
/// </list>
/// </summary>
public sealed record AwsClientSettings(
    string? Region = null,
    string? Profile = null,
    string? EndpointUrl = null,
    AWSCredentials? Credentials = null,
    int? MaxErrorRetry = null,
    string? ResourceRegion = null,
    Func<string, string?>? Environment = null);

/// <summary>
/// Builds every client Phoenix uses from one <see cref="AwsClientSettings"/>. Phoenix resolves the whole
/// configuration itself and hands every client explicit values: AWSSDK.Core 4.1.0 would otherwise read part of it
/// from AWS_PROFILE's profile instead of the selected one, cache it for the life of the process, refuse the documented
/// spellings <c>in-region</c>/<c>cross-region</c> of AWS_DEFAULTS_MODE, and skip a profile's <c>endpoint_url</c>
/// whenever the profile has a services section. Every configuration error is an <see cref="AwsConfigurationException"/>
/// naming the bad value and where it came from, raised before anything is sent.
/// </summary>
public sealed class AwsClientFactory
{
    private readonly AwsClientSettings _settings;
    private readonly Func<string, string?> _environment;
    private readonly Lazy<RegionEndpoint?> _instanceRegion;
    private readonly Lazy<AwsProfile> _profile;
    private readonly Lazy<AWSCredentials> _credentials;
    private readonly Lazy<RegionEndpoint> _region;
    private readonly Lazy<DefaultConfigurationMode> _defaultsMode;
    private readonly Lazy<bool> _useFips;
    private readonly Lazy<bool> _useDualStack;
    private readonly Lazy<bool> _ignoreConfiguredEndpoints;

    public AwsClientFactory(AwsClientSettings settings)
        : this(settings, () => EC2InstanceMetadata.Region)
    {
    }

    /// <param name="settings">What was configured.</param>
    /// <param name="instanceRegion">The region of the EC2 instance this runs on (instance metadata), asked only when nothing else names one.</param>
    internal AwsClientFactory(AwsClientSettings settings, Func<RegionEndpoint?> instanceRegion)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(instanceRegion);
        _settings = settings;
        _environment = settings.Environment ?? System.Environment.GetEnvironmentVariable;
        _instanceRegion = new Lazy<RegionEndpoint?>(instanceRegion);
        _profile = new Lazy<AwsProfile>(LoadProfile);
        _credentials = new Lazy<AWSCredentials>(ResolveCredentials);
        _region = new Lazy<RegionEndpoint>(ResolveRegion);
        _defaultsMode = new Lazy<DefaultConfigurationMode>(ResolveDefaultsMode);
        _useFips = new Lazy<bool>(() => Flag("AWS_USE_FIPS_ENDPOINT", "use_fips_endpoint"));
        _useDualStack = new Lazy<bool>(() => Flag("AWS_USE_DUALSTACK_ENDPOINT", "use_dualstack_endpoint"));
        _ignoreConfiguredEndpoints = new Lazy<bool>(() => Flag("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "ignore_configured_endpoint_urls"));
    }

    public RegionEndpoint Region => _region.Value;

    public AWSCredentials Credentials => _credentials.Value;

    /// <summary>The defaults mode every client uses, <c>auto</c> already resolved to in-region, cross-region or standard.</summary>
    public DefaultConfigurationMode DefaultsMode => _defaultsMode.Value;

    public bool UseFipsEndpoint => _useFips.Value;

    public bool UseDualStackEndpoint => _useDualStack.Value;

    public AmazonAutoScalingClient AutoScaling() => new(Credentials, Configure(new AwsServiceConfig(AmazonAutoScalingClient.Definition)));

    public AmazonElasticLoadBalancingV2Client ElasticLoadBalancingV2() =>
        new(Credentials, Configure(new AwsServiceConfig(AmazonElasticLoadBalancingV2Client.Definition)));

    public AmazonCloudWatchClient CloudWatch() => new(Credentials, Configure(new AwsServiceConfig(AmazonCloudWatchClient.Definition)));

    public AmazonSimpleNotificationServiceClient SimpleNotificationService() =>
        new(Credentials, Configure(new AwsServiceConfig(AmazonSimpleNotificationServiceClient.Definition)));

    public AmazonStepFunctionsClient StepFunctions() => new(Credentials, Configure(new AwsServiceConfig(AmazonStepFunctionsClient.Definition)));

    public AmazonConfigServiceClient ConfigService() => new(Credentials, Configure(new AwsServiceConfig(AmazonConfigServiceClient.Definition)));

    public AmazonCloudFormationClient CloudFormation() => new(Credentials, Configure(new AwsServiceConfig(AmazonCloudFormationClient.Definition)));

    public AmazonCodeBuildClient CodeBuild() => new(Credentials, Configure(new AwsServiceConfig(AmazonCodeBuildClient.Definition)));

    public AmazonSecurityTokenServiceClient SecurityTokenService() =>
        new(Credentials, Configure(new AwsServiceConfig(AmazonSecurityTokenServiceClient.Definition)));

    public AmazonEC2Client Ec2() => new(Credentials, Configure(new AmazonEC2Config()));

    public AmazonDynamoDBClient DynamoDb() => new(Credentials, Configure(new AmazonDynamoDBConfig()));

    public AmazonSimpleSystemsManagementClient SimpleSystemsManagement() => new(Credentials, Configure(new AmazonSimpleSystemsManagementConfig()));

    /// <summary>
    /// The custom endpoint calls to the service with this id (<c>SFN</c>, <c>Auto Scaling</c>, …) go to, or null for
    /// AWS's own endpoint of the region.
    /// </summary>
    public Uri? EndpointFor(string serviceId)
    {
        ArgumentNullException.ThrowIfNull(serviceId);
        if (_settings.EndpointUrl is { } explicitEndpoint)
        {
            return Url(explicitEndpoint, "--endpoint-url");
        }

        if (_ignoreConfiguredEndpoints.Value)
        {
            return null;
        }

        var variable = "AWS_ENDPOINT_URL_" + serviceId.ToUpperInvariant().Replace(' ', '_');
        var configKey = serviceId.ToLowerInvariant().Replace(' ', '_');
        var profile = _profile.Value;
        return Variable(variable) is { } specific ? Url(specific, variable)
            : Variable("AWS_ENDPOINT_URL") is { } global ? Url(global, "AWS_ENDPOINT_URL")
            : profile.ServiceSetting(configKey, "endpoint_url") is { } configured ? Url(configured, $"{configKey} endpoint_url in profile '{profile.Name}'")
            : profile["endpoint_url"] is { } profileGlobal ? Url(profileGlobal, $"endpoint_url in profile '{profile.Name}'")
            : null;
    }

    private T Configure<T>(T config)
        where T : ClientConfig
    {
        // Every source of an endpoint was consulted by EndpointFor: Core must not consult the process environment or
        // AWS_PROFILE's profile a second time.
        config.IgnoreConfiguredEndpointUrls = true;
        if (EndpointFor(config.ServiceId) is { } endpoint)
        {
            // Every official ruleset refuses these combinations; saying so here keeps the error out of the request path.
            if (UseFipsEndpoint || UseDualStackEndpoint)
            {
                throw new AwsConfigurationException(
                    $"{config.ServiceId}: Invalid Configuration: {(UseFipsEndpoint ? "FIPS" : "Dualstack")} and custom endpoint are not supported (endpoint {endpoint}).");
            }

            // ServiceURL and RegionEndpoint are exclusive in the SDK; the region still has to be signed for.
            config.ServiceURL = endpoint.ToString();
            config.AuthenticationRegion = Region.SystemName;
        }
        else
        {
            config.RegionEndpoint = Region;
        }

        config.UseFIPSEndpoint = UseFipsEndpoint;
        config.UseDualstackEndpoint = UseDualStackEndpoint;
        config.DefaultConfigurationMode = DefaultsMode;

        // The mode's connect and TLS negotiation timeouts are equal in every mode, and SocketsHttpHandler.ConnectTimeout
        // covers both the TCP connect and the TLS handshake. Core 4.1.0 defines the values but leaves ConnectTimeout unset.
        config.ConnectTimeout ??= AwsServiceConfig.DefaultConfigurations.First(c => c.Name == DefaultsMode).ConnectTimeout;
        config.ClientAppId = AwsServiceConfig.ApplicationId;
        if (_settings.MaxErrorRetry is { } retries)
        {
            config.MaxErrorRetry = retries;
        }

        if (config is AwsServiceConfig own)
        {
            // Resolved now so that a configuration the endpoint rules refuse fails here, not on the first call.
            _ = own.ResolveEndpoint();
        }

        return config;
    }

    private AwsProfile LoadProfile()
    {
        var name = _settings.Profile ?? Variable("AWS_PROFILE") ?? "default";
        var profile = AwsProfile.Load(name, _environment);
        if (!profile.Exists && (_settings.Profile is not null || Variable("AWS_PROFILE") is not null))
        {
            var from = _settings.Profile is null ? " (AWS_PROFILE)" : string.Empty;
            throw new AwsConfigurationException($"AWS profile '{name}'{from} was not found in the shared config or credentials file.");
        }

        return profile;
    }

    private AWSCredentials ResolveCredentials()
    {
        if (_settings.Credentials is { } explicitCredentials)
        {
            return explicitCredentials;
        }

        if (_settings.Profile is { } profile)
        {
            // As the AWS CLI: an explicitly named profile supplies the credentials, whatever the environment holds.
            var store = new CredentialProfileStoreChain(Variable("AWS_SHARED_CREDENTIALS_FILE"));
            return _profile.Value.Exists && store.TryGetAWSCredentials(profile, out var credentials)
                ? credentials
                : throw new AwsConfigurationException(_profile.Value.Exists
                    ? $"AWS profile '{profile}' has no usable credentials (access keys, role, SSO or credential process)."
                    : $"AWS profile '{profile}' was not found in the shared config or credentials file.");
        }

        if (Variable("AWS_ACCESS_KEY_ID") is { } accessKey && Variable("AWS_SECRET_ACCESS_KEY") is { } secretKey)
        {
            return Variable("AWS_SESSION_TOKEN") is { } token ? new SessionAWSCredentials(accessKey, secretKey, token) : new BasicAWSCredentials(accessKey, secretKey);
        }

        _ = _profile.Value;
        try
        {
            return DefaultAWSCredentialsIdentityResolver.GetCredentials();
        }
        catch (AmazonClientException ex)
        {
            throw new AwsConfigurationException(
                "No AWS credentials found: set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE or --profile, or run where a role is available.", ex);
        }
    }

    private RegionEndpoint ResolveRegion()
    {
        if (_settings.ResourceRegion is { } resourceRegion)
        {
            // The resource an ARN names lives in exactly one region, and any other region's endpoint answers that it
            // does not exist: its region beats the environment's and the profile's defaults (the AWS CLI would send the
            // call to the default region and fail). An explicit --region that contradicts the ARN is a mistake to report.
            var resource = AwsRegions.Resolve(resourceRegion, "from the ARN");
            if (_settings.Region is { } explicitRegion && explicitRegion != resourceRegion)
            {
                throw new AwsConfigurationException(
                    $"--region '{explicitRegion}' differs from the region of the ARN, '{resourceRegion}': the resource lives there; drop --region or use '{resourceRegion}'.");
            }

            return resource;
        }

        if (_settings.Region is { } region)
        {
            return AwsRegions.Resolve(region);
        }

        // AWS CLI v2 order: AWS_REGION, AWS_DEFAULT_REGION, then the profile.
        foreach (var variable in (string[])["AWS_REGION", "AWS_DEFAULT_REGION"])
        {
            if (Variable(variable) is { } fromEnvironment)
            {
                return AwsRegions.Resolve(fromEnvironment, $"from {variable}");
            }
        }

        var profile = _profile.Value;
        if (profile["region"] is { } fromProfile)
        {
            return AwsRegions.Resolve(fromProfile, $"from profile '{profile.Name}'");
        }

        return _instanceRegion.Value
            ?? throw new AwsConfigurationException("No AWS region configured: set AWS_REGION, a region in the profile, or --region.");
    }

    private DefaultConfigurationMode ResolveDefaultsMode()
    {
        var (value, source) = Variable("AWS_DEFAULTS_MODE") is { } fromEnvironment
            ? (fromEnvironment, "AWS_DEFAULTS_MODE")
            : (_profile.Value["defaults_mode"], $"defaults_mode in profile '{_profile.Value.Name}'");
        return value?.Trim().ToLowerInvariant() switch
        {
            null or "standard" => DefaultConfigurationMode.Standard,
            "in-region" or "inregion" => DefaultConfigurationMode.InRegion,
            "cross-region" or "crossregion" => DefaultConfigurationMode.CrossRegion,
            "mobile" => DefaultConfigurationMode.Mobile,
            "auto" => ResolveAutoMode(),

            // "legacy" meant each SDK's defaults from before defaults modes existed. AWS SDK for .NET v4 removed
            // DefaultConfigurationMode.Legacy (and RequestRetryMode.Legacy) and made Standard its default (aws-sdk-net
            // pull request 3235), so v4's pre-existing defaults are Standard's; Core 4.1.0's own provider would instead
            // fail with "Failed to find requested Default Configuration Mode 'legacy'", at the first request. The AWS CLI
            // accepts legacy (its default), so a config file shared with it must keep working here.
            "legacy" => DefaultConfigurationMode.Standard,
            _ => throw new AwsConfigurationException(
                $"{source} '{value}' is not a defaults mode: use standard, in-region, cross-region, mobile, auto or legacy."),
        };
    }

    /// <summary>
    /// What Core's DefaultConfigurationAutoModeResolver does: on AWS compute that says so (AWS_EXECUTION_ENV, as Lambda
    /// sets it) the environment's region is AWS_REGION (else AWS_DEFAULT_REGION), elsewhere the instance's region;
    /// same as the client's region: in-region, different: cross-region, unknown: standard. (Its mobile branch never
    /// applies to a server process.)
    /// </summary>
    private DefaultConfigurationMode ResolveAutoMode()
    {
        var environmentRegion = Variable("AWS_EXECUTION_ENV") is null ? null : Variable("AWS_REGION") ?? Variable("AWS_DEFAULT_REGION");
        environmentRegion ??= _instanceRegion.Value?.SystemName;
        return environmentRegion is null ? DefaultConfigurationMode.Standard
            : environmentRegion == Region.SystemName ? DefaultConfigurationMode.InRegion
            : DefaultConfigurationMode.CrossRegion;
    }

    /// <summary>A boolean setting: the environment variable, else the profile's key, else false.</summary>
    private bool Flag(string variable, string key)
    {
        var (value, source) = Variable(variable) is { } fromEnvironment ? (fromEnvironment, variable) : (_profile.Value[key], $"{key} in profile '{_profile.Value.Name}'");
        return value is null ? false
            : bool.TryParse(value.Trim(), out var flag) ? flag
            : throw new AwsConfigurationException($"{source} '{value}' is not true or false.");
    }

    private static Uri Url(string value, string source) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw new AwsConfigurationException($"{source} '{value}' is not an http(s) URL.");

    private string? Variable(string name) => _environment(name) is { Length: > 0 } value ? value : null;
}

/// <summary>Missing or invalid AWS configuration (region, profile, credentials): nothing was sent.</summary>
public sealed class AwsConfigurationException : Exception
{
    public AwsConfigurationException()
    {
    }

    public AwsConfigurationException(string message)
        : base(message)
    {
    }

    public AwsConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
