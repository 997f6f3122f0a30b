using Amazon.CDK;
using Amazon.CDK.AWS.Chatbot;
using Amazon.CDK.AWS.CloudWatch;
using Amazon.CDK.AWS.CloudWatch.Actions;
using Amazon.CDK.AWS.Config;
using Amazon.CDK.AWS.Events;
using Amazon.CDK.AWS.Events.Targets;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.Lambda;
using Amazon.CDK.AWS.Lambda.EventSources;
using Amazon.CDK.AWS.SQS;
using Amazon.CDK.AWS.SSM;
using Constructs;
using static Phoenix.Cdk.Governance;
using RuleProps = Amazon.CDK.AWS.Events.RuleProps;

namespace Phoenix.Cdk;

public sealed class DriftStackProps : StackProps
{
    public required PhoenixSettings Settings { get; init; }

    public required PipelineStack Pipeline { get; init; }
}

/// <summary>
/// Drift detection: AWS Config rules (Phoenix's ImmutableInstance rule, approved images by tag, and the applications
/// SSM Inventory finds on the servers against the bake manifest), EventBridge rules feeding an SQS queue that the
/// DriftHandler drains, the drift alarm on the DriftHandler's own metric, and the chat channels that receive the alert
/// topics.
/// </summary>
/// <remarks>
/// The drift functions live here rather than in the pipeline stack: the queue, the Config rule and the functions
/// reference each other, and keeping them together keeps the dependency between the stacks one-way (drift -> pipeline).
/// </remarks>
public sealed class DriftStack : Stack
{
    public const string ImmutableInstanceRuleName = "phoenix-immutable-instance";
    public const string ApprovedAmisRuleName = "phoenix-approved-amis-by-tag";
    public const string ApplicationsRequiredRuleName = "phoenix-applications-required";
    public const string ApplicationsBlockedRuleName = "phoenix-applications-blocked";
    public const string DriftAlarmName = "phoenix-drift-detected";

    /// <summary>The Config rules whose compliance changes reach the chat (every other rule in the account stays out).</summary>
    public static readonly IReadOnlyList<string> RuleNames =
        [ImmutableInstanceRuleName, ApprovedAmisRuleName, ApplicationsRequiredRuleName, ApplicationsBlockedRuleName];

    /// <summary>The DriftHandler's Embedded Metric Format metric (Phoenix.Core's DriftMetrics names the same).</summary>
    public const string MetricNamespace = "Phoenix";
    public const string NonCompliantMetric = "NonCompliantResources";
    public const string MetricDimension = "Handler";

    /// <summary>How often ImmutableInstance re-checks every instance of the application besides on each change.</summary>
    public static readonly MaximumExecutionFrequency ImmutableInstancePeriod = MaximumExecutionFrequency.ONE_HOUR;

    public DriftStack(Construct scope, string id, DriftStackProps props)
        : base(scope, id, props)
    {
        ArgumentNullException.ThrowIfNull(props);
        var pipeline = props.Pipeline;
        var code = Code.FromAsset(pipeline.LambdaAssetPath);
        var targets = pipeline.Targets with { Stack = this };

        DeadLetterQueue = Governance.DeadLetterQueue(this, "DriftEventsDeadLetter", "phoenix-drift-events-dlq",
            "drift events the DriftHandler failed five times", pipeline.DriftTopic);
        Queue = new Queue(this, "DriftEvents", new QueueProps
        {
            Encryption = QueueEncryption.SQS_MANAGED,
            EnforceSSL = true,
            // Six times the handler's timeout, as Lambda advises for SQS event sources.
            VisibilityTimeout = Duration.Minutes(6),
            DeadLetterQueue = new DeadLetterQueue { Queue = DeadLetterQueue, MaxReceiveCount = 5 },
        });

        var driftHandler = PipelineStack.AddFunction(this, Handlers.DriftHandler, code, pipeline.FunctionEnvironment, targets, Duration.Minutes(1));
        driftHandler.Role.AddToPrincipalPolicy(Allow(
            ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes", "sqs:GetQueueUrl"],
            Queue.QueueArn));
        PipelineStack.SuppressFunctionRole(driftHandler);
        driftHandler.Function.AddEventSource(new SqsEventSource(Queue, new SqsEventSourceProps
        {
            BatchSize = 10,
            MaxBatchingWindow = Duration.Seconds(5),
            ReportBatchItemFailures = true,
        }));
        var immutableInstance = PipelineStack.AddFunction(this, Handlers.ImmutableInstance, code, pipeline.FunctionEnvironment, targets);
        PipelineStack.SuppressFunctionRole(immutableInstance);
        Functions = new Dictionary<string, Function>
        {
            [Handlers.DriftHandler] = driftHandler.Function,
            [Handlers.ImmutableInstance] = immutableInstance.Function,
        };

        CreateConfigRules(props.Settings, immutableInstance.Function);
        CreateEventRules(pipeline);

        // AWS Config publishes no compliance metric (its AWS/Config namespace holds recording and delivery metrics
        // only), so the reference design's alarm on AWS/Config NonCompliantResourceCount would watch nothing. The
        // DriftHandler counts the resources it alerted on as NON_COMPLIANT in Embedded Metric Format instead.
        var alarm = new Alarm(this, "DriftAlarm", new AlarmProps
        {
            AlarmName = DriftAlarmName,
            AlarmDescription = "A resource became NON_COMPLIANT under a Phoenix Config rule: a server no longer matches its image or the bake manifest.",
            Metric = new Metric(new MetricProps
            {
                Namespace = MetricNamespace,
                MetricName = NonCompliantMetric,
                DimensionsMap = new Dictionary<string, string> { [MetricDimension] = Handlers.DriftHandler },
                Statistic = "Sum",
                Period = Duration.Seconds(300),
            }),
            Threshold = 0,
            EvaluationPeriods = 1,
            ComparisonOperator = ComparisonOperator.GREATER_THAN_THRESHOLD,
            TreatMissingData = TreatMissingData.NOT_BREACHING,
        });
        alarm.AddAlarmAction(new SnsAction(pipeline.DriftTopic));

        CreateChatChannels(props.Settings, pipeline);
    }

    public Queue Queue { get; }

    public Queue DeadLetterQueue { get; }

    public IReadOnlyDictionary<string, Function> Functions { get; }

    private void CreateConfigRules(PhoenixSettings settings, Function immutableInstance)
    {
        var instances = RuleScope.FromResources([ResourceType.EC2_INSTANCE]);
        _ = new ManagedRule(this, "ApprovedAmisByTagRule", new ManagedRuleProps
        {
            ConfigRuleName = ApprovedAmisRuleName,
            Identifier = ManagedRuleIdentifiers.APPROVED_AMIS_BY_TAG,
            InputParameters = new Dictionary<string, object> { ["amisByTagKeyAndValue"] = settings.ApprovedAmiTag },
            RuleScope = instances,
        });

        // What is installed on a server, as SSM Inventory sees it, against the bake manifest: a package the image
        // should have is missing (removed by hand), or one no server may carry was installed by hand. The reference
        // design's EC2_MANAGEDINSTANCE_INVENTORY_BLACKLISTED only checks which inventory types are collected.
        var manifest = BakeManifest.Load();
        _ = new CfnAssociation(this, "SoftwareInventory", new CfnAssociationProps
        {
            Name = "AWS-GatherSoftwareInventory",
            AssociationName = $"phoenix-{settings.Application}-software-inventory",
            ScheduleExpression = "rate(30 minutes)",
            Targets = new object[] { new CfnAssociation.TargetProperty { Key = "tag:" + ApplicationTag, Values = [settings.Application] } },
            Parameters = new Dictionary<string, object> { ["applications"] = new[] { "Enabled" } },
        });
        var inventory = RuleScope.FromResources([ResourceType.SYSTEMS_MANAGER_MANAGED_INSTANCE_INVENTORY]);
        _ = new ManagedRule(this, "ApplicationsRequiredRule", new ManagedRuleProps
        {
            ConfigRuleName = ApplicationsRequiredRuleName,
            Identifier = ManagedRuleIdentifiers.EC2_MANAGED_INSTANCE_APPLICATIONS_REQUIRED,
            InputParameters = new Dictionary<string, object> { ["applicationNames"] = string.Join(',', manifest.Packages) },
            RuleScope = inventory,
        });
        _ = new ManagedRule(this, "ApplicationsBlockedRule", new ManagedRuleProps
        {
            ConfigRuleName = ApplicationsBlockedRuleName,
            Identifier = ManagedRuleIdentifiers.EC2_MANAGED_INSTANCE_APPLICATIONS_BLOCKED,
            InputParameters = new Dictionary<string, object> { ["applicationNames"] = string.Join(',', manifest.Forbidden) },
            RuleScope = inventory,
        });
        _ = new CustomRule(this, "ImmutableInstanceRule", new CustomRuleProps
        {
            ConfigRuleName = ImmutableInstanceRuleName,
            Description = "An instance is NON_COMPLIANT when its image differs from its group's launch template or it runs outside a managed group.",
            LambdaFunction = immutableInstance,
            // On every change of an instance, and every hour over all of the application's instances: a deployment
            // moves the launch template on without changing the instances that were left behind.
            ConfigurationChanges = true,
            Periodic = true,
            MaximumExecutionFrequency = ImmutableInstancePeriod,
            InputParameters = new Dictionary<string, object> { ["applications"] = settings.Application },
            RuleScope = instances,
        });
        // CustomRule lets config.amazonaws.com invoke the function from any account; hold it to this one.
        var permission = immutableInstance.Node.Children.OfType<CfnPermission>().Single();
        permission.SourceAccount = Account;
        SuppressGuard(permission, ("lambda_function_public_access_prohibited_check",
            "config.amazonaws.com is held to this account by SourceAccount (Ref AWS::AccountId); the rule accepts only a literal account id, " +
            "which an account-agnostic template cannot hold, and SourceArn would make the rule and its permission depend on each other."));
    }

    private void CreateEventRules(PipelineStack pipeline)
    {
        // Events EventBridge could not put on the queue (after 24 hours of retries) are kept for 14 days, and alarm.
        var undelivered = Governance.DeadLetterQueue(this, "DriftRulesDeadLetter", "phoenix-drift-rules-dlq",
            "drift and deployment events EventBridge could not put on the DriftEvents queue", pipeline.DriftTopic);
        var target = new SqsQueue(Queue, new SqsQueueProps { RetryAttempts = 8, MaxEventAge = Duration.Hours(24), DeadLetterQueue = undelivered });
        _ = new Rule(this, "ComplianceChangeRule", new RuleProps
        {
            Description = "A Phoenix Config rule found a resource NON_COMPLIANT, or compliant again (the chat thread gets \"resolved\").",
            EventPattern = new EventPattern
            {
                Source = ["aws.config"],
                DetailType = ["Config Rules Compliance Change"],
                Detail = new Dictionary<string, object>
                {
                    ["messageType"] = new[] { "ComplianceChangeNotification" },
                    ["configRuleName"] = RuleNames.ToArray(),
                    // NOT_APPLICABLE is how a terminated instance leaves a rule: it closes the alert like COMPLIANT.
                    ["newEvaluationResult"] = new Dictionary<string, object> { ["complianceType"] = new[] { "NON_COMPLIANT", "COMPLIANT", "NOT_APPLICABLE" } },
                },
            },
            Targets = [target],
        });
        _ = new Rule(this, "StackDriftRule", new RuleProps
        {
            Description = "CloudFormation drift detection found a Phoenix stack DRIFTED, or IN_SYNC again (\"resolved\").",
            EventPattern = new EventPattern
            {
                Source = ["aws.cloudformation"],
                DetailType = ["CloudFormation Drift Detection Status Change"],
                Detail = new Dictionary<string, object>
                {
                    // Phoenix's stacks only (PhoenixPipeline, PhoenixFleet, ...), not every stack in the account.
                    ["stack-id"] = new object[]
                    {
                        new Dictionary<string, object>
                        {
                            ["prefix"] = FormatArn(new ArnComponents { Service = "cloudformation", Resource = "stack", ResourceName = "Phoenix" }),
                        },
                    },
                    ["status-details"] = new Dictionary<string, object> { ["stack-drift-status"] = new[] { "DRIFTED", "IN_SYNC" } },
                },
            },
            Targets = [target],
        });
        _ = new Rule(this, "DeploymentStatusRule", new RuleProps
        {
            Description = "A Phoenix deployment ended without success.",
            EventPattern = new EventPattern
            {
                Source = ["aws.states"],
                DetailType = ["Step Functions Execution Status Change"],
                Detail = new Dictionary<string, object>
                {
                    ["status"] = new[] { "FAILED", "TIMED_OUT", "ABORTED" },
                    ["stateMachineArn"] = new[] { pipeline.StateMachine.StateMachineArn },
                },
            },
            Targets = [target],
        });
    }

    private void CreateChatChannels(PhoenixSettings settings, PipelineStack pipeline)
    {
        if (settings.SlackWorkspaceId is null && settings.TeamsTeamId is null)
        {
            return;
        }

        // Notification-only channels: the guardrail keeps anyone in the channel from acting through AWS Chatbot.
        var guardrail = ManagedPolicy.FromAwsManagedPolicyName("CloudWatchReadOnlyAccess");
        var role = new Role(this, "ChatbotRole", new RoleProps
        {
            AssumedBy = new ServicePrincipal("chatbot.amazonaws.com"),
            Description = "AWS Chatbot channels for Phoenix alerts (notifications only).",
        });
        if (settings.SlackWorkspaceId is not null)
        {
            _ = new SlackChannelConfiguration(this, "SlackChannel", new SlackChannelConfigurationProps
            {
                SlackChannelConfigurationName = "phoenix-alerts",
                SlackWorkspaceId = settings.SlackWorkspaceId,
                SlackChannelId = settings.SlackChannelId!,
                NotificationTopics = [pipeline.DeployTopic, pipeline.DriftTopic],
                Role = role,
                GuardrailPolicies = [guardrail],
                LoggingLevel = LoggingLevel.ERROR,
            });
        }

        if (settings.TeamsTeamId is not null)
        {
            // CDK 2.160 has no L2 for Teams channels; this is the L1 of AWS::Chatbot::MicrosoftTeamsChannelConfiguration.
            _ = new CfnMicrosoftTeamsChannelConfiguration(this, "TeamsChannel", new CfnMicrosoftTeamsChannelConfigurationProps
            {
                ConfigurationName = "phoenix-alerts-teams",
                TeamId = settings.TeamsTeamId,
                TeamsChannelId = settings.TeamsChannelId!,
                TeamsTenantId = settings.TeamsTenantId!,
                IamRoleArn = role.RoleArn,
                SnsTopicArns = [pipeline.DeployTopic.TopicArn, pipeline.DriftTopic.TopicArn],
                GuardrailPolicies = [guardrail.ManagedPolicyArn],
                LoggingLevel = "ERROR",
            });
        }
    }
}
