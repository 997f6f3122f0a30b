using Amazon;
using Amazon.DynamoDBv2;
using Amazon.EC2;
using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using Amazon.Runtime.Credentials;
using Amazon.SimpleSystemsManagement;
using Phoenix.Aws.AutoScaling;
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
/// Where and as whom Phoenix calls AWS. Anything left null comes from the standard chain (environment, shared
/// config/credentials files, container or instance role), as the AWS CLI does. <see cref="EndpointUrl"/> sends
/// every service to one endpoint (LocalStack, a test listener); AWS_ENDPOINT_URL[_&lt;SERVICE_ID&gt;] is honoured by
/// AWSSDK.Core when it is null.
/// </summary>
public sealed record AwsClientSettings(
    string? Region = null,
    string? Profile = null,
    string? EndpointUrl = null,
    AWSCredentials? Credentials = null,
    int? MaxErrorRetry = null);

/// <summary>Builds every client Phoenix uses from one <see cref="AwsClientSettings"/>.</summary>
public sealed class AwsClientFactory
{
    private readonly AwsClientSettings _settings;
    private readonly Lazy<AWSCredentials> _credentials;
    private readonly Lazy<RegionEndpoint> _region;

    public AwsClientFactory(AwsClientSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _settings = settings;
        _credentials = new Lazy<AWSCredentials>(ResolveCredentials);
        _region = new Lazy<RegionEndpoint>(ResolveRegion);
    }

    public RegionEndpoint Region => _region.Value;

    public AWSCredentials Credentials => _credentials.Value;

    public AmazonAutoScalingClient AutoScaling() => new(Credentials, Configure(new AwsServiceConfig(AmazonAutoScalingClient.Definition)));

    public AmazonElasticLoadBalancingV2Client ElasticLoadBalancingV2() =>
        new(Credentials, Configure(new AwsServiceConfig(AmazonElasticLoadBalancingV2Client.Definition)));

    public AmazonCloudWatchClient CloudWatch() => new(Credentials, Configure(new AwsServiceConfig(AmazonCloudWatchClient.Definition)));

    public AmazonSimpleNotificationServiceClient SimpleNotificationService() =>
        new(Credentials, Configure(new AwsServiceConfig(AmazonSimpleNotificationServiceClient.Definition)));

    public AmazonStepFunctionsClient StepFunctions() => new(Credentials, Configure(new AwsServiceConfig(AmazonStepFunctionsClient.Definition)));

    public AmazonConfigServiceClient ConfigService() => new(Credentials, Configure(new AwsServiceConfig(AmazonConfigServiceClient.Definition)));

    public AmazonCodeBuildClient CodeBuild() => new(Credentials, Configure(new AwsServiceConfig(AmazonCodeBuildClient.Definition)));

    public AmazonSecurityTokenServiceClient SecurityTokenService() =>
        new(Credentials, Configure(new AwsServiceConfig(AmazonSecurityTokenServiceClient.Definition)));

    public AmazonEC2Client Ec2() => new(Credentials, Configure(new AmazonEC2Config()));

    public AmazonDynamoDBClient DynamoDb() => new(Credentials, Configure(new AmazonDynamoDBConfig()));

    public AmazonSimpleSystemsManagementClient SimpleSystemsManagement() => new(Credentials, Configure(new AmazonSimpleSystemsManagementConfig()));

    private T Configure<T>(T config)
        where T : ClientConfig
    {
        if (_settings.EndpointUrl is { } endpoint)
        {
            // ServiceURL and RegionEndpoint are exclusive in the SDK; the region still has to be signed for.
            config.ServiceURL = endpoint;
            config.AuthenticationRegion = Region.SystemName;
        }
        else
        {
            config.RegionEndpoint = Region;
        }

        if (_settings.MaxErrorRetry is { } retries)
        {
            config.MaxErrorRetry = retries;
        }

        return config;
    }

    private AWSCredentials ResolveCredentials()
    {
        if (_settings.Credentials is { } explicitCredentials)
        {
            return explicitCredentials;
        }

        if (_settings.Profile is { } profile)
        {
            return new CredentialProfileStoreChain().TryGetAWSCredentials(profile, out var credentials)
                ? credentials
                : throw new AwsConfigurationException($"AWS profile '{profile}' was not found in the shared config or credentials file.");
        }

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
        var name = _settings.Region;
        if (name is null && _settings.Profile is { } profile && new CredentialProfileStoreChain().TryGetProfile(profile, out var stored))
        {
            name = stored.Region?.SystemName;
        }

        if (name is null)
        {
            return FallbackRegionFactory.GetRegionEndpoint(false)
                ?? throw new AwsConfigurationException("No AWS region configured: set AWS_REGION, a region in the profile, or --region.");
        }

        return RegionEndpoint.EnumerableAllRegions.FirstOrDefault(r => r.SystemName == name)
            ?? throw new AwsConfigurationException($"Unknown AWS region '{name}'.");
    }
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
