using Amazon.CDK;
using Amazon.CDK.AWS.CloudWatch;
using Amazon.CDK.AWS.CloudWatch.Actions;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.KMS;
using Amazon.CDK.AWS.Logs;
using Amazon.CDK.AWS.SNS;
using Amazon.CDK.AWS.SQS;
using Constructs;
using Phoenix.Cdk.Fleet;
using Phoenix.Core.Domain;

namespace Phoenix.Cdk;

/// <summary>
/// Suppressions for the security gates (<see cref="Suppressions"/> writes them; the fleet library uses the same), shared
/// log groups and keys, and the statement shapes the stacks' policies are built from.
/// </summary>
public static class Governance
{
    /// <summary>The tag that marks a resource as Phoenix's (defined once: <see cref="FleetConventions.ApplicationTag"/>).</summary>
    public const string ApplicationTag = FleetConventions.ApplicationTag;

    /// <summary>Call once per resource with all of its suppressions (the metadata format: <see cref="Suppressions"/>).</summary>
    public static void SuppressNag(IConstruct construct, params (string Rule, string Reason)[] rules) => Suppressions.SuppressNag(construct, rules);

    /// <summary>
    /// Every CloudWatch alarm Phoenix creates is named with this prefix, so the alert topics' policies and their key's
    /// policy can admit exactly Phoenix's alarms (aws:SourceArn) rather than any alarm in the account.
    /// </summary>
    public const string AlarmPrefix = "phoenix-";

    /// <summary>arn:PARTITION:cloudwatch:REGION:ACCOUNT:alarm:phoenix-*</summary>
    public static string AlarmArnPattern(Stack stack)
    {
        ArgumentNullException.ThrowIfNull(stack);
        return stack.FormatArn(new ArnComponents
        {
            Service = "cloudwatch",
            Resource = "alarm",
            ResourceName = AlarmPrefix + "*",
            ArnFormat = ArnFormat.COLON_RESOURCE_NAME,
        });
    }

    /// <summary>
    /// The confused-deputy guard for a service that publishes on Phoenix's behalf: only from this account, and only
    /// for Phoenix's own alarms.
    /// </summary>
    public static Dictionary<string, object> FromPhoenixAlarms(Stack stack)
    {
        ArgumentNullException.ThrowIfNull(stack);
        return new Dictionary<string, object>
        {
            ["ArnLike"] = new Dictionary<string, object> { ["aws:SourceArn"] = AlarmArnPattern(stack) },
            ["StringEquals"] = new Dictionary<string, object> { ["aws:SourceAccount"] = stack.Account },
        };
    }

    /// <summary>
    /// The alert topic's whole resource policy, written as its own AWS::SNS::TopicPolicy (CDK 2.160's
    /// <c>EnforceSSL</c> on a topic synthesizes no policy at all): publishing without TLS is denied to everyone, and
    /// CloudWatch may publish for Phoenix's alarms. Same-account roles (the handlers) publish through their identity
    /// policies, which a topic policy need not repeat. The key the topic is encrypted with must admit the same
    /// alarms (<see cref="AllowAlarmsToUse"/>).
    /// </summary>
    public static TopicPolicy AlertTopicPolicy(Topic topic)
    {
        ArgumentNullException.ThrowIfNull(topic);
        var stack = Stack.Of(topic);
        var policy = new TopicPolicy(topic, "Policy", new TopicPolicyProps { Topics = [topic] });
        policy.Document.AddStatements(
            new PolicyStatement(new PolicyStatementProps
            {
                Sid = "DenyPublishWithoutTls",
                Effect = Effect.DENY,
                Principals = [new AnyPrincipal()],
                Actions = ["sns:Publish"],
                Resources = [topic.TopicArn],
                Conditions = new Dictionary<string, object>
                {
                    ["Bool"] = new Dictionary<string, object> { ["aws:SecureTransport"] = "false" },
                },
            }),
            new PolicyStatement(new PolicyStatementProps
            {
                Sid = "PhoenixAlarmsPublish",
                Principals = [new ServicePrincipal("cloudwatch.amazonaws.com")],
                Actions = ["sns:Publish"],
                Resources = [topic.TopicArn],
                Conditions = FromPhoenixAlarms(stack),
            }));
        return policy;
    }

    /// <summary>CloudWatch encrypts an alarm's message with the topic's key, for Phoenix's alarms only.</summary>
    public static void AllowAlarmsToUse(Key key)
    {
        ArgumentNullException.ThrowIfNull(key);
        key.AddToResourcePolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "PhoenixAlarmsEncrypt",
            Principals = [new ServicePrincipal("cloudwatch.amazonaws.com")],
            Actions = ["kms:Decrypt", "kms:GenerateDataKey"],
            Resources = ["*"],
            Conditions = FromPhoenixAlarms(Stack.Of(key)),
        }));
    }

    /// <summary>
    /// A dead-letter queue for what an EventBridge target or an event source could not deliver, kept 14 days, with
    /// an alarm (<see cref="AlarmPrefix"/>) that tells <paramref name="alerts"/> as soon as anything lands in it.
    /// </summary>
    public static Queue DeadLetterQueue(Construct scope, string id, string alarmName, string holds, ITopic alerts)
    {
        ArgumentNullException.ThrowIfNull(alerts);
        if (!alarmName.StartsWith(AlarmPrefix, StringComparison.Ordinal))
        {
            throw new ArgumentException($"Alarm name '{alarmName}' must start with '{AlarmPrefix}' (the alert topics admit only those).", nameof(alarmName));
        }

        var queue = new Queue(scope, id, new QueueProps
        {
            Encryption = QueueEncryption.SQS_MANAGED,
            EnforceSSL = true,
            RetentionPeriod = Duration.Days(14),
        });
        var reason = $"This is a dead-letter queue ({holds}); it has none of its own.";
        SuppressNag(queue, ("AwsSolutions-SQS3", reason));
        SuppressGuard(queue, ("sqs_dlq_check", reason));
        var alarm = new Alarm(scope, id + "Alarm", new AlarmProps
        {
            AlarmName = alarmName,
            AlarmDescription = $"Messages are waiting in a dead-letter queue: {holds}. Read them, fix the cause, then redrive or purge.",
            Metric = queue.MetricApproximateNumberOfMessagesVisible(new MetricOptions
            {
                Statistic = "Maximum",
                Period = Duration.Minutes(5),
            }),
            Threshold = 0,
            EvaluationPeriods = 1,
            ComparisonOperator = ComparisonOperator.GREATER_THAN_THRESHOLD,
            // SQS reports queue metrics only while the queue is active; no data is an empty queue.
            TreatMissingData = TreatMissingData.NOT_BREACHING,
        });
        alarm.AddAlarmAction(new SnsAction(alerts));
        return queue;
    }

    /// <summary>Call once per resource with all of its suppressions.</summary>
    public static void SuppressGuard(IConstruct construct, params (string Rule, string Reason)[] rules) => Suppressions.SuppressGuard(construct, rules);

    /// <summary>
    /// A log group kept a year and encrypted with the stack's log key (Control Tower CT.CLOUDWATCH.PR.2 and PR.3).
    /// </summary>
    public static LogGroup EncryptedLogGroup(Construct scope, string id, string? logGroupName = null)
    {
        var logs = new LogGroup(scope, id, new Amazon.CDK.AWS.Logs.LogGroupProps
        {
            LogGroupName = logGroupName,
            Retention = RetentionDays.ONE_YEAR,
            EncryptionKey = LogsKey(Stack.Of(scope)),
            RemovalPolicy = RemovalPolicy.DESTROY,
        });
        return logs;
    }

    /// <summary>One key per stack for its log groups; CloudWatch Logs may use it only for this account's log groups.</summary>
    public static Key LogsKey(Stack stack)
    {
        ArgumentNullException.ThrowIfNull(stack);
        if (stack.Node.TryFindChild("LogsKey") is Key existing)
        {
            return existing;
        }

        var key = new Key(stack, "LogsKey", new KeyProps
        {
            EnableKeyRotation = true,
            Description = $"{stack.StackName} CloudWatch log groups",
        });
        key.AddToResourcePolicy(new PolicyStatement(new PolicyStatementProps
        {
            Principals = [new ServicePrincipal($"logs.{stack.Region}.amazonaws.com")],
            Actions = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncryptFrom", "kms:ReEncryptTo", "kms:GenerateDataKey", "kms:DescribeKey"],
            Resources = ["*"],
            Conditions = new Dictionary<string, object>
            {
                ["ArnLike"] = new Dictionary<string, object>
                {
                    ["kms:EncryptionContext:aws:logs:arn"] = stack.FormatArn(new ArnComponents
                    {
                        Service = "logs",
                        Resource = "log-group",
                        ResourceName = "*",
                        ArnFormat = ArnFormat.COLON_RESOURCE_NAME,
                    }),
                },
            },
        }));
        LimitKeyGrants(key);
        return key;
    }

    /// <summary>
    /// Grants on a key may only be created for AWS resources or by AWS services (Control Tower CT.KMS.PR.3): CDK's
    /// default policy lets the account root do anything, including kms:CreateGrant for anyone.
    /// </summary>
    public static void LimitKeyGrants(Key key)
    {
        ArgumentNullException.ThrowIfNull(key);
        key.AddToResourcePolicy(new PolicyStatement(new PolicyStatementProps
        {
            Effect = Effect.DENY,
            Principals = [new AnyPrincipal()],
            Actions = ["kms:CreateGrant"],
            Resources = ["*"],
            Conditions = new Dictionary<string, object>
            {
                ["BoolIfExists"] = new Dictionary<string, object>
                {
                    ["kms:GrantIsForAWSResource"] = "false",
                    ["aws:PrincipalIsAWSService"] = "false",
                },
            },
        }));
    }

    /// <summary>Scopes a statement to resources Phoenix manages: those tagged with <see cref="ApplicationTag"/>.</summary>
    public static PolicyStatement Tagged(string[] actions, string[] resources) => new(new PolicyStatementProps
    {
        Actions = actions,
        Resources = resources,
        Conditions = new Dictionary<string, object>
        {
            ["StringLike"] = new Dictionary<string, object> { ["aws:ResourceTag/" + ApplicationTag] = "*" },
        },
    });

    /// <summary>
    /// For actions IAM cannot scope to a resource (X-Ray segments, log delivery, Config evaluations, EC2 Describe*),
    /// the statement is held to this stack's region.
    /// </summary>
    public static PolicyStatement InRegion(Stack stack, params string[] actions) => new(new PolicyStatementProps
    {
        Actions = actions,
        Resources = ["*"],
        Conditions = new Dictionary<string, object>
        {
            ["StringEquals"] = new Dictionary<string, object> { ["aws:RequestedRegion"] = stack.Region },
        },
    });

    public static PolicyStatement Allow(string[] actions, params string[] resources) => new(new PolicyStatementProps
    {
        Actions = actions,
        Resources = resources,
    });
}
