using System.CommandLine;
using System.Text.RegularExpressions;

namespace Phoenix.Cli.Tests.Aws;

/// <summary>
/// The CLI's AWS configuration as the AWS CLI resolves it (region, profile, endpoints, defaults mode, FIPS), and every
/// configuration error as exit 2 with one line naming the bad value.
/// </summary>
[Collection(AwsCliTests.Name)]
public sealed class AwsConfigurationCliTests : IDisposable
{
    private const string Execution = "arn:aws:states:us-east-1:123456789012:execution:phoenix-deploy:web-20260101T000000Z";
    private const string Described =
        "{\"executionArn\":\"arn:aws:states:us-east-1:123456789012:execution:phoenix-deploy:web-20260101T000000Z\",\"stateMachineArn\":\"arn:aws:states:us-east-1:123456789012:stateMachine:phoenix-deploy\"," +
        "\"name\":\"web-20260101T000000Z\",\"status\":\"RUNNING\",\"startDate\":1767225600}";

    private readonly AwsCliEnvironment _environment = new();
    private readonly FakeAwsEndpoint _aws = new();
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"phoenix-cli-aws-{Guid.NewGuid():N}");

    public AwsConfigurationCliTests()
    {
        _aws.On("AWSStepFunctions.DescribeExecution", Described).On("AWSStepFunctions.GetExecutionHistory", "{\"events\":[]}");
        Directory.CreateDirectory(_directory);
    }

    public void Dispose()
    {
        _aws.Dispose();
        _environment.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Theory]
    [InlineData("standard")]
    [InlineData("in-region")]
    [InlineData("cross-region")]
    [InlineData("mobile")]
    [InlineData("auto")]
    [InlineData("legacy")]
    public async Task Status_EveryDefaultsMode_Succeeds(string mode)
    {
        Environment.SetEnvironmentVariable("AWS_DEFAULTS_MODE", mode);

        var (exit, output, error) = await RunAsync("status", Execution, "--endpoint-url", _aws.Url);

        Assert.Equal((0, string.Empty), (exit, error));
        Assert.Contains("RUNNING", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_UnknownDefaultsMode_ExitsTwoNamingIt()
    {
        Environment.SetEnvironmentVariable("AWS_DEFAULTS_MODE", "fast");

        var (exit, _, error) = await RunAsync("status", Execution, "--endpoint-url", _aws.Url);

        Assert.Equal(2, exit);
        Assert.Equal("phoenix status: AWS_DEFAULTS_MODE 'fast' is not a defaults mode: use standard, in-region, cross-region, mobile, auto or legacy.", error.Trim());
        Assert.Empty(_aws.Calls);
    }

    [Theory]
    [InlineData("ap-southeast-9")]
    [InlineData("eusc-de-west-1")]
    public async Task Status_ArnInRegionNewerThanTheSdk_SignsForIt(string region)
    {
        var (exit, _, error) = await RunAsync("status", Execution.Replace("us-east-1", region, StringComparison.Ordinal), "--endpoint-url", _aws.Url);

        Assert.Equal((0, string.Empty), (exit, error));
        Assert.All(_aws.Authorizations, a => Assert.Contains($"/{region}/states/aws4_request", a, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("us-east-1 ")]
    [InlineData("mars-1")]
    [InlineData("US-EAST-1")]
    public async Task Status_IllFormedRegion_ExitsTwoNamingIt(string region)
    {
        var (exit, _, error) = await RunAsync("status", Execution, "--region", region, "--endpoint-url", _aws.Url);

        Assert.Equal(2, exit);
        Assert.Equal($"phoenix status: --region: expected an AWS region (e.g. us-east-1), got '{region}'.", error.TrimEnd('\n', '\r'));
        Assert.Empty(_aws.Calls);
    }

    [Fact]
    public async Task Status_RegionFromEnvironment_YieldsToTheArnsRegion()
    {
        Environment.SetEnvironmentVariable("AWS_REGION", "eu-west-1");

        var (exit, _, _) = await RunAsync("status", Execution, "--endpoint-url", _aws.Url);

        Assert.Equal(0, exit);
        Assert.All(_aws.Authorizations, a => Assert.Contains("/us-east-1/states/aws4_request", a, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Status_RegionContradictingTheArn_ExitsTwoNamingBoth()
    {
        var (exit, _, error) = await RunAsync("status", Execution, "--region", "eu-west-1", "--endpoint-url", _aws.Url);

        Assert.Equal(2, exit);
        Assert.Equal("phoenix status: --region 'eu-west-1' differs from the region of the ARN, 'us-east-1': the resource lives there; drop --region or use 'us-east-1'.", error.Trim());
        Assert.Empty(_aws.Calls);
    }

    [Theory]
    [InlineData("ca-central-1", "eu-west-1", "eu-west-2", "ca-central-1")]
    [InlineData(null, "eu-west-1", "eu-west-2", "eu-west-1")]
    [InlineData(null, null, "eu-west-2", "eu-west-2")]
    [InlineData(null, null, null, "eu-west-3")]
    public async Task Approve_RegionPrecedence_IsTheAwsClis(string? option, string? awsRegion, string? awsDefaultRegion, string expected)
    {
        WriteConfig("[default]\nregion = eu-west-3\n", string.Empty);
        Environment.SetEnvironmentVariable("AWS_REGION", awsRegion);
        Environment.SetEnvironmentVariable("AWS_DEFAULT_REGION", awsDefaultRegion);
        _aws.On("AWSStepFunctions.SendTaskSuccess", "{}");
        string[] region = option is null ? [] : ["--region", option];

        var (exit, _, error) = await RunAsync(["approve", "AQCEAAAAKgAAAA", .. region, "--endpoint-url", _aws.Url]);

        Assert.Equal((0, string.Empty), (exit, error));
        // approve asks STS who the caller is, then answers Step Functions: both in the region the precedence picks.
        Assert.Equal([$"/{expected}/sts/aws4_request", $"/{expected}/states/aws4_request"], _aws.Authorizations.Select(a => Regex.Match(a, @"/[a-z0-9-]+/[a-z]+/aws4_request").Value));
    }

    [Fact]
    public async Task Status_ProfileWithServicesSection_UsesItsCredentialsAndStepFunctionsEndpoint()
    {
        WriteConfig(
            $"[profile staging]\nregion = us-east-1\nservices = staging-endpoints\n\n[services staging-endpoints]\nsfn =\n  endpoint_url = {_aws.Url}\n",
            "[staging]\naws_access_key_id = AKIDSTAGING\naws_secret_access_key = staging-secret\n");

        var (exit, output, error) = await RunAsync("status", Execution, "--profile", "staging");

        Assert.Equal((0, string.Empty), (exit, error));
        Assert.Contains("RUNNING", output, StringComparison.Ordinal);
        Assert.All(_aws.Authorizations, a => Assert.Contains("Credential=AKIDSTAGING/", a, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Status_EndpointUrlOption_BeatsTheServiceVariable()
    {
        using var elsewhere = new FakeAwsEndpoint();
        Environment.SetEnvironmentVariable("AWS_ENDPOINT_URL_SFN", elsewhere.Url);

        var (exit, _, _) = await RunAsync("status", Execution, "--endpoint-url", _aws.Url);

        Assert.Equal(0, exit);
        Assert.NotEmpty(_aws.Calls);
        Assert.Empty(elsewhere.Calls);
    }

    [Fact]
    public async Task History_ServiceVariable_BeatsTheGlobalOne()
    {
        using var global = new FakeAwsEndpoint();
        Environment.SetEnvironmentVariable("AWS_ENDPOINT_URL", global.Url);
        Environment.SetEnvironmentVariable("AWS_ENDPOINT_URL_DYNAMODB", _aws.Url);
        _aws.On("DynamoDB_20120810.Query", "{\"Count\":0,\"ScannedCount\":0,\"Items\":[]}");

        var (exit, _, error) = await RunAsync("history", "--app", "web", "--table", "phoenix", "--region", "eu-west-1");

        Assert.Equal((0, string.Empty), (exit, error));
        Assert.Single(_aws.CallsTo("DynamoDB_20120810.Query"));
        Assert.Empty(global.Calls);
    }

    [Theory]
    [InlineData("AWS_USE_FIPS_ENDPOINT", "true", "SFN: Invalid Configuration: FIPS and custom endpoint are not supported (endpoint {0}).")]
    [InlineData("AWS_USE_DUALSTACK_ENDPOINT", "true", "SFN: Invalid Configuration: Dualstack and custom endpoint are not supported (endpoint {0}).")]
    [InlineData("AWS_USE_FIPS_ENDPOINT", "sometimes", "AWS_USE_FIPS_ENDPOINT 'sometimes' is not true or false.")]
    [InlineData("AWS_ENDPOINT_URL_SFN", "localhost:4566", "AWS_ENDPOINT_URL_SFN 'localhost:4566' is not an http(s) URL.")]
    [InlineData("AWS_DEFAULTS_MODE", "turbo", "AWS_DEFAULTS_MODE 'turbo' is not a defaults mode: use standard, in-region, cross-region, mobile, auto or legacy.")]
    public async Task Status_BadConfiguration_ExitsTwoWithOneLineNamingIt(string variable, string value, string message)
    {
        Environment.SetEnvironmentVariable(variable, value);
        string[] endpoint = variable.StartsWith("AWS_USE_", StringComparison.Ordinal) ? ["--endpoint-url", _aws.Url] : [];

        var (exit, _, error) = await RunAsync(["status", Execution, .. endpoint]);

        Assert.Equal(2, exit);
        Assert.Equal($"phoenix status: {string.Format(System.Globalization.CultureInfo.InvariantCulture, message, _aws.Url)}", error.TrimEnd('\n', '\r'));
        Assert.Single(error.Trim().Split('\n'));
        Assert.Empty(_aws.Calls);
    }

    private void WriteConfig(string config, string credentials)
    {
        var configPath = Path.Combine(_directory, "config");
        var credentialsPath = Path.Combine(_directory, "credentials");
        File.WriteAllText(configPath, config);
        File.WriteAllText(credentialsPath, credentials);
        Environment.SetEnvironmentVariable("AWS_CONFIG_FILE", configPath);
        Environment.SetEnvironmentVariable("AWS_SHARED_CREDENTIALS_FILE", credentialsPath);
    }

    private static async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await PhoenixCli.RunAsync(args, new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }
}
