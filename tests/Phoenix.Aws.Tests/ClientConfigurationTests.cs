using System.Reflection;
using System.Text.Json;
using Amazon;
using Amazon.DynamoDBv2.Model;
using Amazon.EC2.Model;
using Amazon.Runtime;
using Amazon.Runtime.Endpoints;
using Microsoft.Extensions.DependencyInjection;
using Phoenix.Aws.AutoScaling;
using Phoenix.Aws.CloudWatch;
using Phoenix.Aws.CloudFormation;
using Phoenix.Aws.CodeBuild;
using Phoenix.Aws.ConfigService;
using Phoenix.Aws.ElasticLoadBalancingV2;
using Phoenix.Aws.Protocol;
using Phoenix.Aws.SimpleNotificationService;
using Phoenix.Aws.StepFunctions;
using Phoenix.Aws.StepFunctions.Model;
using Phoenix.Aws.Tests.Support;
using Phoenix.Core;

namespace Phoenix.Aws.Tests;

/// <summary>
/// Region, profile, endpoint, defaults mode, FIPS/dual-stack and User-Agent resolution, as the AWS CLI and the
/// official SDKs define them. Every factory here reads a private environment and private config files.
/// </summary>
public sealed class ClientConfigurationTests : IDisposable
{
    private const string Execution = "arn:aws:states:eu-west-1:123456789012:execution:phoenix-deploy:web-1";
    private static readonly BasicAWSCredentials TestCredentials = new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
    private static readonly AwsService[] Services =
    [
        AmazonAutoScalingClient.Definition, AmazonElasticLoadBalancingV2Client.Definition, AmazonCloudWatchClient.Definition,
        AmazonSimpleNotificationServiceClient.Definition, AmazonStepFunctionsClient.Definition, AmazonConfigServiceClient.Definition,
        AmazonCodeBuildClient.Definition, AmazonCloudFormationClient.Definition,
    ];

    private readonly List<IDisposable> _disposables = [];

    public void Dispose()
    {
        foreach (var disposable in _disposables)
        {
            disposable.Dispose();
        }
    }

    [Theory]
    [InlineData("standard", DefaultConfigurationMode.Standard, 3100)]
    [InlineData("in-region", DefaultConfigurationMode.InRegion, 1100)]
    [InlineData("cross-region", DefaultConfigurationMode.CrossRegion, 3100)]
    [InlineData("mobile", DefaultConfigurationMode.Mobile, 30000)]
    [InlineData("legacy", DefaultConfigurationMode.Standard, 3100)]
    [InlineData("InRegion", DefaultConfigurationMode.InRegion, 1100)]
    [InlineData("CROSS-REGION", DefaultConfigurationMode.CrossRegion, 3100)]
    public async Task DefaultsMode_FromEnvironment_EveryClientUsesItAndCallsSucceed(string value, DefaultConfigurationMode mode, int connectMilliseconds)
    {
        using var server = new LoopbackServer(_ => CannedResponse.Json("{\"status\":\"RUNNING\"}"));
        var factory = Factory(Files().With("AWS_DEFAULTS_MODE", value), new AwsClientSettings(Region: "eu-west-1", EndpointUrl: server.Url, Credentials: TestCredentials));

        using var stepFunctions = factory.StepFunctions();
        using var dynamoDb = factory.DynamoDb();
        using var ec2 = factory.Ec2();
        await AwsCallProbe.RunAsync(() => stepFunctions.DescribeExecutionAsync(new DescribeExecutionRequest { ExecutionArn = Execution }));

        Assert.Equal(mode, factory.DefaultsMode);
        Assert.All(new IClientConfig[] { stepFunctions.Config, dynamoDb.Config, ec2.Config }, config =>
        {
            Assert.Equal(mode, config.DefaultConfigurationMode);
            Assert.Equal(TimeSpan.FromMilliseconds(connectMilliseconds), config.ConnectTimeout);
            Assert.Equal(RequestRetryMode.Standard, config.RetryMode);
        });
        Assert.Single(server.Requests);
    }

    [Fact]
    public void DefaultsMode_FromSelectedProfile_BeatsDefaultProfile()
    {
        var files = Files(config: "[default]\ndefaults_mode = mobile\n[profile ops]\ndefaults_mode = cross-region\nregion = eu-west-1\n");

        var factory = Factory(files, new AwsClientSettings(Profile: "ops", Credentials: TestCredentials));

        Assert.Equal(DefaultConfigurationMode.CrossRegion, factory.DefaultsMode);
        Assert.Equal(DefaultConfigurationMode.Mobile, Factory(files, new AwsClientSettings(Credentials: TestCredentials, Region: "eu-west-1")).DefaultsMode);
    }

    [Theory]
    [InlineData("AWS_Lambda_dotnet", "eu-west-1", null, "eu-west-1", DefaultConfigurationMode.InRegion)]
    [InlineData("AWS_Lambda_dotnet", "eu-west-1", null, "us-east-1", DefaultConfigurationMode.CrossRegion)]
    [InlineData(null, "eu-west-1", null, "eu-west-1", DefaultConfigurationMode.Standard)]
    [InlineData(null, null, "us-east-1", "us-east-1", DefaultConfigurationMode.InRegion)]
    [InlineData(null, null, "us-east-1", "eu-west-1", DefaultConfigurationMode.CrossRegion)]
    public void DefaultsMode_Auto_ComparesTheEnvironmentRegionWithTheClientRegion(
        string? executionEnvironment, string? awsRegion, string? instanceRegion, string clientRegion, DefaultConfigurationMode expected)
    {
        var files = Files().With("AWS_DEFAULTS_MODE", "auto");
        if (executionEnvironment is not null)
        {
            files.With("AWS_EXECUTION_ENV", executionEnvironment);
        }

        if (awsRegion is not null)
        {
            files.With("AWS_REGION", awsRegion);
        }

        var factory = new AwsClientFactory(
            new AwsClientSettings(Region: clientRegion, Credentials: TestCredentials, Environment: files.Environment),
            () => instanceRegion is null ? null : RegionEndpoint.GetBySystemName(instanceRegion));

        Assert.Equal(expected, factory.DefaultsMode);
        using var client = factory.StepFunctions();
        Assert.Equal(expected, client.Config.DefaultConfigurationMode);
    }

    [Fact]
    public async Task DefaultsMode_Unknown_IsAConfigurationErrorNotATransientFailure()
    {
        using var server = new LoopbackServer(TestClients.EmptySuccess);
        var factory = Factory(Files().With("AWS_DEFAULTS_MODE", "fast"), new AwsClientSettings(Region: "eu-west-1", EndpointUrl: server.Url, Credentials: TestCredentials));

        var error = await Assert.ThrowsAsync<AwsConfigurationException>(() =>
            AwsCallProbe.RunAsync(() => factory.StepFunctions().DescribeExecutionAsync(new DescribeExecutionRequest { ExecutionArn = Execution })));

        Assert.Equal("AWS_DEFAULTS_MODE 'fast' is not a defaults mode: use standard, in-region, cross-region, mobile, auto or legacy.", error.Message);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public void DefaultsMode_UnknownInProfile_NamesTheProfile()
    {
        var files = Files(config: "[profile ops]\ndefaults_mode = turbo\n");

        var error = Assert.Throws<AwsConfigurationException>(() => Factory(files, new AwsClientSettings(Profile: "ops", Region: "eu-west-1", Credentials: TestCredentials)).DynamoDb());

        Assert.StartsWith("defaults_mode in profile 'ops' 'turbo' is not a defaults mode", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("eu-central-1", "eu-west-1", "eu-west-2", "eu-west-3", "eu-central-1")]
    [InlineData(null, "eu-west-1", "eu-west-2", "eu-west-3", "eu-west-1")]
    [InlineData(null, null, "eu-west-2", "eu-west-3", "eu-west-2")]
    [InlineData(null, null, null, "eu-west-3", "eu-west-3")]
    public void Region_Precedence_IsTheAwsClis(string? explicitRegion, string? awsRegion, string? awsDefaultRegion, string profileRegion, string expected)
    {
        var files = Files(config: $"[default]\nregion = {profileRegion}\n");
        if (awsRegion is not null)
        {
            files.With("AWS_REGION", awsRegion);
        }

        if (awsDefaultRegion is not null)
        {
            files.With("AWS_DEFAULT_REGION", awsDefaultRegion);
        }

        Assert.Equal(expected, Factory(files, new AwsClientSettings(Region: explicitRegion, Credentials: TestCredentials)).Region.SystemName);
    }

    [Fact]
    public void Region_NothingConfigured_FallsBackToTheInstanceThenRefuses()
    {
        var files = Files();

        var onInstance = new AwsClientFactory(new AwsClientSettings(Credentials: TestCredentials, Environment: files.Environment), () => RegionEndpoint.APSoutheast2);
        var nowhere = new AwsClientFactory(new AwsClientSettings(Credentials: TestCredentials, Environment: files.Environment), () => null);

        Assert.Equal("ap-southeast-2", onInstance.Region.SystemName);
        Assert.Equal("No AWS region configured: set AWS_REGION, a region in the profile, or --region.", Assert.Throws<AwsConfigurationException>(() => nowhere.Region).Message);
    }

    [Fact]
    public void Region_OfTheResource_BeatsEnvironmentAndProfile()
    {
        var files = Files(config: "[default]\nregion = eu-west-3\n").With("AWS_REGION", "eu-west-1");

        var factory = Factory(files, new AwsClientSettings(ResourceRegion: "ap-northeast-1", Credentials: TestCredentials));
        var agreeing = Factory(files, new AwsClientSettings(Region: "ap-northeast-1", ResourceRegion: "ap-northeast-1", Credentials: TestCredentials));

        Assert.Equal("ap-northeast-1", factory.Region.SystemName);
        Assert.Equal("ap-northeast-1", agreeing.Region.SystemName);
        using var client = factory.StepFunctions();
        Assert.Equal("https://states.ap-northeast-1.amazonaws.com/", Resolved(client.Config));
    }

    [Fact]
    public void Region_ExplicitAgainstTheResource_IsRefusedNamingBoth()
    {
        var factory = Factory(Files(), new AwsClientSettings(Region: "us-east-1", ResourceRegion: "eu-west-1", Credentials: TestCredentials));

        var error = Assert.Throws<AwsConfigurationException>(() => factory.Region);

        Assert.Equal("--region 'us-east-1' differs from the region of the ARN, 'eu-west-1': the resource lives there; drop --region or use 'eu-west-1'.", error.Message);
    }

    [Theory]
    [InlineData("ap-southeast-9", "amazonaws.com")]
    [InlineData("eusc-de-west-1", "amazonaws.eu")]
    [InlineData("us-isob-north-1", "sc2s.sgov.gov")]
    [InlineData("us-gov-central-1", "amazonaws.com")]
    [InlineData("cn-southwest-1", "amazonaws.com.cn")]
    public void Region_NewerThanTheSdk_ResolvesThroughItsPartition(string region, string dnsSuffix)
    {
        Assert.DoesNotContain(RegionEndpoint.EnumerableAllRegions, r => r.SystemName == region);

        var factory = Factory(Files().With("AWS_REGION", region), new AwsClientSettings(Credentials: TestCredentials));

        Assert.Equal(region, factory.Region.SystemName);
        using var stepFunctions = factory.StepFunctions();
        Assert.Equal($"https://states.{region}.{dnsSuffix}/", Resolved(stepFunctions.Config));
        using var ec2 = factory.Ec2();
        Assert.Equal($"https://ec2.{region}.{dnsSuffix}/", ec2.Config.DetermineServiceOperationEndpoint(new ServiceOperationEndpointParameters(new DescribeInstancesRequest())).URL);
    }

    [Theory]
    [InlineData("mars-1")]
    [InlineData("us-east-1 ")]
    [InlineData("us-east-1\n")]
    [InlineData("US-EAST-1")]
    [InlineData("useast1")]
    [InlineData("us_east_1")]
    public void Region_IllFormedOrOfNoPartition_IsRefusedNamingItAndItsSource(string region)
    {
        Assert.Null(AwsRegions.Find(region));

        var error = Assert.Throws<AwsConfigurationException>(() => Factory(Files().With("AWS_REGION", region), new AwsClientSettings(Credentials: TestCredentials)).Region);

        Assert.Equal($"Unknown AWS region '{region}' (from AWS_REGION).", error.Message);
    }

    [Fact]
    public void Profile_Selected_SuppliesCredentialsRegionAndEndpoints()
    {
        var files = Files(
            config: "[default]\nregion = us-east-1\n\n[profile staging]\nregion = eu-west-2\nendpoint_url = http://127.0.0.1:4566\nservices = staging-services\n\n" +
                    "[services staging-services]\nsfn =\n  endpoint_url = http://127.0.0.1:8083\ndynamodb =\n  endpoint_url = http://127.0.0.1:8000\n",
            credentials: "[default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = default-secret\n\n[staging]\naws_access_key_id = AKIDSTAGING\naws_secret_access_key = staging-secret\n")
            .With("AWS_ACCESS_KEY_ID", "AKIDFROMENV").With("AWS_SECRET_ACCESS_KEY", "env-secret");

        var factory = Factory(files, new AwsClientSettings(Profile: "staging"));

        Assert.Equal("AKIDSTAGING", factory.Credentials.GetCredentials().AccessKey);
        Assert.Equal("eu-west-2", factory.Region.SystemName);
        using var stepFunctions = factory.StepFunctions();
        using var dynamoDb = factory.DynamoDb();
        using var autoScaling = factory.AutoScaling();
        Assert.Equal("http://127.0.0.1:8083/", stepFunctions.Config.ServiceURL);
        Assert.Equal("http://127.0.0.1:8000/", dynamoDb.Config.ServiceURL);

        // A service the services section does not name falls back to the profile's endpoint_url (the SDKs' rule;
        // AWSSDK.Core 4.1.0 skips endpoint_url whenever a services section exists).
        Assert.Equal("http://127.0.0.1:4566/", autoScaling.Config.ServiceURL);
        Assert.Equal("eu-west-2", autoScaling.Config.AuthenticationRegion);
    }

    [Fact]
    public void Profile_FromAwsProfileVariable_IsUsedAndEnvironmentCredentialsComeFirst()
    {
        var files = Files(
            config: "[profile ci]\nregion = ap-south-1\n",
            credentials: "[ci]\naws_access_key_id = AKIDCI\naws_secret_access_key = ci-secret\n")
            .With("AWS_PROFILE", "ci").With("AWS_ACCESS_KEY_ID", "AKIDFROMENV").With("AWS_SECRET_ACCESS_KEY", "env-secret");

        var factory = Factory(files, new AwsClientSettings());

        Assert.Equal("ap-south-1", factory.Region.SystemName);
        Assert.Equal("AKIDFROMENV", factory.Credentials.GetCredentials().AccessKey);
    }

    [Theory]
    [InlineData(true, "AWS profile 'nightly' was not found in the shared config or credentials file.")]
    [InlineData(false, "AWS profile 'nightly' (AWS_PROFILE) was not found in the shared config or credentials file.")]
    public void Profile_Missing_IsRefusedNamingIt(bool explicitProfile, string message)
    {
        var files = Files(config: "[profile other]\nregion = eu-west-1\n");
        var settings = explicitProfile ? new AwsClientSettings(Profile: "nightly") : new AwsClientSettings();
        if (!explicitProfile)
        {
            files.With("AWS_PROFILE", "nightly");
        }

        var error = Assert.Throws<AwsConfigurationException>(() => Factory(files, settings).StepFunctions());

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Profile_ServicesSectionMissing_IsRefusedNamingIt()
    {
        var files = Files(config: "[profile dev]\nregion = eu-west-1\nservices = nowhere\n");

        var error = Assert.Throws<AwsConfigurationException>(() => Factory(files, new AwsClientSettings(Profile: "dev", Credentials: TestCredentials)).StepFunctions());

        Assert.Equal($"AWS profile 'dev' names services section 'nowhere', which is not in {files.ConfigPath}.", error.Message);
    }

    [Fact]
    public void Endpoint_ServiceSpecificVariable_BeatsGlobalForEveryClient()
    {
        var files = Files().With("AWS_REGION", "eu-west-1").With("AWS_ENDPOINT_URL", "http://127.0.0.1:1/");
        string[] variables =
        [
            "AWS_ENDPOINT_URL_AUTO_SCALING", "AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2", "AWS_ENDPOINT_URL_CLOUDWATCH", "AWS_ENDPOINT_URL_SNS",
            "AWS_ENDPOINT_URL_SFN", "AWS_ENDPOINT_URL_CONFIG_SERVICE", "AWS_ENDPOINT_URL_CODEBUILD", "AWS_ENDPOINT_URL_EC2", "AWS_ENDPOINT_URL_DYNAMODB",
            "AWS_ENDPOINT_URL_SSM",
        ];
        for (var i = 0; i < variables.Length; i++)
        {
            files.With(variables[i], $"http://127.0.0.1:{9000 + i}/");
        }

        var factory = Factory(files, new AwsClientSettings(Credentials: TestCredentials));
        using var autoScaling = factory.AutoScaling();
        using var loadBalancing = factory.ElasticLoadBalancingV2();
        using var cloudWatch = factory.CloudWatch();
        using var sns = factory.SimpleNotificationService();
        using var stepFunctions = factory.StepFunctions();
        using var configService = factory.ConfigService();
        using var codeBuild = factory.CodeBuild();
        using var ec2 = factory.Ec2();
        using var dynamoDb = factory.DynamoDb();
        using var ssm = factory.SimpleSystemsManagement();
        IClientConfig[] configs =
            [autoScaling.Config, loadBalancing.Config, cloudWatch.Config, sns.Config, stepFunctions.Config, configService.Config, codeBuild.Config, ec2.Config, dynamoDb.Config, ssm.Config];

        Assert.Equal(Enumerable.Range(9000, variables.Length).Select(p => $"http://127.0.0.1:{p}/"), configs.Select(c => c.ServiceURL));
        Assert.All(configs, c => Assert.Equal("eu-west-1", c.AuthenticationRegion));
    }

    [Theory]
    [InlineData(null, null, false, "http://127.0.0.1:7001/", "http://127.0.0.1:7002/")]
    [InlineData("http://127.0.0.1:7100/", null, false, "http://127.0.0.1:7100/", "http://127.0.0.1:7100/")]
    [InlineData(null, "http://127.0.0.1:7200/", false, "http://127.0.0.1:7001/", "http://127.0.0.1:7200/")]
    [InlineData(null, null, true, null, null)]
    [InlineData("http://127.0.0.1:7100/", null, true, null, null)]
    public void Endpoint_Precedence_IsTheSdksServiceSpecificEndpointsRule(
        string? globalVariable, string? sfnVariable, bool ignoreInProfile, string? expectedDynamoDb, string? expectedStepFunctions)
    {
        var files = Files(
            config: "[default]\nregion = eu-west-1\nendpoint_url = http://127.0.0.1:7001\nservices = local\n" + (ignoreInProfile ? "ignore_configured_endpoint_urls = true\n" : string.Empty) +
                    "[services local]\nsfn =\n  endpoint_url = http://127.0.0.1:7002\n");
        if (globalVariable is not null)
        {
            files.With("AWS_ENDPOINT_URL", globalVariable);
        }

        if (sfnVariable is not null)
        {
            files.With("AWS_ENDPOINT_URL_SFN", sfnVariable);
        }

        var factory = Factory(files, new AwsClientSettings(Credentials: TestCredentials));
        using var dynamoDb = factory.DynamoDb();
        using var stepFunctions = factory.StepFunctions();

        Assert.Equal((expectedDynamoDb, expectedStepFunctions), (dynamoDb.Config.ServiceURL, stepFunctions.Config.ServiceURL));
        if (expectedStepFunctions is null)
        {
            Assert.Equal("https://states.eu-west-1.amazonaws.com/", Resolved(stepFunctions.Config));
        }
    }

    [Theory]
    [InlineData("true", null)]
    [InlineData("TRUE", null)]
    [InlineData("false", "http://127.0.0.1:7300/")]
    public void Endpoint_IgnoreVariable_DropsEnvironmentAndProfileEndpointsButNotTheExplicitOne(string ignore, string? expected)
    {
        var files = Files(config: "[default]\nendpoint_url = http://127.0.0.1:7001\n")
            .With("AWS_REGION", "eu-west-1").With("AWS_ENDPOINT_URL", "http://127.0.0.1:7300").With("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", ignore);

        using var configured = Factory(files, new AwsClientSettings(Credentials: TestCredentials)).Ec2();
        using var explicitly = Factory(files, new AwsClientSettings(EndpointUrl: "http://127.0.0.1:7400", Credentials: TestCredentials)).Ec2();

        Assert.Equal(expected, configured.Config.ServiceURL);
        Assert.Equal("http://127.0.0.1:7400/", explicitly.Config.ServiceURL);
    }

    [Theory]
    [InlineData("AWS_ENDPOINT_URL_SFN", "localhost:4566")]
    [InlineData("AWS_ENDPOINT_URL", "ftp://127.0.0.1/")]
    [InlineData("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "yes")]
    [InlineData("AWS_USE_FIPS_ENDPOINT", "1")]
    public void Endpoint_MalformedSetting_IsRefusedNamingTheVariable(string variable, string value)
    {
        var files = Files().With("AWS_REGION", "eu-west-1").With(variable, value);

        var error = Assert.Throws<AwsConfigurationException>(() => Factory(files, new AwsClientSettings(Credentials: TestCredentials)).StepFunctions());

        Assert.StartsWith($"{variable} '{value}' is not ", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("AWS_USE_FIPS_ENDPOINT", "us-gov-west-1", "https://states.us-gov-west-1.amazonaws.com/", "https://dynamodb.us-gov-west-1.amazonaws.com/")]
    [InlineData("AWS_USE_FIPS_ENDPOINT", "us-east-2", "https://states-fips.us-east-2.amazonaws.com/", "https://dynamodb-fips.us-east-2.amazonaws.com/")]
    [InlineData("AWS_USE_DUALSTACK_ENDPOINT", "eu-west-1", "https://states.eu-west-1.api.aws/", "https://dynamodb.eu-west-1.api.aws/")]
    public void Fips_OrDualStack_FromEnvironment_FollowTheOfficialRules(string variable, string region, string stepFunctions, string dynamoDb)
    {
        var factory = Factory(Files().With("AWS_REGION", region).With(variable, "true"), new AwsClientSettings(Credentials: TestCredentials));

        using var sfn = factory.StepFunctions();
        using var ddb = factory.DynamoDb();

        Assert.Equal(stepFunctions, Resolved(sfn.Config));
        Assert.Equal(dynamoDb, ddb.Config.DetermineServiceOperationEndpoint(new ServiceOperationEndpointParameters(new ListTablesRequest())).URL);
    }

    [Fact]
    public void Fips_FromSelectedProfile_AppliesToEveryClient()
    {
        var files = Files(config: "[profile gov]\nregion = us-gov-east-1\nuse_fips_endpoint = true\nuse_dualstack_endpoint = true\n");

        var factory = Factory(files, new AwsClientSettings(Profile: "gov", Credentials: TestCredentials));
        using var cloudWatch = factory.CloudWatch();
        using var codeBuild = factory.CodeBuild();
        using var ssm = factory.SimpleSystemsManagement();

        Assert.Equal("https://monitoring.us-gov-east-1.api.aws/", Resolved(cloudWatch.Config));
        Assert.Equal("https://codebuild-fips.us-gov-east-1.api.aws/", Resolved(codeBuild.Config));
        Assert.True(ssm.Config.UseFIPSEndpoint && ssm.Config.UseDualstackEndpoint);
    }

    [Theory]
    [InlineData("AWS_USE_FIPS_ENDPOINT", "SFN: Invalid Configuration: FIPS and custom endpoint are not supported (endpoint http://127.0.0.1:4566/).")]
    [InlineData("AWS_USE_DUALSTACK_ENDPOINT", "SFN: Invalid Configuration: Dualstack and custom endpoint are not supported (endpoint http://127.0.0.1:4566/).")]
    public void Fips_WithCustomEndpoint_IsRefusedAsTheOfficialRulesDo(string variable, string message)
    {
        var factory = Factory(Files().With("AWS_REGION", "eu-west-1").With(variable, "true"), new AwsClientSettings(EndpointUrl: "http://127.0.0.1:4566", Credentials: TestCredentials));

        Assert.Equal(message, Assert.Throws<AwsConfigurationException>(() => factory.StepFunctions()).Message);
        Assert.StartsWith("DynamoDB: Invalid Configuration:", Assert.Throws<AwsConfigurationException>(() => factory.DynamoDb()).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddPhoenixAws_EnvironmentOnly_AsTheLambdaHostBuildsIt_HonoursServiceSpecificEndpoints()
    {
        var files = Files().With("AWS_REGION", "eu-west-1").With("AWS_ACCESS_KEY_ID", "AKIDLAMBDA").With("AWS_SECRET_ACCESS_KEY", "lambda-secret")
            .With("AWS_SESSION_TOKEN", "token").With("AWS_ENDPOINT_URL", "http://127.0.0.1:7500").With("AWS_ENDPOINT_URL_SFN", "http://127.0.0.1:7501");

        using var provider = new ServiceCollection()
            .AddPhoenixAws(new AwsClientSettings(Environment: files.Environment), new PhoenixAwsOptions("phoenix"))
            .BuildServiceProvider();
        var factory = provider.GetRequiredService<AwsClientFactory>();
        using var stepFunctions = factory.StepFunctions();
        using var autoScaling = factory.AutoScaling();

        Assert.Equal(("http://127.0.0.1:7501/", "http://127.0.0.1:7500/"), (stepFunctions.Config.ServiceURL, autoScaling.Config.ServiceURL));
        Assert.Equal(("AKIDLAMBDA", "token"), (factory.Credentials.GetCredentials().AccessKey, factory.Credentials.GetCredentials().Token));
    }

    /// <summary>
    /// Fixtures/Endpoints/official.json holds what the official JS SDK clients' endpoint rulesets resolve (recorded by
    /// wire/endpoints.mjs) for every service, for regions of every partition, some newer than AWSSDK.Core, with and
    /// without FIPS and dual-stack, and with a custom endpoint.
    /// </summary>
    [Fact]
    public void EndpointRules_EveryServicePartitionFipsAndDualStack_MatchTheOfficialSdk()
    {
        using var fixture = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Endpoints", "official.json")));
        var cases = fixture.RootElement.EnumerateArray().ToList();
        var mismatches = new List<string>();
        foreach (var entry in cases)
        {
            var serviceId = entry.GetProperty("serviceId").GetString()!;
            var region = entry.GetProperty("region").GetString()!;
            var endpoint = entry.GetProperty("endpoint").GetString();
            var config = new AwsServiceConfig(Services.Single(s => s.ServiceId == serviceId))
            {
                UseFIPSEndpoint = entry.GetProperty("fips").GetBoolean(),
                UseDualstackEndpoint = entry.GetProperty("dualStack").GetBoolean(),
            };
            if (endpoint is null)
            {
                config.RegionEndpoint = AwsRegions.Find(region) ?? throw new InvalidOperationException($"{region} did not resolve");
            }
            else
            {
                config.ServiceURL = endpoint;
                config.AuthenticationRegion = region;
            }

            string actual;
            try
            {
                actual = config.ResolveEndpoint().ToString();
            }
            catch (AwsConfigurationException ex)
            {
                actual = "error: " + ex.Message;
            }

            var expected = entry.TryGetProperty("url", out var url) ? url.GetString()! : $"error: {serviceId}: {entry.GetProperty("error").GetString()}.";
            if (actual != expected)
            {
                mismatches.Add($"{serviceId} {region} fips={config.UseFIPSEndpoint} dualStack={config.UseDualstackEndpoint} endpoint={endpoint}: expected {expected}, got {actual}");
            }
        }

        Assert.True(cases.Count >= 7 * 14 * 4, $"only {cases.Count} recorded endpoints");
        Assert.Empty(mismatches);
    }

    [Fact]
    public async Task UserAgent_EveryClient_CarriesAppPhoenixAndTheRealCoreVersion()
    {
        using var server = new LoopbackServer(TestClients.EmptySuccess);
        var factory = TestClients.Factory(server);
        var coreVersion = typeof(ClientConfig).Assembly.GetCustomAttribute<AssemblyFileVersionAttribute>()!.Version;

        using var stepFunctions = factory.StepFunctions();
        using var autoScaling = factory.AutoScaling();
        using var dynamoDb = factory.DynamoDb();
        await stepFunctions.DescribeExecutionAsync(new DescribeExecutionRequest { ExecutionArn = Execution });
        await autoScaling.DescribeAutoScalingGroupsAsync(new AutoScaling.Model.DescribeAutoScalingGroupsRequest());
        await dynamoDb.ListTablesAsync(new ListTablesRequest());

        var agents = server.Requests.Select(r => r.Header("User-Agent") ?? string.Empty).ToList();
        Assert.Equal(3, agents.Count);
        Assert.All(agents, agent => Assert.Contains(" app/phoenix", agent, StringComparison.Ordinal));
        Assert.All(agents, agent => Assert.Contains($" md/aws-sdk-dotnet-core#{coreVersion}", agent, StringComparison.Ordinal));
        Assert.StartsWith($"aws-sdk-dotnet-coreclr/{coreVersion} ", agents[0], StringComparison.Ordinal);
        Assert.Contains($" api/SFN#{coreVersion}", agents[0], StringComparison.Ordinal);

        // The generated clients put the service id in verbatim, space included (AWSSDK.AutoScaling: "Auto Scaling").
        Assert.Contains($" api/Auto Scaling#{coreVersion}", agents[1], StringComparison.Ordinal);
        Assert.Contains(" api/DynamoDB#", agents[2], StringComparison.Ordinal);
    }

    private AwsConfigFiles Files(string config = "", string credentials = "")
    {
        var files = new AwsConfigFiles(config, credentials);
        _disposables.Add(files);
        return files;
    }

    private static string Resolved(IClientConfig config) => ((AwsServiceConfig)config).ResolveEndpoint().ToString();

    private static AwsClientFactory Factory(AwsConfigFiles files, AwsClientSettings settings) =>
        new(settings with { Environment = files.Environment }, () => null);
}

/// <summary>The process environment is shared by every test: these run alone.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessEnvironmentTests
{
    public const string Name = "process-environment";
}

[Collection(ProcessEnvironmentTests.Name)]
public sealed class ProcessEnvironmentConfigurationTests
{
    [Theory]
    [InlineData("cross-region")]
    [InlineData("in-region")]
    [InlineData("mobile")]
    [InlineData("legacy")]
    public async Task DefaultsMode_InProcessEnvironment_CallSucceeds(string mode)
    {
        var saved = Environment.GetEnvironmentVariable("AWS_DEFAULTS_MODE");
        Environment.SetEnvironmentVariable("AWS_DEFAULTS_MODE", mode);
        try
        {
            using var server = new LoopbackServer(_ => CannedResponse.Json("{\"status\":\"SUCCEEDED\"}"));
            using var client = TestClients.Factory(server).StepFunctions();

            await AwsCallProbe.RunAsync(() => client.DescribeExecutionAsync(new DescribeExecutionRequest { ExecutionArn = "arn:aws:states:us-east-1:123456789012:execution:sm:x" }));

            Assert.Single(server.Requests);
        }
        catch (TransientFailure ex)
        {
            Assert.Fail($"AWS_DEFAULTS_MODE={mode} was reported as a transient failure: {ex.Message}");
        }
        finally
        {
            Environment.SetEnvironmentVariable("AWS_DEFAULTS_MODE", saved);
        }
    }
}
