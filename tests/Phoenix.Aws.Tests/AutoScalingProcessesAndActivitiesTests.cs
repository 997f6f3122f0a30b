using System.Text.Json.Nodes;
using System.Web;
using Phoenix.Aws.Adapters;
using Phoenix.Aws.Tests.Support;
using Phoenix.Core.Ports;

namespace Phoenix.Aws.Tests;

/// <summary>
/// The Auto Scaling adapter's issue-11 reads and writes: suspended processes, zones, the group kinds Phoenix refuses
/// (mixed instances, warm pool) reported instead of failing the read, and scaling activities with AWS's reasons.
/// </summary>
public sealed class AutoScalingProcessesAndActivitiesTests
{
    private static string Response(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Responses", name));

    private static Dictionary<string, string> Form(RecordedRequest request)
    {
        var form = HttpUtility.ParseQueryString(request.Body);
        return form.AllKeys.ToDictionary(k => k!, k => form[k]!, StringComparer.Ordinal);
    }

    private static Dictionary<string, string> WireParameters(string fixture) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Wire", fixture + ".json")))!["parameters"]!.AsObject()
            .ToDictionary(p => p.Key, p => (string)p.Value!, StringComparer.Ordinal);

    [Fact]
    public async Task DescribeAutoScalingGroup_RecordedMixedInstancesGroup_ReportsItWithThePolicysTemplateInsteadOfFailing()
    {
        using var server = new LoopbackServer(_ => CannedResponse.Xml(Response("DescribeAutoScalingGroups.MixedAndWarmPool.xml")));

        var group = await new AutoScalingAdapter(TestClients.Factory(server).AutoScaling()).DescribeAutoScalingGroupAsync("web-mixed", CancellationToken.None);

        Assert.NotNull(group);
        Assert.True(group.HasMixedInstancesPolicy);
        Assert.False(group.HasWarmPool);
        Assert.Matches("^lt-[0-9a-f]{17}$", group.LaunchTemplate!.LaunchTemplateId);
        Assert.Equal("1", group.LaunchTemplate!.Version);
        Assert.Equal(["us-east-1a", "us-east-1b"], group.AvailabilityZones);
        Assert.Null(group.SuspendedProcesses);
    }

    [Fact]
    public async Task DescribeAutoScalingGroup_RecordedWarmPoolGroupWithSuspendedProcesses_ReadsBoth()
    {
        using var server = new LoopbackServer(_ => CannedResponse.Xml(Response("DescribeAutoScalingGroups.MixedAndWarmPool.xml")));

        var group = await new AutoScalingAdapter(TestClients.Factory(server).AutoScaling()).DescribeAutoScalingGroupAsync("web-warm", CancellationToken.None);

        Assert.NotNull(group);
        Assert.True(group.HasWarmPool);
        Assert.False(group.HasMixedInstancesPolicy);
        Assert.Equal(["AZRebalance", "ScheduledActions"], group.SuspendedProcesses);
        Assert.All(group.Instances, i => Assert.Contains(i.AvailabilityZone, new[] { "us-east-1a", "us-east-1b" }));
        Assert.NotEmpty(group.Instances);
    }

    [Fact]
    public async Task DescribeAutoScalingGroup_RecordedPlainGroup_HasNoneOfTheRefusedFeatures()
    {
        using var server = new LoopbackServer(_ => CannedResponse.Xml(Response("DescribeAutoScalingGroups.xml")));

        var group = await new AutoScalingAdapter(TestClients.Factory(server).AutoScaling()).DescribeAutoScalingGroupAsync("web-blue", CancellationToken.None);

        Assert.NotNull(group);
        Assert.Equal((false, false, (IReadOnlyList<string>?)null), (group.HasMixedInstancesPolicy, group.HasWarmPool, group.SuspendedProcesses));
        Assert.All(group.Instances, i => Assert.Contains(i.AvailabilityZone, new[] { "us-east-1a", "us-east-1b" }));
    }

    [Fact]
    public async Task DescribeAutoScalingGroup_LaunchConfigurationGroup_ReportsItsLaunchConfigurationAndNoTemplateInsteadOfFailing()
    {
        using var server = new LoopbackServer(_ => CannedResponse.Xml(
            "<DescribeAutoScalingGroupsResponse xmlns=\"http://autoscaling.amazonaws.com/doc/2011-01-01/\"><DescribeAutoScalingGroupsResult><AutoScalingGroups><member>" +
            "<AutoScalingGroupName>web-legacy</AutoScalingGroupName><LaunchConfigurationName>web-lc</LaunchConfigurationName><MinSize>0</MinSize><MaxSize>1</MaxSize><DesiredCapacity>0</DesiredCapacity>" +
            "</member></AutoScalingGroups></DescribeAutoScalingGroupsResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></DescribeAutoScalingGroupsResponse>"));

        var group = await new AutoScalingAdapter(TestClients.Factory(server).AutoScaling()).DescribeAutoScalingGroupAsync("web-legacy", CancellationToken.None);

        Assert.NotNull(group);
        Assert.Equal(("web-legacy", (LaunchTemplateSpecification?)null, "web-lc", false), (group.AutoScalingGroupName, group.LaunchTemplate, group.LaunchConfigurationName, group.HasMixedInstancesPolicy));
    }

    [Theory]
    [InlineData("SuspendProcesses")]
    [InlineData("ResumeProcesses")]
    public async Task SuspendOrResumeProcesses_TwoProcesses_SendsTheOfficialSdksRequest(string operation)
    {
        using var server = new LoopbackServer(TestClients.EmptySuccess);
        var adapter = new AutoScalingAdapter(TestClients.Factory(server).AutoScaling());
        string[] processes = [ScalingProcesses.AzRebalance, ScalingProcesses.ScheduledActions];

        var expected = WireParameters(operation);
        await (operation == "SuspendProcesses"
            ? adapter.SuspendProcessesAsync(expected["AutoScalingGroupName"], processes, CancellationToken.None)
            : adapter.ResumeProcessesAsync(expected["AutoScalingGroupName"], processes, CancellationToken.None));

        Assert.Equal(expected.OrderBy(p => p.Key, StringComparer.Ordinal), Form(Assert.Single(server.Requests)).OrderBy(p => p.Key, StringComparer.Ordinal));
    }

    /// <summary>An empty ScalingProcesses means "all processes" to the API: suspending nothing must not suspend everything.</summary>
    [Fact]
    public async Task SuspendOrResumeProcesses_NoProcessOrABlankOne_ThrowsAndSendsNothing()
    {
        using var server = new LoopbackServer(TestClients.EmptySuccess);
        var adapter = new AutoScalingAdapter(TestClients.Factory(server).AutoScaling());

        await Assert.ThrowsAsync<ArgumentException>(() => adapter.SuspendProcessesAsync("web-blue", [], CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => adapter.ResumeProcessesAsync("web-blue", [], CancellationToken.None));
        var blank = await Assert.ThrowsAsync<ArgumentException>(() => adapter.SuspendProcessesAsync("web-blue", ["AZRebalance", " "], CancellationToken.None));

        Assert.Contains("AZRebalance", blank.Message, StringComparison.Ordinal);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task DescribeScalingActivities_FailedLaunch_ReadsStatusReasonAndTimesNewestFirst()
    {
        using var server = new LoopbackServer(_ => CannedResponse.Xml(Response("DescribeScalingActivities.handwritten.xml")));

        var activities = await new AutoScalingAdapter(TestClients.Factory(server).AutoScaling()).DescribeScalingActivitiesAsync("web-green", 5, CancellationToken.None);

        var sent = Form(Assert.Single(server.Requests));
        Assert.Equal(("DescribeScalingActivities", "web-green", "5"), (sent["Action"], sent["AutoScalingGroupName"], sent["MaxRecords"]));
        Assert.Equal(["Failed", "InProgress"], activities.Select(a => a.StatusCode));
        var failed = activities[0];
        Assert.Equal("5e3a1f0c-7a3f-4c2e-9b3e-1d2c3b4a5f60", failed.ActivityId);
        Assert.StartsWith("We currently do not have sufficient t3.medium capacity", failed.StatusMessage, StringComparison.Ordinal);
        Assert.StartsWith("Launching a new EC2 instance.", failed.Description, StringComparison.Ordinal);
        Assert.StartsWith("At 2026-12-05T13:02:11Z a user request", failed.Cause, StringComparison.Ordinal);
        Assert.Equal(new DateTimeOffset(2026, 12, 5, 13, 2, 15, 512, TimeSpan.Zero), failed.StartTime);
        Assert.Equal(new DateTimeOffset(2026, 12, 5, 13, 2, 15, TimeSpan.Zero), failed.EndTime);
        Assert.Equal((null, (DateTimeOffset?)null), (activities[1].StatusMessage, activities[1].EndTime));
    }

    [Fact]
    public async Task DescribeScalingActivities_ListedOldestFirst_StillReturnsNewestFirst()
    {
        var document = System.Xml.Linq.XDocument.Parse(Response("DescribeScalingActivities.handwritten.xml"));
        var list = document.Descendants().Single(e => e.Name.LocalName == "Activities");
        var members = list.Elements().ToList();
        list.ReplaceNodes(members.AsEnumerable().Reverse());
        using var server = new LoopbackServer(_ => CannedResponse.Xml(document.ToString()));

        var activities = await new AutoScalingAdapter(TestClients.Factory(server).AutoScaling()).DescribeScalingActivitiesAsync("web-green", 5, CancellationToken.None);

        Assert.Equal(["Failed", "InProgress"], activities.Select(a => a.StatusCode));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(101)]
    public async Task DescribeScalingActivities_MaxRecordsOutsideTheApisRange_ThrowsAndSendsNothing(int maxRecords)
    {
        using var server = new LoopbackServer(TestClients.EmptySuccess);

        var error = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() =>
            new AutoScalingAdapter(TestClients.Factory(server).AutoScaling()).DescribeScalingActivitiesAsync("web-green", maxRecords, CancellationToken.None));

        Assert.Equal(maxRecords, error.ActualValue);
        Assert.Empty(server.Requests);
    }
}
