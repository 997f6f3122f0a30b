using System.Globalization;
using System.Text;
using System.Web;
using Phoenix.Aws.Adapters;
using Phoenix.Aws.Tests.Support;

namespace Phoenix.Aws.Tests;

public sealed class Ec2AdapterTests
{
    private static readonly HashSet<string> Existing = new(StringComparer.Ordinal) { "i-0aaa", "i-0bbb" };

    [Fact]
    public async Task DescribeInstancesAsync_OneInstanceGone_ReturnsTheOthersWithoutError()
    {
        using var server = new LoopbackServer(AnswerLikeEc2);

        var instances = await new Ec2Adapter(TestClients.Factory(server).Ec2()).DescribeInstancesAsync(["i-0aaa", "i-0gone", "i-0bbb"], CancellationToken.None);

        Assert.Equal(["i-0aaa", "i-0bbb"], instances.Select(i => i.InstanceId).Order(StringComparer.Ordinal));
        Assert.Equal(("ami-0aaa", "running", "web"), (instances[0].ImageId, instances[0].State, instances[0].Tags["app"]));
        var form = HttpUtility.ParseQueryString(Assert.Single(server.Requests).Body);
        Assert.Equal(("instance-id", "i-0aaa", "i-0gone", "i-0bbb"), (form["Filter.1.Name"], form["Filter.1.Value.1"], form["Filter.1.Value.2"], form["Filter.1.Value.3"]));
        Assert.DoesNotContain(form.AllKeys, k => k!.StartsWith("InstanceId", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DescribeInstancesAsync_MoreIdsThanOneFilterTakes_ChunksBy200()
    {
        using var server = new LoopbackServer(AnswerLikeEc2);
        var ids = Enumerable.Range(0, 450).Select(i => i == 7 ? "i-0aaa" : i == 301 ? "i-0bbb" : $"i-gone{i:000}").ToList();

        var instances = await new Ec2Adapter(TestClients.Factory(server).Ec2()).DescribeInstancesAsync(ids, CancellationToken.None);

        Assert.Equal(["i-0aaa", "i-0bbb"], instances.Select(i => i.InstanceId).Order(StringComparer.Ordinal));
        var valuesPerCall = server.Requests.Select(r => HttpUtility.ParseQueryString(r.Body).AllKeys.Count(k => k!.StartsWith("Filter.1.Value.", StringComparison.Ordinal)));
        Assert.Equal([200, 200, 50], valuesPerCall);
    }

    [Fact]
    public async Task DescribeInstancesAsync_NoIds_SendsNothing()
    {
        using var server = new LoopbackServer(AnswerLikeEc2);

        var instances = await new Ec2Adapter(TestClients.Factory(server).Ec2()).DescribeInstancesAsync([], CancellationToken.None);

        Assert.Empty(instances);
        Assert.Empty(server.Requests);
    }

    /// <summary>
    /// DescribeInstances as EC2 answers it: InstanceIds naming an unknown instance fails the whole call with
    /// InvalidInstanceID.NotFound; an instance-id filter returns whatever matches.
    /// </summary>
    private static CannedResponse AnswerLikeEc2(RecordedRequest request)
    {
        var form = HttpUtility.ParseQueryString(request.Body);
        var byId = form.AllKeys.Where(k => k!.StartsWith("InstanceId.", StringComparison.Ordinal)).Select(k => form[k]!).ToList();
        if (byId.FirstOrDefault(id => !Existing.Contains(id)) is { } missing)
        {
            return CannedResponse.Xml(
                $"<Response><Errors><Error><Code>InvalidInstanceID.NotFound</Code><Message>The instance ID '{missing}' does not exist</Message></Error></Errors><RequestID>r-1</RequestID></Response>",
                400);
        }

        var wanted = form["Filter.1.Name"] == "instance-id"
            ? form.AllKeys.Where(k => k!.StartsWith("Filter.1.Value.", StringComparison.Ordinal)).Select(k => form[k]!).ToList()
            : byId;
        var items = new StringBuilder();
        foreach (var id in wanted.Where(Existing.Contains))
        {
            items.Append(CultureInfo.InvariantCulture, $"<item><instanceId>{id}</instanceId><imageId>ami-{id[2..]}</imageId><instanceState><code>16</code><name>running</name></instanceState>");
            items.Append("<tagSet><item><key>app</key><value>web</value></item></tagSet></item>");
        }

        return CannedResponse.Xml(
            "<DescribeInstancesResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\"><requestId>r-1</requestId><reservationSet>" +
            $"<item><reservationId>r-0abc</reservationId><ownerId>123456789012</ownerId><instancesSet>{items}</instancesSet></item></reservationSet></DescribeInstancesResponse>");
    }
}
