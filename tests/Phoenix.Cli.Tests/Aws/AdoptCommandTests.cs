using System.CommandLine;

namespace Phoenix.Cli.Tests.Aws;

/// <summary><c>phoenix adopt</c>: its arguments by exact message and exit code, and its refusals over recorded AWS answers.</summary>
public sealed class AdoptCommandTests : IDisposable
{
    private const string Listener = "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/shop/50dc6c495c0c9188/f2f7dc8efc522ab2";
    private const string AppForm = "an application name (a letter or digit, then letters, digits, '-', '_' or '.', at most 64)";
    private const string ListenerForm = "a listener ARN (arn:aws:elasticloadbalancing:REGION:ACCOUNT:listener/app/NAME/ID/ID)";

    private readonly AwsCliEnvironment _environment = new();
    private readonly FakeAwsEndpoint _aws = new();

    public void Dispose()
    {
        _aws.Dispose();
        _environment.Dispose();
    }

    [Theory]
    [InlineData(new[] { "adopt", "--auto-scaling-group", "g", "--listener-arn", Listener }, $"phoenix adopt: missing --app NAME: {AppForm}.")]
    [InlineData(new[] { "adopt", "--app", "shop", "--listener-arn", Listener }, "phoenix adopt: missing --auto-scaling-group NAME: an Auto Scaling group name (1 to 255 characters, not blank).")]
    [InlineData(new[] { "adopt", "--app", "shop", "--auto-scaling-group", "g" }, $"phoenix adopt: missing --listener-arn ARN: {ListenerForm}.")]
    [InlineData(new[] { "adopt", "--app", "shop!", "--auto-scaling-group", "g", "--listener-arn", Listener }, $"phoenix adopt: --app: expected {AppForm}, got 'shop!'.")]
    [InlineData(new[] { "adopt", "--app", "shop", "--auto-scaling-group", " ", "--listener-arn", Listener }, "phoenix adopt: --auto-scaling-group: expected an Auto Scaling group name (1 to 255 characters, not blank), got ' '.")]
    [InlineData(new[] { "adopt", "--app", "shop", "--auto-scaling-group", "g", "--listener-arn", "listener-1" }, $"phoenix adopt: --listener-arn: expected {ListenerForm}, got 'listener-1'.")]
    [InlineData(
        new[] { "adopt", "--app", "shop", "--auto-scaling-group", "g", "--listener-arn", "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/shop/50dc6c495c0c9188" },
        $"phoenix adopt: --listener-arn: expected {ListenerForm}, got 'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/shop/50dc6c495c0c9188': that is a load balancer ARN; give one of its listeners.")]
    [InlineData(
        new[] { "adopt", "--app", "shop", "--auto-scaling-group", "g", "--listener-arn", "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/shop/50dc6c495c0c9188" },
        $"phoenix adopt: --listener-arn: expected {ListenerForm}, got 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/shop/50dc6c495c0c9188': that is a target group ARN; give the listener that forwards to it.")]
    [InlineData(
        new[] { "adopt", "--app", "shop", "--auto-scaling-group", "g", "--listener-arn", Listener, "--dryrun" },
        "phoenix adopt: unknown option '--dryrun'. Did you mean '--dry-run'? Its options: --app, --auto-scaling-group, --listener-arn, --dry-run, --region, --profile, --endpoint-url.")]
    public async Task BadArguments_ExitTwoNamingTheValueAndSendNothing(string[] arguments, string message)
    {
        var (exit, _, error) = await RunAsync([.. arguments, "--endpoint-url", _aws.Url]);

        Assert.Equal((2, message), (exit, error.Trim()));
        Assert.Empty(_aws.Calls);
    }

    [Fact]
    public async Task Adopt_ApplicationAlreadyHasATopology_ExitsOneAndCreatesNothing()
    {
        const string topology = "{\"application\":\"shop\",\"blue\":{\"autoScalingGroupName\":\"shop-blue\",\"targetGroupArn\":\"tg-b\",\"launchTemplateId\":\"lt-1\"},"
            + "\"green\":{\"autoScalingGroupName\":\"shop-green\",\"targetGroupArn\":\"tg-g\",\"launchTemplateId\":\"lt-1\"},\"listenerArn\":\"" + Listener + "\",\"alarmNames\":[]}";
        _aws.On("AmazonSSM.GetParameter", $"{{\"Parameter\":{{\"Name\":\"/phoenix/apps/shop/topology\",\"Type\":\"String\",\"Value\":{System.Text.Json.JsonSerializer.Serialize(topology)}}}}}");

        var (exit, output, error) = await RunAsync("adopt", "--app", "shop", "--auto-scaling-group", "shop-web", "--listener-arn", Listener, "--region", "us-east-1", "--endpoint-url", _aws.Url);

        Assert.Equal((1, string.Empty), (exit, output));
        Assert.Equal(
            $"phoenix adopt: refused: Application 'shop' already has a topology (blue shop-blue, green shop-green, listener {Listener}): Phoenix manages it already, "
            + "and adopt never replaces a topology. Choose another --app name. Nothing was changed.",
            error.Trim());
        Assert.Empty(_aws.CallsTo("CreateAutoScalingGroup"));
    }

    [Fact]
    public async Task Adopt_GroupDoesNotExist_ExitsOneNamingIt()
    {
        _aws.On("AmazonSSM.GetParameter", (400, "{\"__type\":\"ParameterNotFound\",\"message\":\"Parameter /phoenix/apps/shop/topology not found.\"}"))
            .On("DescribeAutoScalingGroups", "<DescribeAutoScalingGroupsResponse><DescribeAutoScalingGroupsResult><AutoScalingGroups/></DescribeAutoScalingGroupsResult></DescribeAutoScalingGroupsResponse>");

        var (exit, _, error) = await RunAsync("adopt", "--app", "shop", "--auto-scaling-group", "shop-web", "--listener-arn", Listener, "--region", "us-east-1", "--endpoint-url", _aws.Url);

        Assert.Equal(1, exit);
        Assert.Equal("phoenix adopt: refused: Auto Scaling group 'shop-web' does not exist in this account and region. Nothing was changed.", error.Trim());
    }

    private static async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await PhoenixCli.RunAsync(args, new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }
}
