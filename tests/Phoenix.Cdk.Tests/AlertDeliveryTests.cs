using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Phoenix.Cdk.Tests.Support;

namespace Phoenix.Cdk.Tests;

/// <summary>
/// Every alert can really be delivered: each publisher to an alert topic (CloudWatch alarm actions, EventBridge
/// targets, the handlers' roles) is walked through the topic's policy and the topic key's policy, as AWS would
/// evaluate them for this account and region; TLS is enforced by a topic policy that is in the template; and nothing
/// EventBridge or the drift queue cannot deliver is lost without an alarm.
/// </summary>
[Collection(SynthesizedAppGroup.Name)]
public sealed class AlertDeliveryTests(SynthesizedApp app, AlternateApp alternate)
{
    private const string Account = "123456789012";
    private const string Region = "us-east-1";

    private IEnumerable<SynthesizedApp> Apps => [app, alternate];

    [Fact]
    public void Topics_Every_PublishWithoutTlsDeniedByATopicPolicyInTheTemplate()
    {
        foreach (var synthesized in Apps)
        {
            var pipeline = synthesized.JsonOf(synthesized.Stacks.Pipeline);
            var topics = Json.Resources(pipeline, "AWS::SNS::Topic").ToList();
            Assert.Equal(2, topics.Count);
            foreach (var (topicId, _) in topics)
            {
                var statements = TopicPolicyStatements(pipeline, topicId);
                Assert.Contains(statements, s =>
                    (string?)s["Effect"] == "Deny"
                    && IsEveryone(s["Principal"])
                    && Json.Many(s["Action"]).Any(a => (string?)a is "sns:Publish" or "sns:*")
                    && (string?)s["Condition"]?["Bool"]?["aws:SecureTransport"] == "false");
            }
        }
    }

    [Fact]
    public void Publishers_EveryAlarmActionAndRuleTarget_AllowedByTopicPolicyAndKeyPolicyForItsOwnSource()
    {
        foreach (var synthesized in Apps)
        {
            var pipeline = synthesized.JsonOf(synthesized.Stacks.Pipeline);
            var publishers = Publishers(synthesized, pipeline).ToList();
            foreach (var publisher in publishers)
            {
                var where = $"{publisher.Stack}: {publisher.Source} -> {publisher.TopicId}";
                Assert.True(
                    TopicPolicyStatements(pipeline, publisher.TopicId).Any(s => Admits(s, publisher, "sns:Publish", pipeline)),
                    $"{where}: the topic policy does not let {publisher.Service} publish for {publisher.Source} (scoped by aws:SourceArn and aws:SourceAccount)");
                var key = KeyOf(pipeline, publisher.TopicId);
                var keyStatements = Json.Many(pipeline["Resources"]![key]!["Properties"]!["KeyPolicy"]!["Statement"]).Select(s => s.AsObject()).ToList();
                foreach (var action in new[] { "kms:GenerateDataKey", "kms:Decrypt" })
                {
                    Assert.True(keyStatements.Any(s => Admits(s, publisher, action, pipeline, key: true)),
                        $"{where}: the key policy of {key} does not let {publisher.Service} {action} for {publisher.Source}");
                }
            }

            // The fleet's five alarms, the three dead-letter alarms and the drift alarm.
            Assert.True(publishers.Count >= 9, $"only {publishers.Count} publishers found: {string.Join(", ", publishers.Select(p => p.Source))}");
        }
    }

    [Fact]
    public void Publishers_HandlerRolesThatPublish_MayUseTheTopicsKey()
    {
        var checkedRoles = 0;
        foreach (var synthesized in Apps)
        {
            var pipeline = synthesized.JsonOf(synthesized.Stacks.Pipeline);
            foreach (var stack in new[] { synthesized.Stacks.Pipeline, (Amazon.CDK.Stack)synthesized.Stacks.Drift })
            {
                var template = synthesized.JsonOf(stack);
                foreach (var (policyId, policy) in Json.Resources(template, "AWS::IAM::Policy"))
                {
                    var statements = Json.Many(policy["Properties"]!["PolicyDocument"]!["Statement"]).ToList();
                    var topics = statements
                        .Where(s => (string?)s["Effect"] == "Allow" && Json.Many(s["Action"]).Any(a => (string?)a == "sns:Publish"))
                        .SelectMany(s => Json.Many(s["Resource"]))
                        .Select(r => PipelineResource(r, pipeline))
                        .ToList();
                    foreach (var topic in topics)
                    {
                        var key = KeyOf(pipeline, topic!);
                        Assert.True(
                            statements.Any(s => (string?)s["Effect"] == "Allow"
                                && Json.Many(s["Action"]).Any(a => (string?)a == "kms:GenerateDataKey")
                                && Json.Many(s["Resource"]).Any(r => PipelineResource(r, pipeline) == key)),
                            $"{stack.StackName}/{policyId} publishes to {topic} but may not use its key {key}");
                        checkedRoles++;
                    }
                }

                // The key lets IAM policies of this account grant its use (the account-root statement).
            }

            foreach (var (key, resource) in Json.Resources(pipeline, "AWS::KMS::Key"))
            {
                Assert.Contains(Json.Many(resource["Properties"]!["KeyPolicy"]!["Statement"]), s =>
                    (string?)s["Effect"] == "Allow" && Field(s["Principal"], "AWS") is { } aws && Json.Flatten(aws, "X").EndsWith(":root", StringComparison.Ordinal));
            }
        }

        Assert.True(checkedRoles >= 4, $"only {checkedRoles} publishing roles found");
    }

    [Fact]
    public void EventRules_EveryTarget_DeadLetterQueueThatAdmitsTheRuleAndAlarms()
    {
        var targets = 0;
        foreach (var synthesized in Apps)
        {
            foreach (var stack in synthesized.AllStacks)
            {
                var template = synthesized.JsonOf(stack);
                foreach (var (ruleId, rule) in Json.Resources(template, "AWS::Events::Rule"))
                {
                    foreach (var target in Json.Many(rule["Properties"]!["Targets"]))
                    {
                        var where = $"{stack.StackName}/{ruleId} target {target["Id"]}";
                        var dlq = (string?)target["DeadLetterConfig"]?["Arn"]?["Fn::GetAtt"]?[0];
                        Assert.True(dlq is not null, $"{where} has no dead-letter queue");
                        Assert.Equal("AWS::SQS::Queue", (string?)template["Resources"]![dlq!]!["Type"]);
                        var sends = Json.Resources(template, "AWS::SQS::QueuePolicy")
                            .Where(p => Json.Many(p.Resource["Properties"]!["Queues"]).Any(q => (string?)q["Ref"] == dlq))
                            .SelectMany(p => Json.Many(p.Resource["Properties"]!["PolicyDocument"]!["Statement"]));
                        Assert.Contains(sends, s => (string?)s["Effect"] == "Allow"
                            && Text(Field(s["Principal"], "Service")) == "events.amazonaws.com"
                            && Json.Many(s["Action"]).Any(a => (string?)a == "sqs:SendMessage")
                            && (string?)s["Condition"]?["ArnEquals"]?["aws:SourceArn"]?["Fn::GetAtt"]?[0] == ruleId);
                        AssertAlarmed(template, dlq!, where);
                        targets++;
                    }
                }
            }
        }

        Assert.True(targets >= 8, $"only {targets} rule targets found");
    }

    [Fact]
    public void DriftQueue_DeadLetterQueue_Alarms()
    {
        foreach (var synthesized in Apps)
        {
            var drift = synthesized.JsonOf(synthesized.Stacks.Drift);
            var main = drift["Resources"]![synthesized.Stacks.Drift.GetLogicalId((Amazon.CDK.CfnElement)synthesized.Stacks.Drift.Queue.Node.DefaultChild!)]!;
            var dlq = (string?)main["Properties"]!["RedrivePolicy"]!["deadLetterTargetArn"]!["Fn::GetAtt"]![0];
            AssertAlarmed(drift, dlq!, "the DriftEvents queue's dead-letter queue");
        }
    }

    private static void AssertAlarmed(JsonObject template, string queueId, string where)
    {
        var alarms = Json.Resources(template, "AWS::CloudWatch::Alarm").Select(a => a.Resource["Properties"]!).Where(a =>
            (string?)a["Namespace"] == "AWS/SQS"
            && (string?)a["MetricName"] == "ApproximateNumberOfMessagesVisible"
            && Json.Many(a["Dimensions"]).Any(d => (string?)d["Name"] == "QueueName" && (string?)d["Value"]?["Fn::GetAtt"]?[0] == queueId)).ToList();
        var alarm = Assert.Single(alarms);
        Assert.Equal("GreaterThanThreshold", (string?)alarm["ComparisonOperator"]);
        Assert.Equal(0, (double)alarm["Threshold"]!);
        Assert.True(Json.Many(alarm["AlarmActions"]).Count > 0, $"the alarm on {where} notifies no one");
    }

    private sealed record Publisher(string Stack, string Service, string Source, string TopicId);

    /// <summary>Alarm actions and rule targets that resolve to one of the pipeline stack's topics.</summary>
    private static IEnumerable<Publisher> Publishers(SynthesizedApp synthesized, JsonObject pipeline)
    {
        foreach (var stack in synthesized.AllStacks)
        {
            var template = synthesized.JsonOf(stack);
            var local = stack == synthesized.Stacks.Pipeline;
            foreach (var (_, alarm) in Json.Resources(template, "AWS::CloudWatch::Alarm"))
            {
                var properties = alarm["Properties"]!;
                var actions = Json.Many(properties["AlarmActions"]).Concat(Json.Many(properties["OKActions"])).Concat(Json.Many(properties["InsufficientDataActions"]));
                foreach (var action in actions)
                {
                    if (TopicOf(action, pipeline, local) is { } topic)
                    {
                        var name = (string?)properties["AlarmName"] ?? throw new InvalidOperationException($"{stack.StackName}: an alarm publishing to {topic} has no fixed name.");
                        yield return new Publisher(stack.StackName, "cloudwatch.amazonaws.com", $"arn:aws:cloudwatch:{Region}:{Account}:alarm:{name}", topic);
                    }
                }
            }

            foreach (var (ruleId, rule) in Json.Resources(template, "AWS::Events::Rule"))
            {
                foreach (var target in Json.Many(rule["Properties"]!["Targets"]))
                {
                    if (TopicOf(target["Arn"], pipeline, local) is { } topic)
                    {
                        yield return new Publisher(stack.StackName, "events.amazonaws.com", $"GETATT:{ruleId}", topic);
                    }
                }
            }
        }
    }

    private static string? TopicOf(JsonNode? value, JsonObject pipeline, bool local)
    {
        var id = local ? Text(Field(value, "Ref")) : PipelineResource(value, pipeline);
        return id is not null && (string?)pipeline["Resources"]![id]?["Type"] == "AWS::SNS::Topic" ? id : null;
    }

    /// <summary>The pipeline stack's logical id a value names: Ref/GetAtt there, or an import of its export.</summary>
    private static string? PipelineResource(JsonNode? value, JsonObject pipeline)
    {
        if (value is not JsonObject reference)
        {
            return null;
        }

        if (Text(reference["Ref"]) is { } id)
        {
            return id;
        }

        if (reference["Fn::GetAtt"] is JsonArray attribute)
        {
            return Text(attribute[0]);
        }

        if (Text(reference["Fn::ImportValue"]) is not { } import)
        {
            return null;
        }

        var output = pipeline["Outputs"]!.AsObject().Select(o => o.Value!).FirstOrDefault(o => (string?)o["Export"]?["Name"] == import);
        return output is null ? null : PipelineResource(output["Value"], pipeline);
    }

    private static List<JsonObject> TopicPolicyStatements(JsonObject pipeline, string topicId) =>
        Json.Resources(pipeline, "AWS::SNS::TopicPolicy")
            .Where(p => Json.Many(p.Resource["Properties"]!["Topics"]).Any(t => (string?)t["Ref"] == topicId))
            .SelectMany(p => Json.Many(p.Resource["Properties"]!["PolicyDocument"]!["Statement"]))
            .Select(s => s.AsObject())
            .ToList();

    private static string KeyOf(JsonObject pipeline, string topicId) =>
        (string?)pipeline["Resources"]![topicId]!["Properties"]!["KmsMasterKeyId"]?["Fn::GetAtt"]?[0]
        ?? throw new InvalidOperationException($"Topic {topicId} is not encrypted with a key of the pipeline stack.");

    /// <summary>
    /// Whether an Allow statement admits the publisher's service for the action on the topic (or, in a key policy, on
    /// "*"), held by conditions on the publisher's own source ARN and this account, both of which must be present.
    /// </summary>
    private static bool Admits(JsonObject statement, Publisher publisher, string action, JsonObject pipeline, bool key = false)
    {
        if ((string?)statement["Effect"] != "Allow" || !Json.Many(Field(statement["Principal"], "Service")).Any(s => Text(s) == publisher.Service))
        {
            return false;
        }

        if (!Json.Many(statement["Action"]).Any(a => ActionMatches((string)a!, action)))
        {
            return false;
        }

        var resources = Json.Many(statement["Resource"]);
        if (key ? !resources.Any(r => Text(r) == "*") : !resources.Any(r => Text(Field(r, "Ref")) == publisher.TopicId))
        {
            return false;
        }

        var conditions = statement["Condition"]?.AsObject();
        if (conditions is null)
        {
            return false;
        }

        var sourceArn = conditions.Where(c => c.Key is "ArnLike" or "ArnEquals" or "StringLike" or "StringEquals")
            .Select(c => (c.Key, Value: c.Value!["aws:SourceArn"]))
            .FirstOrDefault(c => c.Value is not null);
        var sourceAccount = conditions.Select(c => c.Value!["aws:SourceAccount"]).FirstOrDefault(v => v is not null);
        if (sourceArn.Value is null || sourceAccount is null || Render(sourceAccount) != Account)
        {
            return false;
        }

        // Any other condition key would have to hold as well; none is expected, so an unknown one fails the walk.
        var known = conditions.Sum(c => c.Value!.AsObject().Count);
        if (known != 2)
        {
            return false;
        }

        var pattern = Render(sourceArn.Value);
        return sourceArn.Key.EndsWith("Like", StringComparison.Ordinal)
            ? Regex.IsMatch(publisher.Source, "^" + Regex.Escape(pattern).Replace("\\*", ".*", StringComparison.Ordinal).Replace("\\?", ".", StringComparison.Ordinal) + "$")
            : pattern == publisher.Source;
    }

    private static bool ActionMatches(string granted, string wanted) =>
        Regex.IsMatch(wanted, "^" + Regex.Escape(granted).Replace("\\*", ".*", StringComparison.Ordinal) + "$");

    /// <summary>A policy value as AWS evaluates it in the test account and region; other resources as GETATT:/REF: markers.</summary>
    private static string Render(JsonNode value) => value switch
    {
        JsonValue v => v.GetValue<string>(),
        JsonObject o when o["Fn::Join"] is JsonArray join => string.Join((string?)join[0], join[1]!.AsArray().Select(p => Render(p!))),
        JsonObject o when (string?)o["Ref"] == "AWS::Partition" => "aws",
        JsonObject o when (string?)o["Ref"] == "AWS::Region" => Region,
        JsonObject o when (string?)o["Ref"] == "AWS::AccountId" => Account,
        JsonObject o when o["Ref"] is not null => $"REF:{o["Ref"]}",
        JsonObject o when o["Fn::GetAtt"] is JsonArray getAtt => $"GETATT:{getAtt[0]}",
        _ => throw new InvalidOperationException($"Cannot render {value.ToJsonString()}"),
    };

    private static bool IsEveryone(JsonNode? principal) =>
        Text(principal) == "*" || Json.Many(Field(principal, "AWS")).Any(p => Text(p) == "*");

    private static JsonNode? Field(JsonNode? node, string name) => node is JsonObject o ? o[name] : null;

    private static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var text) ? text : null;
}
