using System.Text.RegularExpressions;
using Phoenix.Cdk.Tests.Support;

namespace Phoenix.Cdk.Tests;

/// <summary>
/// The README's tables of stack outputs, of what <c>cdk destroy</c> leaves behind and of the standing cost, held to the
/// synthesized templates of the whole app (every optional stack on): a new output, a resource newly retained or a new
/// resource that costs money while idle fails here until the README says so.
/// </summary>
[Collection(SynthesizedAppGroup.Name)]
public sealed partial class ReadmeTests(SynthesizedApp app, AlternateApp alternate)
{
    private const string StandingCost = "### Standing cost";

    /// <summary>
    /// Resource types that cost nothing while the stacks sit idle: billed per request, per execution, per build or pipeline
    /// minute, or per GB stored, or not at all. Every other type in the templates must have a row in the standing-cost
    /// table, so a new type has to be judged (a row in the README, or a place here with its reason) before it lands.
    /// </summary>
    private static readonly HashSet<string> IdleFree = new(StringComparer.Ordinal)
    {
        // No charge of their own.
        "AWS::IAM::Role", "AWS::IAM::Policy", "AWS::IAM::InstanceProfile", "AWS::IAM::OIDCProvider",
        "AWS::EC2::VPC", "AWS::EC2::Subnet", "AWS::EC2::RouteTable", "AWS::EC2::Route", "AWS::EC2::SubnetRouteTableAssociation",
        "AWS::EC2::InternetGateway", "AWS::EC2::VPCGatewayAttachment", "AWS::EC2::SecurityGroup", "AWS::EC2::SecurityGroupIngress",
        "AWS::EC2::SecurityGroupEgress", "AWS::EC2::LaunchTemplate",
        "AWS::ElasticLoadBalancingV2::Listener", "AWS::ElasticLoadBalancingV2::TargetGroup",
        "AWS::SNS::TopicPolicy", "AWS::SQS::QueuePolicy", "AWS::S3::BucketPolicy", "AWS::Lambda::Permission",
        "AWS::Chatbot::SlackChannelConfiguration", "AWS::Chatbot::MicrosoftTeamsChannelConfiguration",
        "AWS::SSM::Parameter", // standard tier: the templates set no Tier
        "AWS::SSM::Association", // AWS-GatherSoftwareInventory; what AWS Config records of it is priced per configuration item
        // Per request, execution, invocation, build minute or action minute; nothing while idle.
        "AWS::Lambda::Function", "AWS::Lambda::EventSourceMapping", "AWS::StepFunctions::StateMachine", "AWS::SNS::Topic",
        "AWS::SQS::Queue", "AWS::Events::Rule", "AWS::CodeBuild::Project", "AWS::CodePipeline::Pipeline", // V2: per action minute
        // Per request and per GB stored (on-demand table, point-in-time recovery by GB).
        "AWS::DynamoDB::Table", "AWS::S3::Bucket",
    };

    [Fact]
    public void StandingCostTable_ListsEveryIdleBillableResourceByStackAndType()
    {
        var documented = StandingCostRows().Select(row => $"{row.Stack} {row.Count} × {row.Type}").Order(StringComparer.Ordinal);
        var billable = StandingCostRows().Select(row => row.Type).ToHashSet(StringComparer.Ordinal);

        var synthesized = app.AllStacks
            .SelectMany(stack => BillableCounts(app, stack, billable).Select(c => $"{stack.StackName} {c.Count} × {c.Type}"))
            .Order(StringComparer.Ordinal);

        Assert.Equal(synthesized, documented);
    }

    [Fact]
    public void StandingCostTable_JudgesEveryResourceType()
    {
        var billable = StandingCostRows().Select(row => row.Type).ToHashSet(StringComparer.Ordinal);
        var unjudged = app.AllStacks
            .SelectMany(stack => app.JsonOf(stack)["Resources"]!.AsObject().Select(r => (string)r.Value!["Type"]!))
            .Where(type => !billable.Contains(type) && !IdleFree.Contains(type) && !type.StartsWith("Custom::", StringComparison.Ordinal))
            .Distinct()
            .Order(StringComparer.Ordinal);

        // A type here is new: give it a row in the README's standing-cost table if it costs money while idle, else a place
        // in IdleFree with the reason.
        Assert.Empty(unjudged);
    }

    [Fact]
    public void StandingCostTable_ImportedVpcRemovesExactlyTheFleetRowsMarkedVpcId()
    {
        var rows = StandingCostRows().Where(row => row.Stack == alternate.Stacks.Fleet.StackName).ToList();
        Assert.Contains(rows, row => row.OffWith.Contains("`phoenix:vpcId`", StringComparison.Ordinal));
        var expected = rows
            .Where(row => !row.OffWith.Contains("`phoenix:vpcId`", StringComparison.Ordinal))
            .Select(row => $"{row.Count} × {row.Type}")
            .Order(StringComparer.Ordinal);

        var billable = StandingCostRows().Select(row => row.Type).ToHashSet(StringComparer.Ordinal);
        var imported = BillableCounts(alternate, alternate.Stacks.Fleet, billable)
            .Select(c => $"{c.Count} × {c.Type}")
            .Order(StringComparer.Ordinal);

        Assert.NotNull(alternate.App.Node.TryGetContext("phoenix:vpcId")); // the shape this test is about
        Assert.Equal(expected, imported);
    }

    private static IEnumerable<(string Type, int Count)> BillableCounts(SynthesizedApp synthesized, Amazon.CDK.Stack stack, HashSet<string> billable) =>
        synthesized.JsonOf(stack)["Resources"]!.AsObject()
            .Select(r => (string)r.Value!["Type"]!)
            .Where(billable.Contains)
            .GroupBy(type => type)
            .Select(g => (g.Key, g.Count()));

    /// <summary>The standing-cost table's rows: stack | N × TYPE | what | list price | per month | off with.</summary>
    private static List<(string Stack, int Count, string Type, string OffWith)> StandingCostRows() =>
        Rows(StandingCost).Select(cells =>
        {
            Assert.True(cells.Length == 6, $"'{StandingCost}' row '{string.Join(" | ", cells)}' has {cells.Length} cells, not 6.");
            var match = BillableCount().Match(cells[1]);
            Assert.True(match.Success, $"'{StandingCost}' row of {cells[0]}: '{cells[1]}' is not 'N × AWS::Service::Type'.");
            return (cells[0], int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), match.Groups[2].Value, cells[5]);
        }).ToList();
    private static readonly string[] Readme = File.ReadAllLines(Path.Combine(PhoenixSettings.RepositoryRoot, "README.md"));

    [Fact]
    public void StackOutputsTable_ListsEveryOutputButCdksCrossStackExports()
    {
        var synthesized = app.AllStacks
            .SelectMany(stack => app.JsonOf(stack)["Outputs"]?.AsObject().Select(o => $"{stack.StackName} {o.Key}") ?? [])
            .Where(output => !output.Contains(" ExportsOutput", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);

        var documented = Rows("### Stack outputs → environment variables")
            .Select(cells => $"{cells[0]} {cells[1].Trim('`')}")
            .Order(StringComparer.Ordinal);

        Assert.Equal(synthesized, documented);
    }

    [Fact]
    public void TeardownTable_ListsEveryRetainedResourceByStackAndType()
    {
        var synthesized = app.AllStacks
            .SelectMany(stack => app.JsonOf(stack)["Resources"]!.AsObject()
                .Where(r => (string?)r.Value!["DeletionPolicy"] == "Retain")
                .GroupBy(r => (string)r.Value!["Type"]!)
                .Select(g => $"{stack.StackName} {g.Count()} × {g.Key}"))
            .Order(StringComparer.Ordinal);

        var documented = Rows("### Teardown")
            .Where(cells => RetainedCount().IsMatch(cells[1]))
            .Select(cells => $"{cells[0]} {cells[1]}")
            .Order(StringComparer.Ordinal);

        Assert.Equal(synthesized, documented);
    }

    /// <summary>The cells of every data row of the first table under <paramref name="heading"/>.</summary>
    private static IEnumerable<string[]> Rows(string heading)
    {
        var start = Array.IndexOf(Readme, heading);
        Assert.True(start >= 0, $"README has no '{heading}' section.");
        return Readme
            .Skip(start + 1)
            .SkipWhile(line => !line.StartsWith('|'))
            .TakeWhile(line => line.StartsWith('|'))
            .Skip(2)
            .Select(line => line.Trim('|').Split('|').Select(cell => cell.Trim()).ToArray());
    }

    [GeneratedRegex(@"^\d+ × AWS::\w+::\w+$")]
    private static partial Regex RetainedCount();

    [GeneratedRegex(@"^(\d+) × (AWS::\w+::\w+)$")]
    private static partial Regex BillableCount();
}
