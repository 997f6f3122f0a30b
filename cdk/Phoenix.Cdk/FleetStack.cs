using Amazon.CDK;
using Amazon.CDK.AWS.EC2;
using Constructs;
using Phoenix.Cdk.Fleet;

namespace Phoenix.Cdk;

public sealed class FleetStackProps : StackProps
{
    public required PhoenixSettings Settings { get; init; }

    public string? BakeProjectName { get; init; }

    public string? DeploymentTopicArn { get; init; }
}

/// <summary>One application's blue/green fleet, in an imported VPC (phoenix:vpcId) or a VPC of its own.</summary>
public sealed class FleetStack : Stack
{
    public FleetStack(Construct scope, string id, FleetStackProps props)
        : base(scope, id, props)
    {
        ArgumentNullException.ThrowIfNull(props);
        var settings = props.Settings;
        Vpc = settings.VpcId is null ? CreateVpc() : ImportVpc(settings);
        Fleet = new BlueGreenFleet(this, "Fleet", new BlueGreenFleetProps
        {
            ApplicationName = settings.Application,
            Vpc = Vpc,
            InstanceType = settings.InstanceType,
            MachineImage = settings.ImageId is null
                ? null
                : new FixedImage(settings.ImageId),
            DesiredCapacity = settings.Capacity,
            MaxCapacity = settings.MaxCapacity,
            ApplicationPort = settings.ApplicationPort,
            HealthCheckPath = settings.HealthCheckPath,
            CertificateArn = settings.CertificateArn,
            EnvironmentName = settings.Environment,
            BakeProjectName = props.BakeProjectName,
            DeploymentTopicArn = props.DeploymentTopicArn,
        });
        _ = new CfnOutput(this, "LoadBalancerDnsName", new CfnOutputProps { Value = Fleet.LoadBalancer.LoadBalancerDnsName });
        _ = new CfnOutput(this, "TopologyParameterName", new CfnOutputProps { Value = Fleet.TopologyParameter.ParameterName });
    }

    public IVpc Vpc { get; }

    public BlueGreenFleet Fleet { get; }

    private Vpc CreateVpc() => new(this, "Vpc", new VpcProps
    {
        MaxAzs = 2,
        NatGateways = 1,
        SubnetConfiguration =
        [
            // Only the load balancer and the NAT gateway live here; neither needs an automatic public IP.
            new SubnetConfiguration { Name = "Public", SubnetType = SubnetType.PUBLIC, CidrMask = 24, MapPublicIpOnLaunch = false },
            new SubnetConfiguration { Name = "Private", SubnetType = SubnetType.PRIVATE_WITH_EGRESS, CidrMask = 22 },
        ],
        FlowLogs = new Dictionary<string, IFlowLogOptions>
        {
            ["FlowLogs"] = new FlowLogOptions
            {
                Destination = FlowLogDestination.ToCloudWatchLogs(Governance.EncryptedLogGroup(this, "FlowLogs")),
                TrafficType = FlowLogTrafficType.REJECT,
            },
        },
    });

    // By attributes, not Vpc.FromLookup: a lookup needs credentials and a fixed account, and synth must work offline.
    private IVpc ImportVpc(PhoenixSettings settings) => Amazon.CDK.AWS.EC2.Vpc.FromVpcAttributes(this, "Vpc", new VpcAttributes
    {
        VpcId = settings.VpcId!,
        AvailabilityZones = [.. settings.AvailabilityZones],
        PublicSubnetIds = [.. settings.PublicSubnetIds],
        PrivateSubnetIds = [.. settings.PrivateSubnetIds],
    });
}
