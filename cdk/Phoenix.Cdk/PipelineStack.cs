using Amazon.CDK;
using Amazon.CDK.AWS.CodeBuild;
using Amazon.CDK.AWS.DynamoDB;
using Amazon.CDK.AWS.Events;
using Amazon.CDK.AWS.Events.Targets;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.KMS;
using Amazon.CDK.AWS.Lambda;
using Amazon.CDK.AWS.SNS;
using Amazon.CDK.AWS.StepFunctions;
using Constructs;
using static Phoenix.Cdk.Governance;

namespace Phoenix.Cdk;

public sealed class PipelineStackProps : StackProps
{
    /// <summary>Absolute path of the Lambda asset (zip or folder with <c>bootstrap</c>).</summary>
    public required string LambdaAssetPath { get; init; }

    /// <summary>The workflow definition text; defaults to statemachines/deploy.asl.json.</summary>
    public string? Definition { get; init; }

    /// <summary>The context values the bake reads (repository, connection, approved-image tag, instance type).</summary>
    public PhoenixSettings Settings { get; init; } = new();
}

/// <summary>
/// The deployment engine: one Lambda per workflow step, the state machine, the lock/ledger/dedupe table, the
/// notification topics, the image bake project and the rule that releases locks of executions that died.
/// </summary>
public sealed class PipelineStack : Stack
{
    public const string StateMachineLogGroupName = "/aws/vendedlogs/states/phoenix-deploy";

    public PipelineStack(Construct scope, string id, PipelineStackProps props)
        : base(scope, id, props)
    {
        ArgumentNullException.ThrowIfNull(props);
        TopicKey = new Key(this, "NotificationsKey", new KeyProps
        {
            EnableKeyRotation = true,
            Description = "Phoenix deployment and drift notification topics",
        });
        // CloudWatch alarms (the fleet's, the dead-letter alarms, the drift alarm) publish to these encrypted topics;
        // both the topics' policies and the key admit exactly Phoenix's alarms of this account.
        AllowAlarmsToUse(TopicKey);
        LimitKeyGrants(TopicKey);
        DeployTopic = new Topic(this, "DeploymentNotifications", new TopicProps { MasterKey = TopicKey });
        DriftTopic = new Topic(this, "DriftAlerts", new TopicProps { MasterKey = TopicKey });
        AlertTopicPolicy(DeployTopic);
        AlertTopicPolicy(DriftTopic);

        Table = new Table(this, "StateTable", new TableProps
        {
            PartitionKey = new Amazon.CDK.AWS.DynamoDB.Attribute { Name = "pk", Type = AttributeType.STRING },
            SortKey = new Amazon.CDK.AWS.DynamoDB.Attribute { Name = "sk", Type = AttributeType.STRING },
            TimeToLiveAttribute = "ttl",
            PointInTimeRecovery = true,
            Encryption = TableEncryption.AWS_MANAGED,
            BillingMode = BillingMode.PAY_PER_REQUEST,
            RemovalPolicy = RemovalPolicy.RETAIN,
        });

        // The bake builds the repository at the deployment's commit, so it exists only with a repository to build from.
        // Without one there is no bake at all: every deployment names its image (Validate refuses one that does not).
        var settings = props.Settings;
        BakeProject = settings.ConnectionArn is not null && settings.Repository is not null ? CreateBakeProject(settings) : null;

        FunctionEnvironment = new Dictionary<string, string>
        {
            ["PHOENIX_TABLE"] = Table.TableName,
            ["PHOENIX_DEPLOY_TOPIC_ARN"] = DeployTopic.TopicArn,
            ["PHOENIX_DRIFT_TOPIC_ARN"] = DriftTopic.TopicArn,
            ["PHOENIX_TOPOLOGY_PREFIX"] = Phoenix.Core.Domain.FleetConventions.ParameterPrefix,
        };
        if (BakeProject is not null)
        {
            FunctionEnvironment["PHOENIX_BAKE_PROJECT"] = BakeProject.ProjectName;
        }

        Code = Amazon.CDK.AWS.Lambda.Code.FromAsset(props.LambdaAssetPath);
        Targets = new PermissionTargets(this, Table.TableArn, DeployTopic.TopicArn, DriftTopic.TopicArn, TopicKey.KeyArn, BakeProject?.ProjectArn);

        var functions = new Dictionary<string, Function>(StringComparer.Ordinal);
        foreach (var step in Handlers.WorkflowSteps.Append(Handlers.LockCleanup))
        {
            var function = AddFunction(this, step, Code, FunctionEnvironment, Targets, Duration.Seconds(Handlers.TimeoutSeconds(step)));
            SuppressFunctionRole(function);
            functions[step] = function.Function;
        }

        Functions = functions;
        LambdaAssetPath = props.LambdaAssetPath;
        StateMachine = CreateStateMachine(props.Definition ?? AslDefinition.Load());

        // A deployment that fails, times out or is stopped cannot run its ReleaseLock step; its status-change event does it.
        _ = new Rule(this, "ReleaseStaleLocks", new RuleProps
        {
            Description = "Releases the deployment lock of a Phoenix execution that FAILED, TIMED_OUT or was ABORTED.",
            EventPattern = new EventPattern
            {
                Source = ["aws.states"],
                DetailType = ["Step Functions Execution Status Change"],
                Detail = new Dictionary<string, object>
                {
                    ["status"] = new[] { "FAILED", "TIMED_OUT", "ABORTED" },
                    ["stateMachineArn"] = new[] { StateMachine.StateMachineArn },
                },
            },
            Targets =
            [
                new LambdaFunction(functions[Handlers.LockCleanup], new LambdaFunctionProps
                {
                    RetryAttempts = 4,
                    DeadLetterQueue = DeadLetterQueue(this, "ReleaseStaleLocksDeadLetter", "phoenix-release-stale-locks-dlq",
                        "status changes of stopped executions EventBridge could not hand to LockCleanup (their locks stay held)", DriftTopic),
                }),
            ],
        });

        _ = new CfnOutput(this, "StateMachineArn", new CfnOutputProps { Value = StateMachine.StateMachineArn });
        _ = new CfnOutput(this, "DeployTopicArn", new CfnOutputProps { Value = DeployTopic.TopicArn });
        _ = new CfnOutput(this, "DriftTopicArn", new CfnOutputProps { Value = DriftTopic.TopicArn });
        _ = new CfnOutput(this, "TableName", new CfnOutputProps { Value = Table.TableName });
        if (BakeProject is not null)
        {
            _ = new CfnOutput(this, "BakeProjectName", new CfnOutputProps { Value = BakeProject.ProjectName });
        }

        EnvironmentParameters.Publish(this);
    }

    public Key TopicKey { get; }

    public Topic DeployTopic { get; }

    public Topic DriftTopic { get; }

    public Table Table { get; }

    /// <summary>
    /// The image bake (Packer in CodeBuild), building the repository at a commit; null without phoenix:connectionArn and
    /// phoenix:repository, as are <see cref="BakeKey"/>, <see cref="BakeRole"/> and <see cref="BakeInstanceRole"/>.
    /// </summary>
    public Project? BakeProject { get; }

    /// <summary>
    /// The bake project's key: CodeBuild encrypts a build's output artifacts with its project's key, so whoever reads
    /// the bake's output in the delivery pipeline must be able to decrypt with it.
    /// </summary>
    public Key BakeKey { get; private set; } = null!;

    /// <summary>The bake project's own role (the project holds it without policy updates; grants are explicit).</summary>
    public Role BakeRole { get; private set; } = null!;

    /// <summary>The value of <see cref="LeastPrivilege.BakeTag"/> on what this stack's bake creates.</summary>
    public string BakeTagValue => StackName;

    public StateMachine StateMachine { get; }

    public IReadOnlyDictionary<string, Function> Functions { get; }

    /// <summary>The environment every handler gets (contracts.md).</summary>
    public IDictionary<string, string> FunctionEnvironment { get; }

    public Code Code { get; }

    public string LambdaAssetPath { get; }

    public PermissionTargets Targets { get; }

    /// <summary>Creates a handler's function with its permissions from <see cref="HandlerPermissions"/>.</summary>
    public static PhoenixFunction AddFunction(Construct scope, string handler, Code code, IDictionary<string, string> environment, PermissionTargets targets, Duration? timeout = null)
    {
        var function = PhoenixFunction.Create(scope, handler, code, environment, timeout);
        foreach (var statement in HandlerPermissions.For(handler, targets))
        {
            function.Role.AddToPrincipalPolicy(statement);
        }

        return function;
    }

    /// <summary>Call after the last grant to the role (the default policy is created by the first).</summary>
    internal static void SuppressFunctionRole(PhoenixFunction function)
    {
        if (function.Role.Node.TryFindChild("DefaultPolicy") is { } policy)
        {
            SuppressNag(policy,
                ("AwsSolutions-IAM5", "Wildcards only where IAM cannot scope: read-only Describe* calls, the log group's streams, " +
                    "tag- or name-scoped Auto Scaling/ELB/EC2 resources, the /phoenix/apps/ parameter path, the fleets' instance-role path " +
                    "(passable only to EC2), RunInstances only from Phoenix-tagged launch templates (for launch-template switches) and Config evaluations."));
        }
    }

    private StateMachine CreateStateMachine(string definition)
    {
        var role = new Role(this, "DeployStateMachineRole", new RoleProps
        {
            AssumedBy = new ServicePrincipal("states.amazonaws.com"),
            Description = "Phoenix deployment state machine: invokes the step functions, writes its logs and traces.",
        });
        var logs = EncryptedLogGroup(this, "DeployStateMachineLogs", StateMachineLogGroupName);
        var substitutions = Handlers.WorkflowSteps.ToDictionary(Handlers.Placeholder, step => Functions[step].FunctionArn);
        var stateMachine = new StateMachine(this, "DeployStateMachine", new StateMachineProps
        {
            DefinitionBody = DefinitionBody.FromString(definition),
            DefinitionSubstitutions = substitutions,
            StateMachineType = StateMachineType.STANDARD,
            // The L2 would grant log delivery and X-Ray on every resource with no condition; the real role gets them
            // below, held to this region.
            Role = role.WithoutPolicyUpdates(),
            Logs = new LogOptions { Destination = logs, Level = LogLevel.ALL, IncludeExecutionData = true },
            TracingEnabled = true,
        });
        foreach (var step in Handlers.WorkflowSteps)
        {
            Functions[step].GrantInvoke(role);
        }

        role.AddToPrincipalPolicy(InRegion(this,
            "logs:CreateLogDelivery", "logs:GetLogDelivery", "logs:UpdateLogDelivery", "logs:DeleteLogDelivery",
            "logs:ListLogDeliveries", "logs:PutResourcePolicy", "logs:DescribeResourcePolicies", "logs:DescribeLogGroups"));
        role.AddToPrincipalPolicy(InRegion(this,
            "xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules", "xray:GetSamplingTargets"));
        // The state machine validates its logging destination at creation: its policy must exist first.
        stateMachine.Node.AddDependency(role);
        SuppressNag(role.Node.FindChild("DefaultPolicy"),
            ("AwsSolutions-IAM5", "Log delivery and X-Ray accept no resource ARN (held to this region); invoke covers the functions' versions (ARN:*)."));
        return stateMachine;
    }

    private Project CreateBakeProject(PhoenixSettings settings)
    {
        var key = BakeKey = new Key(this, "BakeKey", new KeyProps { EnableKeyRotation = true, Description = "Phoenix image bake build artifacts" });
        var logs = EncryptedLogGroup(this, "BakeLogs");
        LimitKeyGrants(key);
        BakeRole = new Role(this, "BakeRole", new RoleProps
        {
            AssumedBy = new ServicePrincipal("codebuild.amazonaws.com"),
            Description = "Phoenix image bake: runs Packer (amazon-ebs) in this region.",
        });

        // Packer reaches its build instance through SSM Session Manager: the instance's role may only talk to SSM.
        BakeInstanceRole = new Role(this, "BakeInstanceRole", new RoleProps
        {
            AssumedBy = new ServicePrincipal("ec2.amazonaws.com"),
            Description = "Phoenix bake build instance: SSM Session Manager only (Packer's SSH runs inside the session).",
            ManagedPolicies = [ManagedPolicy.FromAwsManagedPolicyName("AmazonSSMManagedInstanceCore")],
        });
        SuppressNag(BakeInstanceRole, ("AwsSolutions-IAM4",
            "AmazonSSMManagedInstanceCore is AWS's maintained minimum for an SSM-managed instance; the build instance lives for one bake."));
        var profile = new CfnInstanceProfile(this, "BakeInstanceProfile", new CfnInstanceProfileProps { Roles = [BakeInstanceRole.RoleName] });

        // A repository source takes the commit StartBake passes as sourceVersion; an S3 source would read it as an object
        // version, so the bake has no other source (https://docs.aws.amazon.com/codebuild/latest/userguide/sample-source-version.html).
        var repository = settings.Repository!.Split('/');
        var source = Source.GitHub(new GitHubSourceProps { Owner = repository[0], Repo = repository[1], Webhook = false });

        var project = new Project(this, "ImageBake", new ProjectProps
        {
            Description = "Bakes an application image with Packer (cdk/packer/app.pkr.hcl); exports IMAGE_ID.",
            Source = source,
            BuildSpec = BakeBuildSpec.Create(),
            Environment = new BuildEnvironment
            {
                BuildImage = LinuxBuildImage.STANDARD_7_0,
                ComputeType = ComputeType.SMALL,
                Privileged = false,
                EnvironmentVariables = BakeVariables(settings, profile.Ref),
            },
            EncryptionKey = key,
            Timeout = Duration.Minutes(90),
            Logging = new LoggingOptions { CloudWatch = new CloudWatchLoggingOptions { LogGroup = logs } },
            Role = BakeRole.WithoutPolicyUpdates(),
        });
        // CDK 2.160's GitHub source has no CodeConnections auth; the L1 property does.
        ((CfnProject)project.Node.DefaultChild!).AddPropertyOverride("Source.Auth", new Dictionary<string, object>
        {
            ["Type"] = "CODECONNECTIONS",
            ["Resource"] = settings.ConnectionArn!,
        });
        BakeRole.AddToPrincipalPolicy(Allow(
            ["codeconnections:GetConnectionToken", "codeconnections:GetConnection", "codestar-connections:GetConnectionToken", "codestar-connections:GetConnection"],
            settings.ConnectionArn!));

        logs.GrantWrite(BakeRole);
        BakeRole.AddToPrincipalPolicy(Allow(["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"], key.KeyArn));
        // Packer's amazon-ebs builder, each EC2 call held to the bake tag Packer puts on what it creates.
        foreach (var statement in LeastPrivilege.Bake(this, BakeTagValue))
        {
            BakeRole.AddToPrincipalPolicy(statement);
        }

        BakeRole.AddToPrincipalPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Actions = ["iam:PassRole"],
            Resources = [BakeInstanceRole.RoleArn],
            Conditions = new Dictionary<string, object>
            {
                ["StringEquals"] = new Dictionary<string, object> { ["iam:PassedToService"] = "ec2.amazonaws.com" },
            },
        }));
        // The Session Manager tunnel: only to the bake's own instances, only as port forwarding, and only the caller's
        // own sessions may be ended (Session Manager tags each session with its starter's user id).
        BakeRole.AddToPrincipalPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Actions = ["ssm:StartSession"],
            Resources = [FormatArn(new ArnComponents { Service = "ec2", Resource = "instance", ResourceName = "*" })],
            Conditions = new Dictionary<string, object>
            {
                ["StringEquals"] = new Dictionary<string, object> { ["aws:ResourceTag/" + LeastPrivilege.BakeTag] = BakeTagValue },
            },
        }));
        BakeRole.AddToPrincipalPolicy(Allow(["ssm:StartSession"],
            FormatArn(new ArnComponents { Service = "ssm", Account = string.Empty, Resource = "document", ResourceName = "AWS-StartPortForwardingSession" })));
        BakeRole.AddToPrincipalPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Actions = ["ssm:TerminateSession"],
            Resources = [FormatArn(new ArnComponents { Service = "ssm", Resource = "session", ResourceName = "*" })],
            Conditions = new Dictionary<string, object>
            {
                ["StringLike"] = new Dictionary<string, object> { ["ssm:resourceTag/aws:ssmmessages:session-id"] = "${aws:userid}*" },
            },
        }));
        BakeRole.AddToPrincipalPolicy(Allow(
            [
                "ec2:DescribeImages", "ec2:DescribeInstances", "ec2:DescribeInstanceStatus", "ec2:DescribeRegions",
                "ec2:DescribeSecurityGroups", "ec2:DescribeSnapshots", "ec2:DescribeSubnets", "ec2:DescribeVolumes",
                "ec2:DescribeVpcs", "ec2:DescribeKeyPairs", "ec2:DescribeImageAttribute",
            ],
            "*"));
        project.Node.AddDependency(BakeRole);
        SuppressNag(BakeRole.Node.FindChild("DefaultPolicy"),
            ("AwsSolutions-IAM5", "Packer's EC2 resources are unknown before they exist: each call is held to the bake tag it creates " +
                "them with (LeastPrivilege.Bake), as is the Session Manager tunnel; Describe* are read-only; the log group's streams are " +
                "named by CodeBuild; sessions are ended only by their starter (session-id tag)."));
        return project;
    }

    /// <summary>
    /// Every variable app.pkr.hcl declares, as Packer reads it from the environment (PKR_VAR_name) unless the buildspec
    /// passes it with -var (application, commit, bake_tag); a test holds the two lists together.
    /// </summary>
    private Dictionary<string, IBuildEnvironmentVariable> BakeVariables(PhoenixSettings settings, string instanceProfile) => new()
    {
        ["PHOENIX_BAKE_TAG"] = new BuildEnvironmentVariable { Value = BakeTagValue },
        // The repository checkout holds the template in its Packer folder.
        ["PACKER_DIR"] = new BuildEnvironmentVariable { Value = DeliveryStack.PackerFolder },
        ["PKR_VAR_iam_instance_profile"] = new BuildEnvironmentVariable { Value = instanceProfile },
        // The same setting the drift stack's APPROVED_AMIS_BY_TAG rule checks.
        ["PKR_VAR_approved_ami_tag"] = new BuildEnvironmentVariable { Value = settings.ApprovedAmiTag },
        ["PKR_VAR_environment"] = new BuildEnvironmentVariable { Value = settings.Environment },
        ["PKR_VAR_instance_type"] = new BuildEnvironmentVariable { Value = settings.InstanceType },
        // An imported VPC's first private subnet (it reaches SSM through its NAT or endpoints); else the default VPC.
        ["PKR_VAR_subnet_id"] = new BuildEnvironmentVariable { Value = settings.PrivateSubnetIds.Count > 0 ? settings.PrivateSubnetIds[0] : string.Empty },
        ["PKR_VAR_source_ami_name"] = new BuildEnvironmentVariable { Value = BakeBuildSpec.SourceAmiName },
        ["PKR_VAR_region"] = new BuildEnvironmentVariable { Value = Region },
    };

    /// <summary>The bake build instance's role (SSM Session Manager only).</summary>
    public Role BakeInstanceRole { get; private set; } = null!;
}
