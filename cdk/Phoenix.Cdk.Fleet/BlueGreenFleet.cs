using System.Globalization;
using System.Text.RegularExpressions;
using Amazon.CDK;
using Amazon.CDK.AWS.AutoScaling;
using Amazon.CDK.AWS.CloudWatch;
using Amazon.CDK.AWS.CloudWatch.Actions;
using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.ElasticLoadBalancingV2;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.Lambda;
using Amazon.CDK.AWS.SNS;
using Amazon.CDK.AWS.SSM;
using Amazon.CDK.CustomResources;
using Constructs;
using Phoenix.Core.Domain;
using Phoenix.Core.Serialization;
using BlockDevice = Amazon.CDK.AWS.EC2.BlockDevice;
using BlockDeviceVolume = Amazon.CDK.AWS.EC2.BlockDeviceVolume;
using EbsDeviceOptions = Amazon.CDK.AWS.EC2.EbsDeviceOptions;
using EbsDeviceVolumeType = Amazon.CDK.AWS.EC2.EbsDeviceVolumeType;
using HealthCheck = Amazon.CDK.AWS.ElasticLoadBalancingV2.HealthCheck;
using static Phoenix.Cdk.Fleet.Suppressions;

namespace Phoenix.Cdk.Fleet;

/// <summary>Flat, AWS-named settings of one blue/green fleet. Defaults follow the reference design.</summary>
public sealed class BlueGreenFleetProps
{
    /// <summary>
    /// Lower-case letters, digits and dashes, at most 24 characters (the load balancer is phoenix-&lt;name&gt;). Unique per
    /// account and region: it names the fleet's parameters, alarms and load balancer, so two environments of one
    /// application are two names (for example web and web-staging).
    /// </summary>
    public required string ApplicationName { get; init; }

    public required IVpc Vpc { get; init; }

    public string InstanceType { get; init; } = "t3.medium";

    /// <summary>
    /// The image both colours start from; from the first Phoenix deployment on, each colour runs what Phoenix deployed
    /// to it. Default: the latest Amazon Linux 2023 at the stack's creation, with user data that answers the health check
    /// (<see cref="BlueGreenFleet.UserData"/>) so the fresh fleet passes it.
    /// </summary>
    public IMachineImage? MachineImage { get; init; }

    /// <summary>
    /// Instances of the live colour when the fleet is created (its minimum; the idle colour starts at zero), and the size of
    /// a deployment to a fleet with nothing live (the topology's defaultCapacity). Applied to the groups once, at creation:
    /// changing it later resizes nothing (Phoenix and the scaling policies own the sizes; resize with a deployment's capacity).
    /// </summary>
    public int DesiredCapacity { get; init; } = 2;

    /// <summary>Both groups' maximum when the fleet is created; like <see cref="DesiredCapacity"/>, applied once.</summary>
    public int MaxCapacity { get; init; } = 4;

    /// <summary>Instance maintenance (refresh, health replacement, drift replacement) keeps this share in service.</summary>
    public int MinHealthyPercentage { get; init; } = 90;

    public int ApplicationPort { get; init; } = 80;

    public string HealthCheckPath { get; init; } = "/health";

    /// <summary>ACM certificate for an HTTPS listener on 443; without it the listener is HTTP on 80.</summary>
    public string? CertificateArn { get; init; }

    public bool InternetFacing { get; init; } = true;

    /// <summary>Where the instances run. Default: the VPC's private subnets with egress.</summary>
    public SubnetSelection? InstanceSubnets { get; init; }

    /// <summary>Where the load balancer runs. Default: public subnets when internet-facing, private ones otherwise.</summary>
    public SubnetSelection? LoadBalancerSubnets { get; init; }

    /// <summary>
    /// The instances' user data (both colours, and every launch-template version Phoenix derives from them). Default:
    /// with no <see cref="MachineImage"/>, a placeholder that answers the health check on images without an application;
    /// with one, empty. Add to it through <see cref="BlueGreenFleet.UserData"/>.
    /// </summary>
    public UserData? UserData { get; init; }

    /// <summary>The Environment tag.</summary>
    public string EnvironmentName { get; init; } = "production";

    /// <summary>The colour that carries traffic when the fleet is first created: blue or green.</summary>
    public string InitialLiveColour { get; init; } = "blue";

    /// <summary>Alarms the workflow's CheckAlarms step watches besides the fleet's own (<see cref="BlueGreenFleet.AlarmNames"/>).</summary>
    public IReadOnlyList<string> AdditionalAlarmNames { get; init; } = [];

    /// <summary>A colour's target 5xx responses, as a percentage of its requests in one minute, above which its alarm fires.</summary>
    public double TargetErrorRatePercent { get; init; } = 2;

    /// <summary>The load balancer's own 5xx responses (502/503/504), as a percentage of all its requests in one minute.</summary>
    public double LoadBalancerErrorRatePercent { get; init; } = 2;

    /// <summary>
    /// Fewer 5xx responses than this in a minute never fire an error-rate alarm, whatever the rate: one error among a
    /// canary's handful of requests is noise, not a failed deployment.
    /// </summary>
    public int MinimumErrorCount { get; init; } = 5;

    /// <summary>A colour's p99 target response time, in seconds, above which its latency alarm fires.</summary>
    public double ResponseTimeP99Seconds { get; init; } = 2;

    /// <summary>
    /// The CodeBuild project the workflow bakes with when a deployment names no image. It receives the deployment's commit
    /// as its source version, so its source must be a repository (GitHub, CodeCommit, Bitbucket, GitLab): Phoenix refuses
    /// to bake with an S3-sourced one, which would read the commit as an object version. Null: every deployment names its image.
    /// </summary>
    public string? BakeProjectName { get; init; }

    public string? DeploymentTopicArn { get; init; }

    /// <summary>Where the fleet's parameters go; the workflow's PHOENIX_TOPOLOGY_PREFIX must match.</summary>
    public string TopologyParameterPrefix { get; init; } = FleetConventions.ParameterPrefix;

    /// <summary>Keeps the load balancer (the fleet's public address) from being deleted with the stack.</summary>
    public bool DeletionProtection { get; init; } = true;
}

/// <summary>
/// A blue/green fleet: an ALB whose listener forwards by weight to two target groups, one Auto Scaling group with its
/// own launch template per colour, each colour's image parameter, and the topology parameter the Phoenix workflow reads
/// to find them.
/// <para>
/// Ownership: CloudFormation creates the fleet; from the first deployment on Phoenix owns each colour's image and
/// launch-template version, the listener's weights and the groups' sizes, and nothing here re-asserts them on a later
/// stack update. The launch templates take their image from the colour's image parameter at each launch
/// (<c>resolve:ssm:</c>), which the stack creates once and Phoenix's Finalize step writes afterwards, so a new stock image
/// or a changed image setting changes no template. The groups' size properties are constants (no desired capacity),
/// ignored on update while unmodified, and the configured sizes are applied once by a create-only call; the listener's weights are the values it was created with, and CloudFormation sends a
/// listener's actions again only when something of the listener itself changes.
/// </para>
/// </summary>
public sealed partial class BlueGreenFleet : Construct, IConnectable
{
    private readonly List<string> _alarmNames = [];

    public BlueGreenFleet(Construct scope, string id, BlueGreenFleetProps props)
        : base(scope, Validated(scope, props, id))
    {
        var app = props.ApplicationName;
        var https = props.CertificateArn is not null;
        var listenerPort = https ? 443 : 80;
        ApplicationName = app;
        ParameterPrefix = props.TopologyParameterPrefix;

        var loadBalancerGroup = new SecurityGroup(this, "LoadBalancerSecurityGroup", new SecurityGroupProps
        {
            Vpc = props.Vpc,
            Description = $"Phoenix {app} load balancer",
            AllowAllOutbound = false,
        });
        loadBalancerGroup.AddIngressRule(props.InternetFacing ? Peer.AnyIpv4() : Peer.Ipv4(props.Vpc.VpcCidrBlock), Port.Tcp(listenerPort), "Clients");
        if (props.InternetFacing)
        {
            SuppressNag(loadBalancerGroup, ("AwsSolutions-EC23", "An internet-facing load balancer takes client traffic from anywhere, on its listener port only."));
        }

        InstanceSecurityGroup = new SecurityGroup(this, "InstanceSecurityGroup", new SecurityGroupProps
        {
            Vpc = props.Vpc,
            Description = $"Phoenix {app} instances",
            AllowAllOutbound = true,
        });
        InstanceSecurityGroup.AddIngressRule(loadBalancerGroup, Port.Tcp(props.ApplicationPort), "Load balancer to the application");
        loadBalancerGroup.AddEgressRule(InstanceSecurityGroup, Port.Tcp(props.ApplicationPort), "Load balancer to the application");
        InstanceSubnets = props.InstanceSubnets ?? new SubnetSelection { SubnetType = SubnetType.PRIVATE_WITH_EGRESS };

        LoadBalancer = new ApplicationLoadBalancer(this, "LoadBalancer", new ApplicationLoadBalancerProps
        {
            Vpc = props.Vpc,
            LoadBalancerName = "phoenix-" + app,
            InternetFacing = props.InternetFacing,
            VpcSubnets = props.LoadBalancerSubnets
                ?? new SubnetSelection { SubnetType = props.InternetFacing ? SubnetType.PUBLIC : SubnetType.PRIVATE_WITH_EGRESS },
            SecurityGroup = loadBalancerGroup,
            DropInvalidHeaderFields = true,
            DeletionProtection = props.DeletionProtection,
        });
        const string accessLogs = "Access logs need the region's ELB log-delivery account, unknown to an account-agnostic template; enable them per account.";
        SuppressNag(LoadBalancer, ("AwsSolutions-ELB2", accessLogs));
        SuppressGuard(LoadBalancer, ("elbv2_logging_enabled_check", accessLogs));
        if (https)
        {
            loadBalancerGroup.AddIngressRule(Peer.AnyIpv4(), Port.Tcp(80), "Clients (redirected to HTTPS)");
            _ = LoadBalancer.AddRedirect(new ApplicationLoadBalancerRedirectConfig { SourcePort = 80, TargetPort = 443 });
        }

        InstanceRole = new Role(this, "InstanceRole", new RoleProps
        {
            AssumedBy = new ServicePrincipal("ec2.amazonaws.com"),
            // The handlers may pass only roles on this path (to EC2), when they point a group at a new template version.
            Path = FleetConventions.InstanceRolePath,
            Description = $"Phoenix {app} instances: Session Manager access only (no SSH keys).",
            ManagedPolicies = [ManagedPolicy.FromAwsManagedPolicyName("AmazonSSMManagedInstanceCore")],
        });
        SuppressNag(InstanceRole, ("AwsSolutions-IAM4", "AmazonSSMManagedInstanceCore is the AWS-maintained minimum for the SSM agent (Session Manager, inventory for the Config rule)."));

        UserData = props.UserData ?? Amazon.CDK.AWS.EC2.UserData.ForLinux();
        if (props.MachineImage is null && props.UserData is null)
        {
            UserData.AddCommands(PlaceholderCommands(props.ApplicationPort, props.HealthCheckPath));
        }

        // Resolved once, as the image parameters' first value; the launch templates never see it.
        var initialImage = (props.MachineImage ?? Amazon.CDK.AWS.EC2.MachineImage.LatestAmazonLinux2023()).GetImage(this).ImageId;
        var blueLive = props.InitialLiveColour == "blue";
        Blue = CreateColour(Colour.Blue, props, initialImage, blueLive);
        Green = CreateColour(Colour.Green, props, initialImage, !blueLive);

        Listener = LoadBalancer.AddListener("Listener", new BaseApplicationListenerProps
        {
            Port = listenerPort,
            Protocol = https ? ApplicationProtocol.HTTPS : ApplicationProtocol.HTTP,
            Certificates = https ? [ListenerCertificate.FromArn(props.CertificateArn!)] : null,
            SslPolicy = https ? SslPolicy.RECOMMENDED_TLS : null,
            Open = false,
            // Phoenix's SwapTraffic moves these weights. CloudFormation updates a resource only when its properties in the
            // template change, and nothing here depends on an image, a size or a deployment, so a stack update leaves the
            // weights Phoenix set; a change to the listener itself (port, certificate) may send this action again (README, Known limitations).
            DefaultAction = ListenerAction.WeightedForward(
            [
                new WeightedTargetGroup { TargetGroup = Blue.TargetGroup, Weight = blueLive ? 100 : 0 },
                new WeightedTargetGroup { TargetGroup = Green.TargetGroup, Weight = blueLive ? 0 : 100 },
            ]),
        });
        if (!https)
        {
            SuppressGuard(Listener, ("alb_http_to_https_redirection_check",
                "No certificate was given (BlueGreenFleetProps.CertificateArn / phoenix:certificateArn); with one the listener is HTTPS and port 80 redirects."));
        }

        var deploymentTopic = props.DeploymentTopicArn is null ? null : Topic.FromTopicArn(this, "DeploymentTopic", props.DeploymentTopicArn);
        var alarms = new List<Alarm>();
        foreach (var colour in new[] { Blue, Green })
        {
            alarms.Add(TargetErrorRateAlarm(props, colour));
            alarms.Add(ResponseTimeAlarm(props, colour));
        }

        alarms.Add(LoadBalancerErrorRateAlarm(props));
        foreach (var alarm in alarms)
        {
            if (deploymentTopic is not null)
            {
                alarm.AddAlarmAction(new SnsAction(deploymentTopic));
            }
            else
            {
                SuppressGuard(alarm, ("cloudwatch_alarm_action_check",
                    "Phoenix's CheckAlarms step reads this alarm's state during deployments; no DeploymentTopicArn was given to notify."));
            }
        }

        Alarms = alarms;
        AlarmNames = _alarmNames;

        TopologyParameter = new StringParameter(this, "Topology", new StringParameterProps
        {
            ParameterName = FleetConventions.TopologyParameter(app, props.TopologyParameterPrefix),
            Description = $"Phoenix topology of {app} (FleetTopology, read by ResolveFleet).",
            StringValue = TopologyJson(Topology(props)),
        });

        Tags.Of(this).Add("Environment", props.EnvironmentName);
        Tags.Of(this).Add(FleetConventions.ApplicationTag, app);
    }

    public string ApplicationName { get; }

    /// <summary>The prefix of the fleet's parameters (<see cref="FleetConventions"/>).</summary>
    public string ParameterPrefix { get; }

    public ApplicationLoadBalancer LoadBalancer { get; }

    public ApplicationListener Listener { get; }

    public FleetColour Blue { get; }

    public FleetColour Green { get; }

    /// <summary>Both colours' instances (the load balancer may reach them on the application port).</summary>
    public SecurityGroup InstanceSecurityGroup { get; }

    /// <summary>The instances' connections, for <c>fleet.Connections.AllowTo(database, Port.Tcp(5432))</c> and the like.</summary>
    public Connections_ Connections => InstanceSecurityGroup.Connections;

    /// <summary>The instances' role (Session Manager only); grant the application's permissions to it.</summary>
    public Role InstanceRole { get; }

    /// <summary>The instances' user data; commands added here reach both colours and every version Phoenix derives.</summary>
    public UserData UserData { get; }

    /// <summary>The subnets both colours' groups launch into.</summary>
    public SubnetSelection InstanceSubnets { get; }

    /// <summary>
    /// What a deployment needs watched, on both colours because "green" is whichever is idle: per target group the target
    /// 5xx rate and the p99 response time, and the load balancer's own 5xx rate (ELB publishes HTTPCode_ELB_5XX_Count per
    /// load balancer and zone only, never per target group). The topology lists them for CheckAlarms.
    /// </summary>
    public IReadOnlyList<Alarm> Alarms { get; }

    /// <summary>The names of <see cref="Alarms"/> (concrete strings, so the topology and the tests can read them).</summary>
    public IReadOnlyList<string> AlarmNames { get; }

    public StringParameter TopologyParameter { get; }

    /// <summary>One colour's resources, and the parameter its launch template takes the image from.</summary>
    public sealed record FleetColour(Colour Colour, AutoScalingGroup Group, LaunchTemplate LaunchTemplate, ApplicationTargetGroup TargetGroup, string ImageParameterName);

    /// <summary>
    /// Applies the same change to both colours' groups: whichever colour is idle becomes the live one at the next deployment,
    /// so scaling policies, scheduled actions and hooks must exist on both (Phoenix preserves them across deployments).
    /// </summary>
    public void ForEachColour(Action<FleetColour> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        configure(Blue);
        configure(Green);
    }

    /// <summary>Target tracking on average CPU, on both colours. The idle colour, at zero instances, publishes nothing and stays there.</summary>
    public void ScaleOnCpuUtilization(double targetUtilizationPercent) =>
        ForEachColour(c => c.Group.ScaleOnCpuUtilization("CpuScaling", new CpuUtilizationScalingProps { TargetUtilizationPercent = targetUtilizationPercent }));

    /// <summary>Target tracking on requests per instance per minute through the colour's target group, on both colours.</summary>
    public void ScaleOnRequestCount(double targetRequestsPerMinute) =>
        ForEachColour(c => c.Group.ScaleOnRequestCount("RequestScaling", new RequestCountScalingProps { TargetRequestsPerMinute = targetRequestsPerMinute }));

    private FleetColour CreateColour(Colour colour, BlueGreenFleetProps props, string initialImage, bool live)
    {
        var wire = colour.ToWire();
        var title = Capitalized(wire);
        var name = $"{props.ApplicationName}-{wire}";
        var imageParameter = CreateImageParameter(colour, title, props, initialImage);
        var template = new LaunchTemplate(this, title + "LaunchTemplate", new LaunchTemplateProps
        {
            // EC2 resolves the colour's image parameter at every launch; the template itself never names an image.
            MachineImage = Amazon.CDK.AWS.EC2.MachineImage.ResolveSsmParameterAtLaunch(
                FleetConventions.ImageParameter(props.ApplicationName, colour, props.TopologyParameterPrefix),
                new SsmParameterImageOptions { Os = OperatingSystemType.LINUX, UserData = UserData }),
            UserData = UserData,
            InstanceType = new InstanceType(props.InstanceType),
            Role = InstanceRole,
            SecurityGroup = InstanceSecurityGroup,
            RequireImdsv2 = true,
            HttpPutResponseHopLimit = 1,
            AssociatePublicIpAddress = false,
            DetailedMonitoring = true,
            BlockDevices =
            [
                new BlockDevice
                {
                    DeviceName = "/dev/xvda",
                    Volume = BlockDeviceVolume.Ebs(20, new EbsDeviceOptions { Encrypted = true, VolumeType = EbsDeviceVolumeType.GP3, DeleteOnTermination = true }),
                },
            ],
        });
        // EC2 refuses a launch template naming a parameter that does not exist yet.
        template.Node.AddDependency(imageParameter);
        var targetGroup = new ApplicationTargetGroup(this, title + "TargetGroup", new ApplicationTargetGroupProps
        {
            Vpc = props.Vpc,
            Port = props.ApplicationPort,
            Protocol = ApplicationProtocol.HTTP,
            TargetType = TargetType.INSTANCE,
            DeregistrationDelay = Duration.Seconds(30),
            HealthCheck = new HealthCheck
            {
                Path = props.HealthCheckPath,
                HealthyHttpCodes = "200",
                Interval = Duration.Seconds(15),
                Timeout = Duration.Seconds(5),
                HealthyThresholdCount = 2,
                UnhealthyThresholdCount = 2,
            },
        });
        var autoScaling = new AutoScalingGroup(this, title + "Group", new AutoScalingGroupProps
        {
            Vpc = props.Vpc,
            VpcSubnets = InstanceSubnets,
            LaunchTemplate = template,
            // Constants, whatever the settings: CloudFormation applies a group's size properties whenever their template
            // values change, so a size derived from phoenix:capacity would be re-asserted over what Phoenix set each time
            // the setting changed. The configured sizes are applied once, at creation (InitialSizes). No desired
            // capacity: the group starts at its minimum, empty. The maximum never shrinks a group when a stack created
            // with size properties derived from settings is updated to these constants (AWS lowers desired to a lower
            // maximum), and InitialSizes replaces it straight after creation.
            MinCapacity = TemplateMinSize,
            MaxCapacity = TemplateMaxSize,
            HealthCheck = Amazon.CDK.AWS.AutoScaling.HealthCheck.Elb(new ElbHealthCheckOptions { Grace = Duration.Minutes(5) }),
            Cooldown = Duration.Minutes(5),
            MinHealthyPercentage = props.MinHealthyPercentage,
            MaxHealthyPercentage = props.MinHealthyPercentage + 100,
            DefaultInstanceWarmup = Duration.Minutes(2),
        });
        // Without this policy CloudFormation sets MinSize/MaxSize (and DesiredCapacity) back to the template's values on
        // every update of the group, whatever changed; with it, only when those values change in the template.
        // https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-updatepolicy.html
        ((CfnAutoScalingGroup)autoScaling.Node.DefaultChild!).CfnOptions.UpdatePolicy = new CfnUpdatePolicy
        {
            AutoScalingScheduledAction = new CfnAutoScalingScheduledAction { IgnoreUnmodifiedGroupSizeProperties = true },
        };
        autoScaling.AttachToApplicationTargetGroup(targetGroup);
        _ = InitialSizes(title, props, autoScaling, live);
        Tags.Of(autoScaling).Add("Name", name);
        Tags.Of(template).Add("Name", name);
        Tags.Of(autoScaling).Add(FleetConventions.ColourTag, wire);
        SuppressNag(autoScaling,
            ("AwsSolutions-AS3", "Deployment and drift events reach chat through Phoenix's own topics; per-group notifications would repeat them."));
        SuppressGuard(autoScaling,
            ("autoscaling_multiple_az_check", "The group spans every private subnet of the VPC (one per Availability Zone) through VPCZoneIdentifier; the rule reads only AvailabilityZones."),
            ("autoscaling_mixed_instances_policy_multiple_instance_types_check",
                "A colour runs one instance type so blue and green have equal capacity per instance, which the health gate and the swap rely on."));
        return new FleetColour(colour, autoScaling, template, targetGroup, FleetConventions.ImageParameter(props.ApplicationName, colour, props.TopologyParameterPrefix));
    }

    /// <summary>The groups' size properties in the template: the same for every fleet and every setting (see <see cref="InitialSizes"/>).</summary>
    internal const int TemplateMinSize = 0;

    /// <inheritdoc cref="TemplateMinSize"/>
    internal const int TemplateMaxSize = 1000;

    /// <summary>
    /// The configured sizes, applied once when the fleet is created: the initially live colour gets min = desired =
    /// <see cref="BlueGreenFleetProps.DesiredCapacity"/>, the idle one stays empty; both get max =
    /// <see cref="BlueGreenFleetProps.MaxCapacity"/>. Like the image parameters it has a create call and no update call,
    /// so a changed phoenix:capacity or phoenix:maxCapacity (which changes this resource's create call) reaches no live
    /// group: from the creation on, the sizes are Phoenix's (ScaleUpGreen, Finalize, ScaleDownPrevious) and the scaling
    /// policies'. Nothing to undo on delete: CloudFormation deletes the group.
    /// https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_UpdateAutoScalingGroup.html
    /// </summary>
    private AwsCustomResource InitialSizes(string title, BlueGreenFleetProps props, AutoScalingGroup group, bool live)
    {
        var parameters = new Dictionary<string, object>
        {
            ["AutoScalingGroupName"] = group.AutoScalingGroupName,
            ["MinSize"] = live ? props.DesiredCapacity : 0,
            ["MaxSize"] = props.MaxCapacity,
        };
        if (live)
        {
            parameters["DesiredCapacity"] = props.DesiredCapacity;
        }

        var groupArn = Stack.Of(this).FormatArn(new ArnComponents
        {
            Service = "autoscaling",
            Resource = "autoScalingGroup",
            ArnFormat = ArnFormat.COLON_RESOURCE_NAME,
            ResourceName = "*:autoScalingGroupName/" + group.AutoScalingGroupName,
        });
        var resource = new AwsCustomResource(this, title + "InitialSizes", new AwsCustomResourceProps
        {
            ResourceType = "Custom::PhoenixInitialSizes",
            InstallLatestAwsSdk = false,
            OnCreate = new AwsSdkCall
            {
                Service = "AutoScaling",
                Action = "updateAutoScalingGroup",
                Parameters = parameters,
                PhysicalResourceId = PhysicalResourceId.Of(group.AutoScalingGroupName),
            },
            Policy = AwsCustomResourcePolicy.FromStatements(
            [
                new PolicyStatement(new PolicyStatementProps { Actions = ["autoscaling:UpdateAutoScalingGroup"], Resources = [groupArn] }),
            ]),
        });
        SuppressNag(resource.Node.FindChild("CustomResourcePolicy"),
            ("AwsSolutions-IAM5", "The one wildcard is the group's id inside its ARN, unknown until the group exists; the name part names this group only."));
        SuppressProvider(Stack.Of(this));
        return resource;
    }

    /// <summary>
    /// The colour's image parameter, created with the fleet's first image and never written by CloudFormation again: the
    /// custom resource has a create call and a delete call but no update call, so a new initial image (a new stock Amazon
    /// Linux, another phoenix:imageId) changes nothing on a live fleet. If the parameter already exists (a fleet stack
    /// deleted and created again), the existing value is kept. Data type aws:ec2:image, as launch templates require.
    /// </summary>
    private AwsCustomResource CreateImageParameter(Colour colour, string title, BlueGreenFleetProps props, string initialImage)
    {
        var parameterName = FleetConventions.ImageParameter(props.ApplicationName, colour, props.TopologyParameterPrefix);
        var parameterArn = Stack.Of(this).FormatArn(new ArnComponents { Service = "ssm", Resource = "parameter", ResourceName = parameterName.TrimStart('/') });
        var resource = new AwsCustomResource(this, title + "ImageParameter", new AwsCustomResourceProps
        {
            ResourceType = "Custom::PhoenixImageParameter",
            InstallLatestAwsSdk = false,
            OnCreate = new AwsSdkCall
            {
                Service = "SSM",
                Action = "putParameter",
                Parameters = new Dictionary<string, object>
                {
                    ["Name"] = parameterName,
                    ["Value"] = initialImage,
                    ["Type"] = "String",
                    ["DataType"] = "aws:ec2:image",
                    ["Overwrite"] = false,
                    ["Description"] = $"The image {props.ApplicationName} {colour.ToWire()} runs (its launch template resolves it at launch; Phoenix's Finalize writes it).",
                },
                PhysicalResourceId = PhysicalResourceId.Of(parameterName),
                IgnoreErrorCodesMatching = "ParameterAlreadyExists",
            },
            OnDelete = new AwsSdkCall
            {
                Service = "SSM",
                Action = "deleteParameter",
                Parameters = new Dictionary<string, object> { ["Name"] = parameterName },
                IgnoreErrorCodesMatching = "ParameterNotFound",
            },
            Policy = AwsCustomResourcePolicy.FromStatements(
            [
                new PolicyStatement(new PolicyStatementProps { Actions = ["ssm:PutParameter", "ssm:DeleteParameter"], Resources = [parameterArn] }),
                // SSM checks an aws:ec2:image value by describing the image as the caller.
                new PolicyStatement(new PolicyStatementProps { Actions = ["ec2:DescribeImages"], Resources = ["*"] }),
            ]),
        });
        SuppressNag(resource.Node.FindChild("CustomResourcePolicy"),
            ("AwsSolutions-IAM5", "ec2:DescribeImages supports no resource-level permissions; SSM needs it to check an aws:ec2:image parameter value."));
        SuppressProvider(Stack.Of(this));
        return resource;
    }

    // The provider of every AwsCustomResource in a stack is one singleton Lambda function CDK adds at the stack's root.
    internal static void SuppressProvider(Stack stack)
    {
        if (stack.Node.TryFindChild(ProviderId) is not Function provider)
        {
            return;
        }

        SuppressNag(provider.Role!, ("AwsSolutions-IAM4", "AWSLambdaBasicExecutionRole, CDK's own role for its AwsCustomResource provider: log writing only."));
        SuppressNag(provider, ("AwsSolutions-L1", "The runtime is chosen by CDK's AwsCustomResource for its bundled handler."));
        SuppressGuard(provider, ("lambda_inside_vpc_check",
            "CDK's AwsCustomResource provider runs only while the stack deploys (the fleets' create-only and delete calls: image parameters, new groups' sizes, an adoption's tags and listener) and calls only AWS APIs."));
    }

    private const string ProviderId = "AWS679f53fac002430cb0da5b7982bd2287";

    /// <summary>
    /// A stock image serves nothing, so the load balancer would find every instance unhealthy and Auto Scaling would replace
    /// them forever. This answers the health check (and /) from a static directory until an image with the application is
    /// deployed. Images baked by Phoenix's Packer template carry /etc/app and serve their own health check (nginx), so on
    /// them the script does nothing; the same user data reaches every launch-template version Phoenix derives.
    /// </summary>
    internal static string[] PlaceholderCommands(int port, string healthCheckPath)
    {
        const string root = "/var/lib/phoenix-placeholder";
        var file = healthCheckPath.EndsWith('/') ? healthCheckPath + "index.html" : healthCheckPath;
        var directory = file[..file.LastIndexOf('/')];
        return
        [
            "# Phoenix placeholder: answers the health check on an image without an application (none has /etc/app).",
            "if [ ! -d /etc/app ]; then",
            $"  mkdir -p {root}{directory}",
            $"  echo 'Phoenix: no application deployed yet' > {root}/index.html",
            $"  echo ok > {root}{file}",
            "  cat > /etc/systemd/system/phoenix-placeholder.service <<'UNIT'",
            "[Unit]",
            "Description=Phoenix placeholder health check (until an image with the application is deployed)",
            "After=network-online.target",
            "[Service]",
            $"ExecStart=/usr/bin/python3 -m http.server {port.ToString(CultureInfo.InvariantCulture)} --directory {root}",
            "DynamicUser=yes",
            "AmbientCapabilities=CAP_NET_BIND_SERVICE",
            "Restart=always",
            "RestartSec=5",
            "[Install]",
            "WantedBy=multi-user.target",
            "UNIT",
            "  systemctl daemon-reload",
            "  systemctl enable --now phoenix-placeholder.service",
            "fi",
        ];
    }

    // Errors as a rate, so a big fleet cannot hide many errors behind a fixed count, with a floor of MinimumErrorCount so a
    // canary's handful of requests does not trip on one. Both 5xx counts are reported only when non-zero (FILL: no datapoint
    // is zero errors); RequestCount is absent when no request reached the colour, and then so is the rate.
    // TreatMissingData notBreaching: no traffic (the idle colour, most of the time) is no evidence of errors, and an alarm
    // whose errors stopped with the traffic returns to OK instead of holding ALARM ("ignore") and blocking the next
    // deployment, or sitting in INSUFFICIENT_DATA ("missing") which says nothing about the fleet.
    private Alarm TargetErrorRateAlarm(BlueGreenFleetProps props, FleetColour colour)
    {
        var name = colour.Colour.ToWire();
        var period = Duration.Minutes(1);
        return new Alarm(this, $"{Capitalized(name)}TargetErrorRateAlarm", new AlarmProps
        {
            AlarmName = Named($"phoenix-{props.ApplicationName}-{name}-target-5xx-rate"),
            AlarmDescription = $"{props.ApplicationName} {name}: target 5xx above {Number(props.TargetErrorRatePercent)}% of its requests "
                + $"(at least {props.MinimumErrorCount} in a minute); Phoenix rolls a deployment back while this is in ALARM.",
            Metric = ErrorRate(
                colour.TargetGroup.Metrics.HttpCodeTarget(HttpCodeTarget.TARGET_5XX_COUNT, new MetricOptions { Period = period, Statistic = "Sum" }),
                colour.TargetGroup.Metrics.RequestCount(new MetricOptions { Period = period, Statistic = "Sum" }),
                props.MinimumErrorCount,
                $"{name} target 5xx %"),
            Threshold = props.TargetErrorRatePercent,
            EvaluationPeriods = 1,
            ComparisonOperator = ComparisonOperator.GREATER_THAN_THRESHOLD,
            TreatMissingData = TreatMissingData.NOT_BREACHING,
        });
    }

    // The load balancer's own 502/503/504 (a target resetting connections, no healthy target, timeouts) are what a bad image
    // causes besides its own 5xx. Same rate, floor and missing-data treatment as the target alarms.
    private Alarm LoadBalancerErrorRateAlarm(BlueGreenFleetProps props)
    {
        var period = Duration.Minutes(1);
        return new Alarm(this, "LoadBalancerErrorRateAlarm", new AlarmProps
        {
            AlarmName = Named($"phoenix-{props.ApplicationName}-elb-5xx-rate"),
            AlarmDescription = $"{props.ApplicationName}: load balancer 5xx above {Number(props.LoadBalancerErrorRatePercent)}% of its requests "
                + $"(at least {props.MinimumErrorCount} in a minute); Phoenix rolls a deployment back while this is in ALARM.",
            Metric = ErrorRate(
                LoadBalancer.Metrics.HttpCodeElb(HttpCodeElb.ELB_5XX_COUNT, new MetricOptions { Period = period, Statistic = "Sum" }),
                LoadBalancer.Metrics.RequestCount(new MetricOptions { Period = period, Statistic = "Sum" }),
                props.MinimumErrorCount,
                "load balancer 5xx %"),
            Threshold = props.LoadBalancerErrorRatePercent,
            EvaluationPeriods = 1,
            ComparisonOperator = ComparisonOperator.GREATER_THAN_THRESHOLD,
            TreatMissingData = TreatMissingData.NOT_BREACHING,
        });
    }

    // p99, not the average: a new image that is slow on one path in twenty barely moves the average and doubles the p99.
    // A percentile over a few requests is one request's latency, so minutes with too few samples are ignored
    // (EvaluateLowSampleCountPercentile) and two of three minutes must breach. No requests, no latency: notBreaching.
    private Alarm ResponseTimeAlarm(BlueGreenFleetProps props, FleetColour colour)
    {
        var name = colour.Colour.ToWire();
        return new Alarm(this, $"{Capitalized(name)}ResponseTimeAlarm", new AlarmProps
        {
            AlarmName = Named($"phoenix-{props.ApplicationName}-{name}-p99-latency"),
            AlarmDescription = $"{props.ApplicationName} {name}: p99 target response time above {Number(props.ResponseTimeP99Seconds)} s "
                + "in 2 of 3 minutes; Phoenix rolls a deployment back while this is in ALARM.",
            Metric = colour.TargetGroup.Metrics.TargetResponseTime(new MetricOptions { Period = Duration.Minutes(1), Statistic = "p99" }),
            Threshold = props.ResponseTimeP99Seconds,
            EvaluationPeriods = 3,
            DatapointsToAlarm = 2,
            ComparisonOperator = ComparisonOperator.GREATER_THAN_THRESHOLD,
            TreatMissingData = TreatMissingData.NOT_BREACHING,
            EvaluateLowSampleCountPercentile = "ignore",
        });
    }

    private static MathExpression ErrorRate(IMetric errors, IMetric requests, int minimumErrors, string label) => new(new MathExpressionProps
    {
        Expression = $"IF(FILL(errors, 0) >= {minimumErrors}, 100 * FILL(errors, 0) / requests, 0)",
        UsingMetrics = new Dictionary<string, IMetric> { ["errors"] = errors, ["requests"] = requests },
        Period = Duration.Minutes(1),
        Label = label,
    });

    private string Named(string alarmName)
    {
        _alarmNames.Add(alarmName);
        return alarmName;
    }

    private static string Capitalized(string name) => char.ToUpperInvariant(name[0]) + name[1..];

    private static string Number(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    private FleetTopology Topology(BlueGreenFleetProps props)
    {
        static ColourResources Resources(FleetColour c) =>
            new(c.Group.AutoScalingGroupName, c.TargetGroup.TargetGroupArn, c.LaunchTemplate.LaunchTemplateId!);

        return new FleetTopology(
            props.ApplicationName,
            Resources(Blue),
            Resources(Green),
            Listener.ListenerArn,
            [.. AlarmNames, .. props.AdditionalAlarmNames],
            props.BakeProjectName,
            props.DeploymentTopicArn,
            props.MinHealthyPercentage,
            props.DesiredCapacity);
    }

    /// <summary>
    /// The topology parameter's value, written by Core's serializer, the one ResolveFleet reads it with and phoenix adopt
    /// writes it with, so the stacks cannot drift from the wire shape.
    /// </summary>
    internal static string TopologyJson(FleetTopology topology) =>
        System.Text.Json.JsonSerializer.Serialize(topology, CoreJsonContext.Default.FleetTopology);

    // Runs before the base constructor, so invalid props leave the construct tree untouched.
    private static string Validated(Construct scope, BlueGreenFleetProps props, string id)
    {
        ArgumentNullException.ThrowIfNull(scope);
        Validate(props);
        RequireUnique(scope, props);
        return id;
    }

    // Two fleets of one name in one app would write the same parameters and alarms; refuse the second at synth time.
    private static void RequireUnique(Construct scope, BlueGreenFleetProps props)
    {
        var other = scope.Node.Root.Node.FindAll().OfType<BlueGreenFleet>()
            .FirstOrDefault(f => f.ApplicationName == props.ApplicationName && f.ParameterPrefix == props.TopologyParameterPrefix);
        if (other is not null)
        {
            throw new ArgumentException(
                $"BlueGreenFleetProps.ApplicationName is '{props.ApplicationName}', which the fleet at '{other.Node.Path}' already uses: "
                + "expected a name unique in the account and region (for example one per environment: web, web-staging).",
                nameof(props));
        }
    }

    private static void Validate(BlueGreenFleetProps props)
    {
        ArgumentNullException.ThrowIfNull(props);
        if (!ApplicationNamePattern().IsMatch(props.ApplicationName))
        {
            throw Bad(nameof(props.ApplicationName), props.ApplicationName, "lower-case letters, digits and dashes, starting with a letter, at most 24 characters");
        }

        if (props.DesiredCapacity < 1 || props.DesiredCapacity > props.MaxCapacity)
        {
            throw new ArgumentException(
                $"BlueGreenFleetProps capacities must satisfy 1 <= DesiredCapacity <= MaxCapacity; " +
                $"got DesiredCapacity={props.DesiredCapacity}, MaxCapacity={props.MaxCapacity}.");
        }

        if (props.MinHealthyPercentage is < 0 or > 100)
        {
            throw Bad(nameof(props.MinHealthyPercentage), props.MinHealthyPercentage.ToString(CultureInfo.InvariantCulture), "0 to 100");
        }

        if (props.ApplicationPort is < 1 or > 65535)
        {
            throw Bad(nameof(props.ApplicationPort), props.ApplicationPort.ToString(CultureInfo.InvariantCulture), "a TCP port, 1 to 65535");
        }

        if (!HealthCheckPathPattern().IsMatch(props.HealthCheckPath))
        {
            throw Bad(nameof(props.HealthCheckPath), props.HealthCheckPath, "a path starting with /, of letters, digits and . _ ~ - /");
        }

        if (props.InitialLiveColour is not ("blue" or "green"))
        {
            throw Bad(nameof(props.InitialLiveColour), props.InitialLiveColour, "blue or green");
        }

        if (!InstanceTypePattern().IsMatch(props.InstanceType))
        {
            throw Bad(nameof(props.InstanceType), props.InstanceType, "an EC2 instance type such as t3.medium");
        }

        if (props.TargetErrorRatePercent is <= 0 or > 100)
        {
            throw Bad(nameof(props.TargetErrorRatePercent), Number(props.TargetErrorRatePercent), "a percentage above 0, at most 100");
        }

        if (props.LoadBalancerErrorRatePercent is <= 0 or > 100)
        {
            throw Bad(nameof(props.LoadBalancerErrorRatePercent), Number(props.LoadBalancerErrorRatePercent), "a percentage above 0, at most 100");
        }

        if (props.MinimumErrorCount < 1)
        {
            throw Bad(nameof(props.MinimumErrorCount), props.MinimumErrorCount.ToString(CultureInfo.InvariantCulture), "at least 1");
        }

        if (props.ResponseTimeP99Seconds is <= 0 or > 3600)
        {
            throw Bad(nameof(props.ResponseTimeP99Seconds), Number(props.ResponseTimeP99Seconds), "seconds above 0, at most 3600");
        }

        if (!props.TopologyParameterPrefix.StartsWith('/') || !props.TopologyParameterPrefix.EndsWith('/'))
        {
            throw Bad(nameof(props.TopologyParameterPrefix), props.TopologyParameterPrefix, "a parameter path that starts and ends with /");
        }
    }

    private static ArgumentException Bad(string property, string value, string expected) =>
        new($"BlueGreenFleetProps.{property} is '{value}': expected {expected}.", property);

    [GeneratedRegex("^[a-z][a-z0-9-]{0,23}$")]
    private static partial Regex ApplicationNamePattern();

    [GeneratedRegex(@"^[a-z][a-z0-9-]*\.[a-z0-9]+$")]
    private static partial Regex InstanceTypePattern();

    // Also what the placeholder's shell lines may contain unquoted.
    [GeneratedRegex("^/[A-Za-z0-9._~/-]*$")]
    private static partial Regex HealthCheckPathPattern();
}
