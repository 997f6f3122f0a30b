using System.CommandLine;

namespace Phoenix.Cli.Tests.Aws;

/// <summary><c>phoenix doctor</c>'s command line: bad arguments by exact message and exit 2, with no AWS call. (Its checks: EnvironmentDoctorTests; against moto: DoctorTests.)</summary>
[Collection(AwsCliTests.Name)]
public sealed class DoctorCommandTests : IDisposable
{
    private readonly AwsCliEnvironment _environment = new();
    private readonly FakeAwsEndpoint _aws = new();

    public void Dispose()
    {
        _aws.Dispose();
        _environment.Dispose();
    }

    [Theory]
    [InlineData(
        new[] { "doctor", "--app", "shop!" },
        "phoenix doctor: --app: expected an application name (a letter or digit, then letters, digits, '-', '_' or '.', at most 64), got 'shop!'.")]
    [InlineData(new[] { "doctor", "--stack-name", " " }, "phoenix doctor: --stack-name: expected NAME (not blank), got ' '.")]
    [InlineData(new[] { "doctor", "--region", "mars-1" }, "phoenix doctor: --region: expected an AWS region (e.g. us-east-1), got 'mars-1'.")]
    [InlineData(
        new[] { "doctor", "--jsn" },
        "phoenix doctor: unknown option '--jsn'. Did you mean '--json'? Its options: --app, --stack-name, --json, --region, --profile, --endpoint-url.")]
    public async Task BadArguments_ExitTwoNamingTheValueAndSendNothing(string[] arguments, string message)
    {
        var (exit, _, error) = await RunAsync([.. arguments, "--endpoint-url", _aws.Url]);

        Assert.Equal((2, message), (exit, error.Trim()));
        Assert.Empty(_aws.Calls);
    }

    [Fact]
    public async Task Doctor_WithoutCredentials_ExitsTwoBeforeAnyCheck()
    {
        AwsCliEnvironment.RemoveCredentials();

        var (exit, output, error) = await RunAsync("doctor", "--region", "us-east-1", "--endpoint-url", _aws.Url);

        Assert.Equal((2, string.Empty), (exit, output));
        Assert.StartsWith("phoenix doctor: No AWS credentials found", error, StringComparison.Ordinal);
        Assert.Empty(_aws.Calls);
    }

    private static async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await PhoenixCli.RunAsync(args, new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }
}
