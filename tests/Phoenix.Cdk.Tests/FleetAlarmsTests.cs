using System.Text.Json.Nodes;
using Amazon.CDK;
using Amazon.CDK.AWS.EC2;
using Phoenix.Cdk.Fleet;
using Phoenix.Cdk.Tests.Support;

namespace Phoenix.Cdk.Tests;

/// <summary>The alarms BlueGreenFleet ships for CheckAlarms, read from the synthesized fleet template.</summary>
[Collection(SynthesizedAppGroup.Name)]
public sealed class FleetAlarmsTests(SynthesizedApp app)
{
    private const string RateExpression = "IF(FILL(errors, 0) >= 5, 100 * FILL(errors, 0) / requests, 0)";

    private JsonObject Json => app.JsonOf(app.Stacks.Fleet);

    [Fact]
    public void Alarms_Fleet_EachColourAndTheLoadBalancerAreWatched()
    {
        var names = Alarms(Json).Select(a => (string?)a["AlarmName"]).Order(StringComparer.Ordinal).ToList();

        Assert.Equal(
            ["phoenix-web-blue-p99-latency", "phoenix-web-blue-target-5xx-rate", "phoenix-web-elb-5xx-rate", "phoenix-web-green-p99-latency", "phoenix-web-green-target-5xx-rate"],
            names);
        Assert.All(Alarms(Json), a => Assert.Equal("notBreaching", (string?)a["TreatMissingData"]));
    }

    [Theory]
    [InlineData("blue", "FleetBlueTargetGroup")]
    [InlineData("green", "FleetGreenTargetGroup")]
    public void TargetErrorRate_EachColour_IsItsOwnTargetGroupsRateWithAFloor(string colour, string targetGroup)
    {
        var alarm = Alarm(Json, $"phoenix-web-{colour}-target-5xx-rate");

        Assert.Equal((2.0, 1, "GreaterThanThreshold"), ((double)alarm["Threshold"]!, (int)alarm["EvaluationPeriods"]!, (string?)alarm["ComparisonOperator"]));
        var queries = alarm["Metrics"]!.AsArray();
        var expression = queries.Single(q => q!["Expression"] is not null)!;
        Assert.Equal(RateExpression, (string?)expression["Expression"]);
        Assert.NotEqual(false, (bool?)expression["ReturnData"]);
        var errors = Stat(queries, "errors");
        var requests = Stat(queries, "requests");
        Assert.Equal(("HTTPCode_Target_5XX_Count", "Sum", 60), ((string?)errors["Metric"]!["MetricName"], (string?)errors["Stat"], (int)errors["Period"]!));
        Assert.Equal(("RequestCount", "Sum", 60), ((string?)requests["Metric"]!["MetricName"], (string?)requests["Stat"], (int)requests["Period"]!));
        foreach (var stat in new[] { errors, requests })
        {
            var dimension = stat["Metric"]!["Dimensions"]!.AsArray().Single(d => (string?)d!["Name"] == "TargetGroup")!;
            Assert.StartsWith(targetGroup, (string?)dimension["Value"]!["Fn::GetAtt"]![0], StringComparison.Ordinal);
        }
    }

    [Fact]
    public void LoadBalancerErrorRate_ElbFiveHundreds_PerLoadBalancerBecauseElbReportsNoTargetGroup()
    {
        var alarm = Alarm(Json, "phoenix-web-elb-5xx-rate");

        var queries = alarm["Metrics"]!.AsArray();
        Assert.Equal(RateExpression, (string?)queries.Single(q => q!["Expression"] is not null)!["Expression"]);
        var errors = Stat(queries, "errors")["Metric"]!;
        Assert.Equal("HTTPCode_ELB_5XX_Count", (string?)errors["MetricName"]);
        Assert.Equal(["LoadBalancer"], errors["Dimensions"]!.AsArray().Select(d => (string?)d!["Name"]));
        Assert.Equal("RequestCount", (string?)Stat(queries, "requests")["Metric"]!["MetricName"]);
    }

    [Theory]
    [InlineData("blue", "FleetBlueTargetGroup")]
    [InlineData("green", "FleetGreenTargetGroup")]
    public void ResponseTime_EachColour_P99IgnoringMinutesWithTooFewRequests(string colour, string targetGroup)
    {
        var alarm = Alarm(Json, $"phoenix-web-{colour}-p99-latency");

        Assert.Equal(("TargetResponseTime", "p99", 60), ((string?)alarm["MetricName"], (string?)alarm["ExtendedStatistic"], (int)alarm["Period"]!));
        Assert.Equal((2.0, 3, 2), ((double)alarm["Threshold"]!, (int)alarm["EvaluationPeriods"]!, (int)alarm["DatapointsToAlarm"]!));
        Assert.Equal("ignore", (string?)alarm["EvaluateLowSampleCountPercentile"]);
        var dimension = alarm["Dimensions"]!.AsArray().Single(d => (string?)d!["Name"] == "TargetGroup")!;
        Assert.StartsWith(targetGroup, (string?)dimension["Value"]!["Fn::GetAtt"]![0], StringComparison.Ordinal);
    }

    [Fact]
    public void Alarms_CustomThresholds_ReachTheTemplate()
    {
        var output = Path.Combine(Path.GetTempPath(), $"phoenix-alarms-{Guid.NewGuid():N}");
        var custom = new App(new AppProps { Outdir = output });
        var stack = new Stack(custom, "Thresholds");
        _ = new BlueGreenFleet(stack, "Fleet", new BlueGreenFleetProps
        {
            ApplicationName = "shop",
            Vpc = new Vpc(stack, "Vpc"),
            MachineImage = MachineImage.GenericLinux(new Dictionary<string, string> { ["us-east-1"] = "ami-0123456789abcdef0" }),
            TargetErrorRatePercent = 0.5,
            LoadBalancerErrorRatePercent = 1,
            MinimumErrorCount = 20,
            ResponseTimeP99Seconds = 0.8,
        });
        custom.Synth();
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(output, "Thresholds.template.json")))!.AsObject();
        Directory.Delete(output, recursive: true);

        Assert.Equal(0.5, (double)Alarm(json, "phoenix-shop-green-target-5xx-rate")["Threshold"]!);
        Assert.Equal(1.0, (double)Alarm(json, "phoenix-shop-elb-5xx-rate")["Threshold"]!);
        Assert.Equal(0.8, (double)Alarm(json, "phoenix-shop-blue-p99-latency")["Threshold"]!);
        Assert.Contains(">= 20,", (string?)Alarm(json, "phoenix-shop-blue-target-5xx-rate")["Metrics"]![0]!["Expression"] ?? string.Empty, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("TargetErrorRatePercent", "TargetErrorRatePercent is '0'")]
    [InlineData("LoadBalancerErrorRatePercent", "LoadBalancerErrorRatePercent is '101'")]
    [InlineData("MinimumErrorCount", "MinimumErrorCount is '0'")]
    [InlineData("ResponseTimeP99Seconds", "ResponseTimeP99Seconds is '-1'")]
    public void Constructor_BadAlarmSetting_ThrowsNamingTheValue(string setting, string expected)
    {
        var stack = new Stack(new App(), "Fleet");
        var vpc = Vpc.FromVpcAttributes(stack, "Vpc", new VpcAttributes { VpcId = "vpc-1", AvailabilityZones = ["a", "b"] });
        var props = setting switch
        {
            "TargetErrorRatePercent" => new BlueGreenFleetProps { ApplicationName = "web", Vpc = vpc, TargetErrorRatePercent = 0 },
            "LoadBalancerErrorRatePercent" => new BlueGreenFleetProps { ApplicationName = "web", Vpc = vpc, LoadBalancerErrorRatePercent = 101 },
            "MinimumErrorCount" => new BlueGreenFleetProps { ApplicationName = "web", Vpc = vpc, MinimumErrorCount = 0 },
            _ => new BlueGreenFleetProps { ApplicationName = "web", Vpc = vpc, ResponseTimeP99Seconds = -1 },
        };

        var error = Assert.Throws<ArgumentException>(() => new BlueGreenFleet(stack, "Fleet", props));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    private static IEnumerable<JsonNode> Alarms(JsonObject template) =>
        Support.Json.Resources(template, "AWS::CloudWatch::Alarm").Select(a => a.Resource["Properties"]!);

    private static JsonNode Alarm(JsonObject template, string name) => Alarms(template).Single(a => (string?)a["AlarmName"] == name);

    /// <summary>The MetricStat of the query whose id the expression names.</summary>
    private static JsonNode Stat(JsonArray queries, string id) => queries.Single(q => (string?)q!["Id"] == id)!["MetricStat"]!;
}
