using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Amazon.EC2;
using Amazon.EC2.Model;
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using Amazon.SQS;
using Phoenix.Aws;
using Phoenix.Aws.AutoScaling;
using Phoenix.Aws.ElasticLoadBalancingV2;
using Phoenix.Core.Domain;
using Phoenix.Core.Serialization;
using Phoenix.Emulator.Tests.Provisioning;
using AsgModel = Phoenix.Aws.AutoScaling.Model;
using ElbModel = Phoenix.Aws.ElasticLoadBalancingV2.Model;
using ResourceType = Amazon.EC2.ResourceType;
using Tag = Phoenix.Emulator.Tests.Provisioning.Tag;

namespace Phoenix.Emulator.Tests.Support;

/// <summary>
/// A whole blue/green fleet in the emulator, provisioned the way the CDK fleet stack (cdk/Phoenix.Cdk.Fleet/BlueGreenFleet.cs)
/// and pipeline stack (its table) create it: VPC with two subnets in two AZs, a security group, one launch template,
/// Auto Scaling group and target group per colour (blue live at <c>capacity</c> with InService instances, green at 0),
/// an ALB whose listener forwards 100/0 by weight, the target 5xx alarm (OK), the deployment topic with an SQS queue
/// subscribed (raw delivery off: the queue receives the SNS envelope, as AWS Chatbot does), the lock/ledger table
/// (pk/sk, TTL on <c>ttl</c>) and the topology parameter <c>/phoenix/apps/{app}/topology</c> the workflow reads.
/// <see cref="FleetExtras"/> adds what Phoenix does not own and must leave as it found it: an authenticate-oidc action
/// before the forward, forward stickiness, a listener rule forwarding to blue, processes suspended on blue.
/// </summary>
public sealed partial class EmulatorFleet : IDisposable
{
    public const string ApplicationTag = "PhoenixApplication";

    private readonly MotoServer _moto;
    private readonly AwsClientFactory _clients;
    private readonly AmazonAutoScalingClient _autoScaling;
    private readonly AmazonElasticLoadBalancingV2Client _loadBalancing;
    private readonly AmazonEC2Client _ec2;
    private ChatChannel? _chat;

    private EmulatorFleet(MotoServer moto, string application)
    {
        _moto = moto;
        Application = application;
        _clients = moto.Clients();
        _autoScaling = _clients.AutoScaling();
        _loadBalancing = _clients.ElasticLoadBalancingV2();
        _ec2 = _clients.Ec2();
    }

    public string Application { get; }

    /// <summary>As stored in the topology parameter and read back through Core's serialization.</summary>
    public FleetTopology Topology { get; private set; } = null!;

    public string TopologyParameterName => $"/phoenix/apps/{Application}/topology";

    public string TableName { get; private set; } = null!;

    /// <summary>The deployment topic and its subscribed queue.</summary>
    public ChatChannel Chat => _chat ?? throw new InvalidOperationException("The fleet is not provisioned.");

    public string TopicArn => Chat.TopicArn;

    public string QueueUrl => Chat.QueueUrl;

    public string LoadBalancerArn { get; private set; } = null!;

    public string ListenerArn => Topology.ListenerArn;

    /// <summary>What was provisioned beyond the plain fleet.</summary>
    public FleetExtras Extras { get; private set; } = FleetExtras.None;

    /// <summary>The listener rule forwarding to blue (<see cref="FleetExtras.RuleToBlue"/>), else null.</summary>
    public string? RuleArn { get; private set; }

    public string AlarmName { get; private set; } = null!;

    public string VpcId { get; private set; } = null!;

    public IReadOnlyList<string> SubnetIds { get; private set; } = [];

    /// <summary>The image both launch templates start from (an available AMI the emulator knows).</summary>
    public string InitialImageId { get; private set; } = null!;

    /// <summary>A second, different available AMI: what a test deploys.</summary>
    public string NewImageId { get; private set; } = null!;

    /// <summary>Provisions the fleet; <paramref name="capacity"/> instances of blue carry the traffic.</summary>
    public static async Task<EmulatorFleet> CreateAsync(MotoServer moto, string application = "web", int capacity = 2, int maxCapacity = 4, FleetExtras? extras = null)
    {
        ArgumentNullException.ThrowIfNull(moto);
        if (!ApplicationPattern().IsMatch(application))
        {
            throw new ArgumentException($"Application '{application}' is not a fleet name (lower-case letters, digits and dashes, at most 24).", nameof(application));
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCapacity, capacity);
        var fleet = new EmulatorFleet(moto, application) { Extras = extras ?? FleetExtras.None };
        try
        {
            await fleet.ProvisionAsync(capacity, maxCapacity);
            return fleet;
        }
        catch
        {
            fleet.Dispose();
            throw;
        }
    }

    /// <summary>Two distinct available AMIs (17-hex ids, as Phoenix accepts), chosen once: moto's image catalogue is fixed.</summary>
    public static async Task<(string Initial, string New)> ImagesAsync(IAmazonEC2 ec2)
    {
        ArgumentNullException.ThrowIfNull(ec2);
        if (_images is { } known)
        {
            return known;
        }

        var response = await ec2.DescribeImagesAsync(new DescribeImagesRequest
        {
            Owners = ["amazon"],
            Filters = [new Filter("state", ["available"]), new Filter("architecture", ["x86_64"])],
        });
        var ids = (response.Images ?? [])
            .Where(i => ImagePattern().IsMatch(i.ImageId) && i.Name?.StartsWith("amzn2-ami", StringComparison.Ordinal) == true)
            .Select(i => i.ImageId)
            .Order(StringComparer.Ordinal)
            .Take(2)
            .ToList();
        if (ids.Count < 2)
        {
            ids = (response.Images ?? []).Where(i => ImagePattern().IsMatch(i.ImageId)).Select(i => i.ImageId).Order(StringComparer.Ordinal).Take(2).ToList();
        }

        if (ids.Count < 2)
        {
            throw new InvalidOperationException($"The emulator lists fewer than two available x86_64 Amazon AMIs with 17-hex ids ({response.Images?.Count ?? 0} images).");
        }

        _images = (ids[0], ids[1]);
        return _images.Value;
    }

    private static (string Initial, string New)? _images;

    /// <summary>Per colour: group sizes, InService instances, listener weight and the image of the group's launch template version.</summary>
    public async Task<FleetObservation> ObserveAsync()
    {
        var weights = await ListenerWeightsAsync();
        return new FleetObservation(
            await ObserveAsync(Topology.Blue, weights),
            await ObserveAsync(Topology.Green, weights));
    }

    /// <summary>The listener's weight per target group ARN (a plain forward counts as weight 1).</summary>
    public async Task<IReadOnlyDictionary<string, int>> ListenerWeightsAsync()
    {
        var listener = (await _loadBalancing.DescribeListenersAsync(new ElbModel.DescribeListenersRequest { ListenerArns = [ListenerArn] })).Listeners!.Single();
        var forward = listener.DefaultActions!.Single(a => a.Type == "forward");
        return forward.ForwardConfig?.TargetGroups is { Count: > 0 } groups
            ? groups.ToDictionary(g => g.TargetGroupArn!, g => g.Weight ?? 1, StringComparer.Ordinal)
            : new Dictionary<string, int>(StringComparer.Ordinal) { [forward.TargetGroupArn!] = 1 };
    }

    /// <summary>
    /// Makes the fleet one Phoenix never managed, as <c>phoenix adopt</c> finds it: the green group, its target group and the
    /// topology parameter deleted, and the listener's default action a plain forward to blue's target group.
    /// </summary>
    public async Task ForgetPhoenixAsync()
    {
        await _loadBalancing.ModifyListenerAsync(new ElbModel.ModifyListenerRequest
        {
            ListenerArn = ListenerArn,
            DefaultActions = [new ElbModel.Action { Type = "forward", TargetGroupArn = Topology.Blue.TargetGroupArn }],
        });
        await _autoScaling.DeleteAutoScalingGroupAsync(new AsgModel.DeleteAutoScalingGroupRequest { AutoScalingGroupName = Topology.Green.AutoScalingGroupName, ForceDelete = true });
        await _loadBalancing.DeleteTargetGroupAsync(new ElbModel.DeleteTargetGroupRequest { TargetGroupArn = Topology.Green.TargetGroupArn });
        using var ssm = _clients.SimpleSystemsManagement();
        await ssm.DeleteParameterAsync(new DeleteParameterRequest { Name = TopologyParameterName });

        // The fleet stack tags its templates; a team's own template carries no Phoenix tag until adopt puts it there.
        await _ec2.DeleteTagsAsync(new DeleteTagsRequest { Resources = [Topology.Blue.LaunchTemplateId], Tags = [new Amazon.EC2.Model.Tag { Key = ApplicationTag }] });
    }

    /// <summary>
    /// The launch template's tags as EC2 DescribeTags reports them. Not DescribeLaunchTemplates: moto answers that with the
    /// tags given at creation, never those CreateTags/DeleteTags changed later (AWS reports the current ones either way).
    /// </summary>
    public async Task<IReadOnlyDictionary<string, string>> LaunchTemplateTagsAsync(string launchTemplateId)
    {
        var response = await _ec2.DescribeTagsAsync(new Amazon.EC2.Model.DescribeTagsRequest { Filters = [new Filter("resource-id", [launchTemplateId])] });
        return (response.Tags ?? []).ToDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal);
    }

    /// <summary>The tags of listeners or rules as ELBv2 reports them, by ARN.</summary>
    public async Task<IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>> LoadBalancingTagsAsync(params string[] arns)
    {
        using var elb = new Provisioning.LoadBalancingProvisioner(_moto);
        var response = await elb.DescribeTagsAsync(new Provisioning.DescribeTagsRequest { ResourceArns = [.. arns] });
        return (response.TagDescriptions ?? []).ToDictionary(
            d => d.ResourceArn!,
            d => (IReadOnlyDictionary<string, string>)(d.Tags ?? []).ToDictionary(t => t.Key!, t => t.Value ?? string.Empty, StringComparer.Ordinal),
            StringComparer.Ordinal);
    }

    /// <summary>The group's instances as Auto Scaling reports them.</summary>
    public async Task<IReadOnlyList<AsgModel.Instance>> InstancesAsync(Colour colour)
    {
        var group = await DescribeGroupAsync(Topology.For(colour).AutoScalingGroupName);
        return group.Instances ?? [];
    }

    /// <summary>
    /// Drains the notification queue: every SNS envelope's Message parsed as the Chatbot JSON Phoenix published, in
    /// the order received. Deletes what it read, so each call returns only what arrived since the last.
    /// </summary>
    public Task<IReadOnlyList<ReceivedNotification>> ReceiveNotificationsAsync() => Chat.ReceiveAsync();

    /// <summary>Sets the fleet's alarm (OK, ALARM, INSUFFICIENT_DATA), as CloudWatch would when the metric breaches.</summary>
    public async Task SetAlarmStateAsync(string state, string reason = "Set by the emulator test")
    {
        using var cloudWatch = new CloudWatchProvisioner(_moto);
        await cloudWatch.SetAlarmStateAsync(new SetAlarmStateRequest { AlarmName = AlarmName, StateValue = state, StateReason = reason });
    }

    public void Dispose()
    {
        _autoScaling.Dispose();
        _loadBalancing.Dispose();
        _ec2.Dispose();
        _chat?.Dispose();
    }

    /// <summary>An SQS client for the emulator (Phoenix has none: only tests read queues).</summary>
    public static AmazonSQSClient CreateSqsClient(MotoServer moto)
    {
        ArgumentNullException.ThrowIfNull(moto);
        return new AmazonSQSClient(MotoServer.Credentials, new AmazonSQSConfig
        {
            ServiceURL = moto.Endpoint,
            AuthenticationRegion = MotoServer.RegionName,
            MaxErrorRetry = 0,
        });
    }

    /// <summary>
    /// Until disposed, keeps each colour's launch-template default version equal to its group's version, so moto reports
    /// instances on the version they were launched from, as AWS does (<see cref="MotoGap.InstanceLaunchTemplateVersion"/>).
    /// Phoenix's health gate checks that version; without this every deployment on moto would time out its health check.
    /// </summary>
    public IAsyncDisposable MirrorInstanceVersionsAsAws()
    {
        var stop = new CancellationTokenSource();
        var loop = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                foreach (var colour in (ColourResources[])[Topology.Blue, Topology.Green])
                {
                    var template = (await DescribeGroupAsync(colour.AutoScalingGroupName)).LaunchTemplate;
                    if (template?.Version is { } version && long.TryParse(version, System.Globalization.CultureInfo.InvariantCulture, out _))
                    {
                        await _ec2.ModifyLaunchTemplateAsync(new ModifyLaunchTemplateRequest { LaunchTemplateId = template.LaunchTemplateId, DefaultVersion = version });
                    }
                }

                await Task.Delay(100, CancellationToken.None);
            }
        });
        return new Mirror(stop, loop);
    }

    private sealed class Mirror(CancellationTokenSource stop, Task loop) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await stop.CancelAsync();
            await loop;
            stop.Dispose();
        }
    }

    private async Task<ColourObservation> ObserveAsync(ColourResources colour, IReadOnlyDictionary<string, int> weights)
    {
        var group = await DescribeGroupAsync(colour.AutoScalingGroupName);
        var template = group.LaunchTemplate ?? throw new InvalidOperationException($"Group '{colour.AutoScalingGroupName}' has no launch template.");
        var versions = await _ec2.DescribeLaunchTemplateVersionsAsync(new DescribeLaunchTemplateVersionsRequest
        {
            LaunchTemplateId = template.LaunchTemplateId,
            Versions = [template.Version ?? "$Default"],
        });
        var version = versions.LaunchTemplateVersions.Single();
        return new ColourObservation(
            group.DesiredCapacity ?? 0,
            group.MinSize ?? 0,
            group.MaxSize ?? 0,
            (group.Instances ?? []).Count(i => i.LifecycleState == "InService"),
            weights.GetValueOrDefault(colour.TargetGroupArn),
            version.VersionNumber ?? 0,
            version.LaunchTemplateData.ImageId);
    }

    private async Task<AsgModel.AutoScalingGroup> DescribeGroupAsync(string name) =>
        (await _autoScaling.DescribeAutoScalingGroupsAsync(new AsgModel.DescribeAutoScalingGroupsRequest { AutoScalingGroupNames = [name] }))
            .AutoScalingGroups?.SingleOrDefault(g => g.AutoScalingGroupName == name)
        ?? throw new InvalidOperationException($"Auto Scaling group '{name}' does not exist in the emulator.");

    private async Task ProvisionAsync(int capacity, int maxCapacity)
    {
        var app = Application;
        (InitialImageId, NewImageId) = await ImagesAsync(_ec2);

        // Network: one VPC, a subnet in each of two Availability Zones, the instances' security group.
        var vpc = await _ec2.CreateVpcAsync(new CreateVpcRequest { CidrBlock = "10.0.0.0/16" });
        VpcId = vpc.Vpc.VpcId;
        var subnets = new List<string>();
        foreach (var (zone, cidr) in new[] { ("us-east-1a", "10.0.1.0/24"), ("us-east-1b", "10.0.2.0/24") })
        {
            subnets.Add((await _ec2.CreateSubnetAsync(new CreateSubnetRequest { VpcId = VpcId, CidrBlock = cidr, AvailabilityZone = zone })).Subnet.SubnetId);
        }

        SubnetIds = subnets;
        var securityGroup = (await _ec2.CreateSecurityGroupAsync(new CreateSecurityGroupRequest
        {
            GroupName = $"phoenix-{app}-instances",
            Description = $"Phoenix {app} instances",
            VpcId = VpcId,
        })).GroupId;

        using var elb = new LoadBalancingProvisioner(_moto);
        LoadBalancerArn = (await elb.CreateLoadBalancerAsync(new CreateLoadBalancerRequest
        {
            Name = $"phoenix-{app}",
            Subnets = subnets,
            SecurityGroups = [securityGroup],
            Scheme = "internet-facing",
            Type = "application",
            Tags = [new Tag { Key = ApplicationTag, Value = app }],
        })).LoadBalancers!.Single().LoadBalancerArn!;

        var blue = await CreateColourAsync(elb, "blue", securityGroup, live: true, capacity, maxCapacity);
        var green = await CreateColourAsync(elb, "green", securityGroup, live: false, capacity, maxCapacity);

        var forward = new ElbModel.Action
        {
            Type = "forward",
            Order = Extras.AuthenticateOidc ? 2 : null,
            ForwardConfig = new ElbModel.ForwardActionConfig
            {
                TargetGroups =
                [
                    new ElbModel.TargetGroupTuple { TargetGroupArn = blue.TargetGroupArn, Weight = 100 },
                    new ElbModel.TargetGroupTuple { TargetGroupArn = green.TargetGroupArn, Weight = 0 },
                ],
                TargetGroupStickinessConfig = Extras.StickinessSeconds is { } seconds ? new ElbModel.TargetGroupStickinessConfig { Enabled = true, DurationSeconds = seconds } : null,
            },
        };

        // AWS takes authenticate actions only on HTTPS listeners; moto takes them on this HTTP one (MotoGap.AuthenticateOnHttpListener),
        // which spares the tests a certificate.
        var listenerArn = (await elb.CreateListenerAsync(new CreateListenerRequest
        {
            LoadBalancerArn = LoadBalancerArn,
            Protocol = "HTTP",
            Port = 80,
            DefaultActions = Extras.AuthenticateOidc ? [FleetExtras.OidcAction(), forward] : [forward],
        })).Listeners!.Single().ListenerArn!;

        if (Extras.RuleToBlue)
        {
            RuleArn = (await elb.CreateRuleAsync(new CreateRuleRequest
            {
                ListenerArn = listenerArn,
                Priority = 10,
                Conditions = [new ElbModel.RuleCondition { Field = "path-pattern", PathPatternConfig = new ElbModel.ValuesConditionConfig { Values = ["/api/*"] } }],
                Actions =
                [
                    new ElbModel.Action
                    {
                        Type = "forward",
                        ForwardConfig = new ElbModel.ForwardActionConfig { TargetGroups = [new ElbModel.TargetGroupTuple { TargetGroupArn = blue.TargetGroupArn, Weight = 1 }] },
                    },
                ],
            })).Rules!.Single().RuleArn!;
        }

        if (Extras.BlueSuspendedProcesses is { Count: > 0 } processes)
        {
            await _autoScaling.SuspendProcessesAsync(new AsgModel.SuspendProcessesRequest { AutoScalingGroupName = blue.AutoScalingGroupName, ScalingProcesses = [.. processes] });
        }

        // The fleet's own alarm, as BlueGreenFleet names it, settled in OK (a new alarm starts INSUFFICIENT_DATA).
        AlarmName = $"phoenix-{app}-target-5xx";
        using (var cloudWatch = new CloudWatchProvisioner(_moto))
        {
            await cloudWatch.PutMetricAlarmAsync(new PutMetricAlarmRequest
            {
                AlarmName = AlarmName,
                AlarmDescription = $"{app}: the targets answered with 5xx; Phoenix rolls a deployment back while this is in ALARM.",
                Namespace = "AWS/ApplicationELB",
                MetricName = "HTTPCode_Target_5XX_Count",
                Dimensions = [new Dimension { Name = "LoadBalancer", Value = LoadBalancerArn[(LoadBalancerArn.IndexOf(":loadbalancer/", StringComparison.Ordinal) + ":loadbalancer/".Length)..] }],
                Statistic = "Sum",
                Period = 60,
                EvaluationPeriods = 1,
                Threshold = 5,
                ComparisonOperator = "GreaterThanThreshold",
                TreatMissingData = "notBreaching",
            });
            await cloudWatch.SetAlarmStateAsync(new SetAlarmStateRequest { AlarmName = AlarmName, StateValue = "OK", StateReason = "Provisioned" });
        }

        // Deployment notifications: the topic Chatbot would subscribe to, here an SQS queue receiving the SNS envelope.
        _chat = await ChatChannel.CreateAsync(_moto, $"phoenix-{app}-deployments", $"phoenix-{app}-chat");

        TableName = $"phoenix-{app}-state";
        using (var dynamo = _clients.DynamoDb())
        {
            await StateTable.CreateAsync(dynamo, TableName);
        }

        // The topology as the fleet stack writes it (BlueGreenFleet.TopologyJson), read back the way Core reads it.
        static JsonObject Colour(ColourResources c) => new()
        {
            ["autoScalingGroupName"] = c.AutoScalingGroupName,
            ["targetGroupArn"] = c.TargetGroupArn,
            ["launchTemplateId"] = c.LaunchTemplateId,
        };
        var topology = new JsonObject
        {
            ["application"] = app,
            ["blue"] = Colour(blue),
            ["green"] = Colour(green),
            ["listenerArn"] = listenerArn,
            ["alarmNames"] = new JsonArray { AlarmName },
            ["minHealthyPercentage"] = 90,
            ["defaultCapacity"] = capacity,
            ["deploymentTopicArn"] = TopicArn,
        }.ToJsonString();
        using (var ssm = _clients.SimpleSystemsManagement())
        {
            await ssm.PutParameterAsync(new PutParameterRequest { Name = TopologyParameterName, Type = ParameterType.String, Value = topology });
        }

        Topology = JsonSerializer.Deserialize(topology, CoreJsonContext.Default.FleetTopology)!;
    }

    private async Task<ColourResources> CreateColourAsync(LoadBalancingProvisioner elb, string colour, string securityGroup, bool live, int capacity, int maxCapacity)
    {
        var name = $"{Application}-{colour}";
        var template = (await _ec2.CreateLaunchTemplateAsync(new CreateLaunchTemplateRequest
        {
            LaunchTemplateName = name,
            LaunchTemplateData = new RequestLaunchTemplateData
            {
                ImageId = InitialImageId,
                InstanceType = InstanceType.T3Medium,
                SecurityGroupIds = [securityGroup],
                MetadataOptions = new LaunchTemplateInstanceMetadataOptionsRequest { HttpTokens = LaunchTemplateHttpTokensState.Required, HttpPutResponseHopLimit = 1 },
            },
            TagSpecifications =
            [
                new TagSpecification
                {
                    ResourceType = ResourceType.LaunchTemplate,
                    Tags = [new Amazon.EC2.Model.Tag("Name", name), new Amazon.EC2.Model.Tag(ApplicationTag, Application)],
                },
            ],
        })).LaunchTemplate;

        var targetGroupArn = (await elb.CreateTargetGroupAsync(new CreateTargetGroupRequest
        {
            Name = name,
            Protocol = "HTTP",
            Port = 80,
            VpcId = VpcId,
            TargetType = "instance",
            HealthCheckPath = "/health",
            HealthCheckIntervalSeconds = 15,
            HealthyThresholdCount = 2,
            UnhealthyThresholdCount = 2,
            Tags = [new Tag { Key = ApplicationTag, Value = Application }],
        })).TargetGroups!.Single().TargetGroupArn!;

        using var autoScaling = new AutoScalingProvisioner(_moto);
        await autoScaling.CreateAutoScalingGroupAsync(new CreateAutoScalingGroupRequest
        {
            AutoScalingGroupName = name,
            // CDK pins the group to the template's version number (LatestVersionNumber), not $Latest/$Default.
            LaunchTemplate = new LaunchTemplateReference { LaunchTemplateId = template.LaunchTemplateId, Version = template.LatestVersionNumber?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "1" },
            MinSize = live ? capacity : 0,
            MaxSize = maxCapacity,
            DesiredCapacity = live ? capacity : 0,
            VPCZoneIdentifier = string.Join(',', SubnetIds),
            TargetGroupARNs = [targetGroupArn],
            HealthCheckType = "ELB",
            HealthCheckGracePeriod = 300,
            Tags =
            [
                new Tag { Key = "Name", Value = name, PropagateAtLaunch = true },
                new Tag { Key = "PhoenixColour", Value = colour, PropagateAtLaunch = true },
                new Tag { Key = ApplicationTag, Value = Application, PropagateAtLaunch = true },
                new Tag { Key = "Environment", Value = "test", PropagateAtLaunch = true },
            ],
        });
        return new ColourResources(name, targetGroupArn, template.LaunchTemplateId);
    }

    [GeneratedRegex("^[a-z][a-z0-9-]{0,23}$")]
    private static partial Regex ApplicationPattern();

    [GeneratedRegex("^ami-[0-9a-f]{17}$")]
    private static partial Regex ImagePattern();
}

/// <summary>
/// What a fleet carries that Phoenix does not own. <see cref="AuthenticateOidc"/>: an authenticate-oidc default action
/// (order 1, <see cref="OidcAction"/>) before the weighted forward (order 2); <see cref="StickinessSeconds"/>: the forward's
/// target-group stickiness; <see cref="RuleToBlue"/>: a rule (priority 10, path /api/*) forwarding to blue;
/// <see cref="BlueSuspendedProcesses"/>: processes someone suspended on the blue group.
/// </summary>
public sealed record FleetExtras(bool AuthenticateOidc = false, int? StickinessSeconds = null, bool RuleToBlue = false, IReadOnlyList<string>? BlueSuspendedProcesses = null)
{
    public const string OidcClientSecret = "oidc-client-secret";

    public static FleetExtras None { get; } = new();

    /// <summary>Everything at once, as a fleet behind a company login might have it.</summary>
    public static FleetExtras All { get; } = new(AuthenticateOidc: true, StickinessSeconds: 3600, RuleToBlue: true, BlueSuspendedProcesses: ["AZRebalance"]);

    public static ElbModel.Action OidcAction() => new()
    {
        Type = "authenticate-oidc",
        Order = 1,
        AuthenticateOidcConfig = new ElbModel.AuthenticateOidcActionConfig
        {
            Issuer = "https://idp.example.com",
            AuthorizationEndpoint = "https://idp.example.com/authorize",
            TokenEndpoint = "https://idp.example.com/token",
            UserInfoEndpoint = "https://idp.example.com/userinfo",
            ClientId = "phoenix-web",
            ClientSecret = OidcClientSecret,
            Scope = "openid email",
            SessionTimeout = 3600,
            AuthenticationRequestExtraParams = new() { ["display"] = "page" },
            OnUnauthenticatedRequest = "authenticate",
        },
    };
}

/// <summary>One colour as observed: sizes, InService instances, listener weight and its launch template version's image.</summary>
public sealed record ColourObservation(int Desired, int Min, int Max, int InService, int Weight, long LaunchTemplateVersion, string ImageId);

public sealed record FleetObservation(ColourObservation Blue, ColourObservation Green)
{
    public ColourObservation For(Colour colour) => colour == Colour.Blue ? Blue : Green;
}

/// <summary>One SNS notification as the subscribed queue received it: the envelope's subject and its message parsed as JSON.</summary>
public sealed record ReceivedNotification(string? Subject, JsonObject Message, string TopicArn)
{
    /// <summary>Unwraps the SNS envelope (<c>{"Type":"Notification","TopicArn",…,"Message":"…"}</c>, raw delivery off).</summary>
    public static ReceivedNotification FromSnsEnvelope(string body) => SnsEnvelope.Unwrap(body);
}

internal static class SnsEnvelope
{
    public static ReceivedNotification Unwrap(string body)
    {
        var envelope = JsonNode.Parse(body)?.AsObject() ?? throw new InvalidOperationException($"The queue message is not JSON: {body}");
        if ((string?)envelope["Type"] != "Notification" || (string?)envelope["Message"] is not { } message)
        {
            throw new InvalidOperationException($"The queue message is not an SNS notification envelope: {body}");
        }

        var parsed = JsonNode.Parse(message) as JsonObject ?? throw new InvalidOperationException($"The SNS message is not a JSON object: {message}");
        return new ReceivedNotification((string?)envelope["Subject"], parsed, (string?)envelope["TopicArn"] ?? string.Empty);
    }
}
