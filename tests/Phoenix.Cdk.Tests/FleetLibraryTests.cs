using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Amazon.CDK;
using Amazon.CDK.AWS.EC2;
using Phoenix.Cdk.Fleet;
using Phoenix.Core.Domain;

namespace Phoenix.Cdk.Tests;

/// <summary>
/// BlueGreenFleet used as a library by another CDK app: several applications and two environments in one account and
/// region, with the hooks an application needs (connections, user data, subnets, scaling policies).
/// </summary>
public sealed class FleetLibraryTests
{
    [Fact]
    public void TwoFleetsTwoEnvironments_OneAccountAndRegion_NoNameCollidesAndEachKeepsItsOwn()
    {
        var output = Path.Combine(Path.GetTempPath(), $"phoenix-library-{Guid.NewGuid():N}");
        var app = new App(new AppProps { Outdir = output });
        var env = new Amazon.CDK.Environment { Account = "123456789012", Region = "eu-west-1" };
        var production = new Stack(app, "ShopProduction", new StackProps { Env = env });
        var staging = new Stack(app, "ShopStaging", new StackProps { Env = env });
        var productionVpc = new Vpc(production, "Vpc", new VpcProps { MaxAzs = 2 });
        var web = new BlueGreenFleet(production, "Web", new BlueGreenFleetProps { ApplicationName = "web", Vpc = productionVpc, EnvironmentName = "prod" });
        var api = new BlueGreenFleet(production, "Api", new BlueGreenFleetProps
        {
            ApplicationName = "api",
            Vpc = productionVpc,
            EnvironmentName = "prod",
            ApplicationPort = 8080,
            InternetFacing = false,
            HealthCheckPath = "/api/healthz",
        });
        var stagingVpc = new Vpc(staging, "Vpc", new VpcProps
        {
            MaxAzs = 2,
            SubnetConfiguration =
            [
                new SubnetConfiguration { Name = "Edge", SubnetType = SubnetType.PUBLIC },
                new SubnetConfiguration { Name = "App", SubnetType = SubnetType.PRIVATE_WITH_EGRESS },
                new SubnetConfiguration { Name = "Batch", SubnetType = SubnetType.PRIVATE_WITH_EGRESS },
            ],
        });
        var webStaging = new BlueGreenFleet(staging, "Web", new BlueGreenFleetProps
        {
            ApplicationName = "web-staging",
            Vpc = stagingVpc,
            EnvironmentName = "staging",
            InstanceSubnets = new SubnetSelection { SubnetGroupName = "App" },
        });

        // The hooks: the web instances reach the api's port, the application's own boot step, one scaling policy per colour.
        api.Connections.AllowFrom(web, Port.Tcp(8080), "web to api");
        web.UserData.AddCommands("echo started-by-the-app > /etc/motd");
        web.ScaleOnCpuUtilization(60);
        webStaging.ForEachColour(c => c.Group.ScaleOnSchedule("Night", new Amazon.CDK.AWS.AutoScaling.BasicScheduledActionProps
        {
            Schedule = Amazon.CDK.AWS.AutoScaling.Schedule.Cron(new Amazon.CDK.AWS.AutoScaling.CronOptions { Hour = "20", Minute = "0" }),
            MinCapacity = 0,
        }));
        app.Synth();
        var prod = Template(output, "ShopProduction");
        var stage = Template(output, "ShopStaging");
        Directory.Delete(output, recursive: true);

        // Every name that must be unique in an account and region is.
        var templates = new[] { prod, stage };
        var loadBalancers = templates.SelectMany(t => Support.Json.Resources(t, "AWS::ElasticLoadBalancingV2::LoadBalancer")).Select(l => (string)l.Resource["Properties"]!["Name"]!).ToList();
        Assert.Equal(["phoenix-api", "phoenix-web", "phoenix-web-staging"], loadBalancers.Order(StringComparer.Ordinal));
        var parameters = templates.SelectMany(t => Support.Json.Resources(t, "AWS::SSM::Parameter")).Select(p => (string)p.Resource["Properties"]!["Name"]!).ToList();
        Assert.Equal(
            new[] { FleetConventions.TopologyParameter("api"), FleetConventions.TopologyParameter("web"), FleetConventions.TopologyParameter("web-staging") }.Order(StringComparer.Ordinal),
            parameters.Order(StringComparer.Ordinal));
        var images = templates.SelectMany(t => Support.Json.Resources(t, "Custom::PhoenixImageParameter"))
            .Select(p => (string)JsonNode.Parse(Support.Json.Flatten(p.Resource["Properties"]!["Create"]!))!["parameters"]!["Name"]!).ToList();
        Assert.Equal(6, images.Distinct().Count());
        Assert.Contains(FleetConventions.ImageParameter("web-staging", Colour.Green), images);
        var alarms = templates.SelectMany(t => Support.Json.Resources(t, "AWS::CloudWatch::Alarm")).Select(a => (string)a.Resource["Properties"]!["AlarmName"]!).ToList();
        Assert.Equal(15, alarms.Distinct().Count());

        // Each fleet's own settings and tags.
        var stagingGroups = Support.Json.Resources(stage, "AWS::AutoScaling::AutoScalingGroup").ToList();
        Assert.Equal(2, stagingGroups.Count);
        Assert.All(stagingGroups, g =>
        {
            var tags = g.Resource["Properties"]!["Tags"]!.AsArray().ToDictionary(t => (string)t!["Key"]!, t => (string)t!["Value"]!);
            Assert.Equal(("staging", "web-staging"), (tags["Environment"], tags[FleetConventions.ApplicationTag]));
            // InstanceSubnets: the App group's two subnets, not Batch's.
            var subnets = g.Resource["Properties"]!["VPCZoneIdentifier"]!.AsArray().Select(s => (string)s!["Ref"]!).ToList();
            Assert.All(subnets, s => Assert.StartsWith("VpcAppSubnet", s, StringComparison.Ordinal));
        });
        Assert.Equal(2, Support.Json.Resources(stage, "AWS::AutoScaling::ScheduledAction").Count());
        var prodTargetGroups = Support.Json.Resources(prod, "AWS::ElasticLoadBalancingV2::TargetGroup").Select(t => t.Resource["Properties"]!).ToList();
        Assert.Equal(2, prodTargetGroups.Count(t => (string?)t["HealthCheckPath"] == "/api/healthz" && (int)t["Port"]! == 8080));

        // Connections: one ingress on the api instances' group from the web instances' group, on 8080.
        var ingress = Support.Json.Resources(prod, "AWS::EC2::SecurityGroupIngress").Select(i => i.Resource["Properties"]!)
            .Where(i => (string?)i["Description"] == "web to api").ToList();
        var rule = Assert.Single(ingress);
        Assert.Equal(8080, (int)rule["FromPort"]!);
        Assert.StartsWith("ApiInstanceSecurityGroup", (string?)rule["GroupId"]!["Fn::GetAtt"]![0], StringComparison.Ordinal);
        Assert.StartsWith("WebInstanceSecurityGroup", (string?)rule["SourceSecurityGroupId"]!["Fn::GetAtt"]![0], StringComparison.Ordinal);

        // User data reaches both colours' templates; the scaling policy exists once per colour.
        var webTemplates = Support.Json.Resources(prod, "AWS::EC2::LaunchTemplate").Where(t => t.LogicalId.StartsWith("Web", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, webTemplates.Count);
        Assert.All(webTemplates, t => Assert.Contains("started-by-the-app", UserData(t.Resource), StringComparison.Ordinal));
        var policies = Support.Json.Resources(prod, "AWS::AutoScaling::ScalingPolicy").ToList();
        Assert.Equal(["WebBlueGroupASG", "WebGreenGroupASG"], policies.Select(p => ((string)p.Resource["Properties"]!["AutoScalingGroupName"]!["Ref"]!)[..^8]).Order());
    }

    [Fact]
    public void Constructor_SameApplicationTwiceInOneApp_ThrowsNamingBothAndCreatesNothing()
    {
        var app = new App();
        var first = new Stack(app, "One");
        var second = new Stack(app, "Two");
        _ = new BlueGreenFleet(first, "Fleet", new BlueGreenFleetProps { ApplicationName = "web", Vpc = ImportedVpc(first) });
        var vpc = ImportedVpc(second);
        var before = second.Node.Children.Length;

        var error = Assert.Throws<ArgumentException>(() => new BlueGreenFleet(second, "Fleet", new BlueGreenFleetProps { ApplicationName = "web", Vpc = vpc }));

        Assert.Contains("ApplicationName is 'web'", error.Message, StringComparison.Ordinal);
        Assert.Contains("One/Fleet", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, second.Node.Children.Length);
    }

    [Fact]
    public void DefaultImage_UserData_ServesTheHealthCheckUnlessTheImageCarriesAnApplication()
    {
        var stock = LaunchTemplates(image: null);
        var given = LaunchTemplates(image: new FixedImage("ami-0123456789abcdef0"));

        Assert.All(stock, t =>
        {
            var script = UserData(t);
            Assert.Contains("if [ ! -d /etc/app ]; then", script, StringComparison.Ordinal);
            Assert.Contains("python3 -m http.server 80 --directory /var/lib/phoenix-placeholder", script, StringComparison.Ordinal);
            Assert.Contains("echo ok > /var/lib/phoenix-placeholder/health", script, StringComparison.Ordinal);
        });
        // An image given: it serves its own health check, so the user data stays empty.
        Assert.All(given, t => Assert.DoesNotContain("phoenix-placeholder", UserData(t), StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("/health")]
    [InlineData("/api/v1/healthz")]
    [InlineData("/status/")]
    public async Task Placeholder_Run_AnswersTheHealthCheckPathWith200(string path)
    {
        // The placeholder's own lines, run here with its directory moved to a scratch folder and its server started
        // directly (no systemd): what the load balancer asks for must get a 200.
        var scratch = Directory.CreateTempSubdirectory("phoenix-placeholder-").FullName;
        var port = FreePort();
        var commands = BlueGreenFleet.PlaceholderCommands(port, path);
        var files = string.Join('\n', commands.Where(c => c.TrimStart().StartsWith("mkdir", StringComparison.Ordinal) || c.TrimStart().StartsWith("echo", StringComparison.Ordinal)))
            .Replace("/var/lib/phoenix-placeholder", scratch, StringComparison.Ordinal);
        Run("bash", "-c", files);
        var execStart = commands.Single(c => c.StartsWith("ExecStart=", StringComparison.Ordinal))["ExecStart=".Length..]
            .Replace("/var/lib/phoenix-placeholder", scratch, StringComparison.Ordinal).Split(' ');
        using var server = Process.Start(new ProcessStartInfo(execStart[0], execStart[1..]) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}") };
            var response = await GetWhenListeningAsync(http, path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("ok\n", await response.Content.ReadAsStringAsync());
        }
        finally
        {
            server.Kill();
            Directory.Delete(scratch, recursive: true);
        }
    }

    [Theory]
    [InlineData("/health; rm -rf /")]
    [InlineData("/he alth")]
    public void Constructor_HealthCheckPathWithShellCharacters_ThrowsNamingTheValue(string path)
    {
        var stack = new Stack(new App(), "Fleet");
        var error = Assert.Throws<ArgumentException>(() => new BlueGreenFleet(stack, "Fleet", new BlueGreenFleetProps { ApplicationName = "web", Vpc = ImportedVpc(stack), HealthCheckPath = path }));
        Assert.Contains($"HealthCheckPath is '{path}'", error.Message, StringComparison.Ordinal);
    }

    private static List<JsonObject> LaunchTemplates(IMachineImage? image)
    {
        var output = Path.Combine(Path.GetTempPath(), $"phoenix-userdata-{Guid.NewGuid():N}");
        var app = new App(new AppProps { Outdir = output });
        var stack = new Stack(app, "UserData");
        _ = new BlueGreenFleet(stack, "Fleet", new BlueGreenFleetProps { ApplicationName = "web", Vpc = new Vpc(stack, "Vpc"), MachineImage = image });
        app.Synth();
        var json = Template(output, "UserData");
        Directory.Delete(output, recursive: true);
        return Support.Json.Resources(json, "AWS::EC2::LaunchTemplate").Select(t => t.Resource).ToList();
    }

    private static string UserData(JsonObject launchTemplate) =>
        launchTemplate["Properties"]!["LaunchTemplateData"]!["UserData"] is { } encoded
            ? Support.Json.Flatten(encoded["Fn::Base64"]!)
            : string.Empty;

    private static JsonObject Template(string output, string stack) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(output, stack + ".template.json")))!.AsObject();

    private static IVpc ImportedVpc(Stack stack) =>
        Vpc.FromVpcAttributes(stack, "Vpc", new VpcAttributes { VpcId = "vpc-1", AvailabilityZones = ["a", "b"], PrivateSubnetIds = ["s-1", "s-2"], PublicSubnetIds = ["p-1", "p-2"] });

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void Run(string file, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments))!;
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
    }

    // The server takes a moment to bind; connection refusals until then are expected, nothing else is.
    private static async Task<HttpResponseMessage> GetWhenListeningAsync(HttpClient http, string path)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await http.GetAsync(new Uri(path, UriKind.Relative));
            }
            catch (HttpRequestException) when (attempt < 100)
            {
                await Task.Delay(100);
            }
        }
    }
}
