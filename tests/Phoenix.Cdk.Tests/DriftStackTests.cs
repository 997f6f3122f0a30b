using System.Text.Json.Nodes;
using Amazon.CDK.Assertions;
using Phoenix.Cdk.Tests.Support;

namespace Phoenix.Cdk.Tests;

[Collection(SynthesizedAppGroup.Name)]
public sealed class DriftStackTests(SynthesizedApp app, AlternateApp alternate)
{
    private JsonObject Json => app.JsonOf(app.Stacks.Drift);

    [Fact]
    public void ConfigRules_ReferenceDesign_InventoryBlockedWithApplicationInventory()
    {
        app.TemplateOf(app.Stacks.Drift).HasResourceProperties("AWS::Config::ConfigRule", new Dictionary<string, object>
        {
            ["ConfigRuleName"] = "ec2-managedinstance-inventory-blacklisted",
            ["Source"] = new Dictionary<string, object> { ["Owner"] = "AWS", ["SourceIdentifier"] = "EC2_MANAGEDINSTANCE_INVENTORY_BLACKLISTED" },
            ["InputParameters"] = new Dictionary<string, object> { ["inventoryNames"] = "AWS:Application" },
        });
    }

    [Fact]
    public void ConfigRules_ApprovedAmis_ByThePhoenixBakeTag()
    {
        app.TemplateOf(app.Stacks.Drift).HasResourceProperties("AWS::Config::ConfigRule", new Dictionary<string, object>
        {
            ["Source"] = new Dictionary<string, object> { ["Owner"] = "AWS", ["SourceIdentifier"] = "APPROVED_AMIS_BY_TAG" },
            ["InputParameters"] = new Dictionary<string, object> { ["amisByTagKeyAndValue"] = "Phoenix:baked" },
        });
    }

    [Fact]
    public void ConfigRules_ImmutableInstance_CustomLambdaOnInstanceConfigurationChanges()
    {
        var rule = Support.Json.Resources(Json, "AWS::Config::ConfigRule")
            .Single(r => (string?)r.Resource["Properties"]!["ConfigRuleName"] == "phoenix-immutable-instance").Resource["Properties"]!;
        Assert.Equal("CUSTOM_LAMBDA", (string?)rule["Source"]!["Owner"]);
        Assert.StartsWith("ImmutableInstanceFunction", (string?)rule["Source"]!["SourceIdentifier"]!["Fn::GetAtt"]![0], StringComparison.Ordinal);
        var messageTypes = rule["Source"]!["SourceDetails"]!.AsArray().Select(d => (string?)d!["MessageType"]).ToList();
        Assert.Contains("ConfigurationItemChangeNotification", messageTypes);
        Assert.Equal("AWS::EC2::Instance", (string?)rule["Scope"]!["ComplianceResourceTypes"]![0]);
    }

    [Fact]
    public void EventRules_ComplianceDriftAndExecutionStatus_AllFeedTheDriftQueue()
    {
        var rules = Support.Json.Resources(Json, "AWS::Events::Rule").Select(r => r.Resource["Properties"]!).ToList();
        var detailTypes = rules.Select(r => (string?)r["EventPattern"]!["detail-type"]![0]).Order().ToList();
        Assert.Equal(["CloudFormation Drift Detection Status Change", "Config Rules Compliance Change", "Step Functions Execution Status Change"], detailTypes);
        Assert.All(rules, r => Assert.StartsWith("DriftEvents", (string?)r["Targets"]![0]!["Arn"]!["Fn::GetAtt"]![0], StringComparison.Ordinal));
        var compliance = rules.Single(r => (string?)r["EventPattern"]!["source"]![0] == "aws.config");
        Assert.Equal("NON_COMPLIANT", (string?)compliance["EventPattern"]!["detail"]!["newEvaluationResult"]!["complianceType"]![0]);
    }

    [Fact]
    public void Queue_DriftEvents_EncryptedWithDeadLetterRedrive()
    {
        var queues = Support.Json.Resources(Json, "AWS::SQS::Queue").ToDictionary(q => q.LogicalId, q => q.Resource["Properties"]!);
        Assert.Equal(3, queues.Count);
        Assert.All(queues.Values, q => Assert.True((bool)q["SqsManagedSseEnabled"]!));
        var main = queues.Single(q => q.Key.StartsWith("DriftEvents", StringComparison.Ordinal) && !q.Key.Contains("DeadLetter", StringComparison.Ordinal)).Value;
        Assert.Equal(5, (int)main["RedrivePolicy"]!["maxReceiveCount"]!);
        Assert.StartsWith("DriftEventsDeadLetter", (string?)main["RedrivePolicy"]!["deadLetterTargetArn"]!["Fn::GetAtt"]![0], StringComparison.Ordinal);
    }

    [Fact]
    public void DriftHandler_EventSource_ReportsBatchItemFailures()
    {
        app.TemplateOf(app.Stacks.Drift).HasResourceProperties("AWS::Lambda::EventSourceMapping", new Dictionary<string, object>
        {
            ["FunctionResponseTypes"] = new[] { "ReportBatchItemFailures" },
            ["BatchSize"] = 10,
        });
        app.TemplateOf(app.Stacks.Drift).HasResourceProperties("AWS::Lambda::Function", new Dictionary<string, object>
        {
            ["Handler"] = "DriftHandler",
            ["Runtime"] = "provided.al2023",
        });
    }

    [Fact]
    public void Alarm_NonCompliantResources_AboveZeroForOneFiveMinutePeriodNotifiesDriftTopic()
    {
        var alarm = Support.Json.Resources(Json, "AWS::CloudWatch::Alarm").Single(a => (string?)a.Resource["Properties"]!["Namespace"] == "AWS/Config").Resource["Properties"]!;
        Assert.Equal("AWS/Config", (string?)alarm["Namespace"]);
        Assert.Equal("NonCompliantResourceCount", (string?)alarm["MetricName"]);
        Assert.Equal("GreaterThanThreshold", (string?)alarm["ComparisonOperator"]);
        Assert.Equal(0, (int)alarm["Threshold"]!);
        Assert.Equal(300, (int)alarm["Period"]!);
        Assert.Equal(1, (int)alarm["EvaluationPeriods"]!);
        Assert.Contains("DriftAlerts", alarm["AlarmActions"]![0]!.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Chatbot_ContextGiven_SlackAndTeamsChannelsForBothTopics()
    {
        var template = app.TemplateOf(app.Stacks.Drift);
        template.HasResourceProperties("AWS::Chatbot::SlackChannelConfiguration", new Dictionary<string, object>
        {
            ["SlackWorkspaceId"] = "T0123ABCD",
            ["SlackChannelId"] = "C0123ABCD",
            ["SnsTopicArns"] = Match.AnyValue(),
        });
        var teams = Support.Json.Resources(Json, "AWS::Chatbot::MicrosoftTeamsChannelConfiguration").Single().Resource["Properties"]!;
        Assert.Equal("19:abc@thread.tacv2", (string?)teams["TeamsChannelId"]);
        Assert.Equal(2, teams["SnsTopicArns"]!.AsArray().Count);
    }

    [Fact]
    public void Chatbot_NoContext_NoChannels()
    {
        var template = alternate.TemplateOf(alternate.Stacks.Drift);
        template.ResourceCountIs("AWS::Chatbot::SlackChannelConfiguration", 0);
        template.ResourceCountIs("AWS::Chatbot::MicrosoftTeamsChannelConfiguration", 0);
    }
}
