using System.Text.Json.Nodes;
using Amazon.CDK.Assertions;
using Phoenix.Cdk.Tests.Support;

namespace Phoenix.Cdk.Tests;

[Collection(SynthesizedAppGroup.Name)]
public sealed class DriftStackTests(SynthesizedApp app, AlternateApp alternate)
{
    private JsonObject Json => app.JsonOf(app.Stacks.Drift);

    [Fact]
    public void ConfigRules_Applications_RequiredAndBlockedAreTheBakeManifestsListsOverSsmInventory()
    {
        var manifest = BakeManifest.Load(Path.Combine(PhoenixSettings.RepositoryRoot, "cdk", "packer", BakeManifest.FileName));
        var rules = Support.Json.Resources(Json, "AWS::Config::ConfigRule").Select(r => r.Resource["Properties"]!)
            .Where(r => r["Source"]!["SourceIdentifier"] is JsonValue)
            .ToDictionary(r => (string)r["Source"]!["SourceIdentifier"]!, r => r);
        Assert.DoesNotContain("EC2_MANAGEDINSTANCE_INVENTORY_BLACKLISTED", rules.Keys);
        var required = rules["EC2_MANAGEDINSTANCE_APPLICATIONS_REQUIRED"];
        var blocked = rules["EC2_MANAGEDINSTANCE_APPLICATIONS_BLACKLISTED"];
        Assert.Equal(manifest.Packages, ((string)required["InputParameters"]!["applicationNames"]!).Split(','));
        Assert.Equal(manifest.Forbidden, ((string)blocked["InputParameters"]!["applicationNames"]!).Split(','));
        Assert.All(new[] { required, blocked }, r => Assert.Equal("AWS::SSM::ManagedInstanceInventory", (string?)r["Scope"]!["ComplianceResourceTypes"]![0]));

        // The rules read AWS:Application inventory, which only an inventory association collects: on the fleet's instances.
        foreach (var (synthesized, application) in new[] { (app, "web"), ((SynthesizedApp)alternate, "shop") })
        {
            var association = Support.Json.Resources(synthesized.JsonOf(synthesized.Stacks.Drift), "AWS::SSM::Association").Single().Resource["Properties"]!;
            Assert.Equal("AWS-GatherSoftwareInventory", (string?)association["Name"]);
            Assert.Equal("Enabled", (string?)association["Parameters"]!["applications"]![0]);
            var target = association["Targets"]!.AsArray().Single()!;
            Assert.Equal("tag:" + Governance.ApplicationTag, (string?)target["Key"]);
            Assert.Equal(application, (string?)target["Values"]![0]);
        }
    }

    [Fact]
    public void BakeManifest_PackageBothInstalledAndForbiddenOrNotAName_FailsNamingIt()
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("phoenix-manifest-").FullName, BakeManifest.FileName);
        File.WriteAllText(file, """{"packages":["nginx","gcc"],"forbidden":["gcc"]}""");
        Assert.Contains("gcc", Assert.Throws<InvalidOperationException>(() => BakeManifest.Load(file)).Message, StringComparison.Ordinal);
        File.WriteAllText(file, """{"packages":["nginx; rm -rf /"],"forbidden":["gcc"]}""");
        Assert.Contains("nginx; rm -rf /", Assert.Throws<InvalidOperationException>(() => BakeManifest.Load(file)).Message, StringComparison.Ordinal);
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
    public void ConfigRules_ImmutableInstance_CustomLambdaOnChangesAndHourlyOverTheApplication()
    {
        foreach (var (synthesized, application) in new[] { (app, "web"), ((SynthesizedApp)alternate, "shop") })
        {
            var rule = Support.Json.Resources(synthesized.JsonOf(synthesized.Stacks.Drift), "AWS::Config::ConfigRule")
                .Single(r => (string?)r.Resource["Properties"]!["ConfigRuleName"] == "phoenix-immutable-instance").Resource["Properties"]!;
            Assert.Equal("CUSTOM_LAMBDA", (string?)rule["Source"]!["Owner"]);
            Assert.StartsWith("ImmutableInstanceFunction", (string?)rule["Source"]!["SourceIdentifier"]!["Fn::GetAtt"]![0], StringComparison.Ordinal);
            var details = rule["Source"]!["SourceDetails"]!.AsArray();
            Assert.Contains(details, d => (string?)d!["MessageType"] == "ConfigurationItemChangeNotification");
            Assert.Contains(details, d => (string?)d!["MessageType"] == "ScheduledNotification" && (string?)d["MaximumExecutionFrequency"] == "One_Hour");
            Assert.Equal("AWS::EC2::Instance", (string?)rule["Scope"]!["ComplianceResourceTypes"]![0]);
            // The periodic evaluation reads exactly this parameter (Core's ImmutableInstanceRule).
            Assert.Equal(application, (string?)rule["InputParameters"]!["applications"]);
        }
    }

    [Fact]
    public void EventRules_ComplianceChanges_OnlyPhoenixRulesAndBothDirections()
    {
        var compliance = Rules().Single(r => (string?)r["EventPattern"]!["source"]![0] == "aws.config")["EventPattern"]!;
        var names = compliance["detail"]!["configRuleName"]!.AsArray().Select(n => (string?)n).Order().ToList();
        var defined = Support.Json.Resources(Json, "AWS::Config::ConfigRule").Select(r => (string?)r.Resource["Properties"]!["ConfigRuleName"]).Order().ToList();
        Assert.Equal(defined, names);
        Assert.Equal(["COMPLIANT", "NON_COMPLIANT", "NOT_APPLICABLE"], compliance["detail"]!["newEvaluationResult"]!["complianceType"]!.AsArray().Select(c => (string?)c).Order());

        var parser = new Phoenix.Core.Drift.DriftEventParser(DriftStack.ImmutableInstanceRuleName);
        var alert = Event("config-immutable-noncompliant.json");
        var recovery = Event("config-immutable-compliant.json");
        Assert.True(Matches(compliance, alert));
        Assert.True(Matches(compliance, recovery));
        // What passes the rule is what the handler turns into "resolved" in the same thread as the alert.
        var opened = parser.Parse(alert.ToJsonString())!;
        var resolved = parser.Parse(recovery.ToJsonString())!;
        Assert.True(resolved.IsRecovery);
        Assert.Equal(opened.ThreadId, resolved.ThreadId);
        Assert.Equal(opened.DedupeKey, resolved.DedupeKey);

        var otherRule = Event("config-other-rule-noncompliant.json");
        otherRule["detail"]!["configRuleName"] = "someone-elses-rule";
        Assert.False(Matches(compliance, otherRule));
    }

    [Fact]
    public void EventRules_StackDrift_OnlyPhoenixStacksDriftedAndInSync()
    {
        var stackDrift = Rules().Single(r => (string?)r["EventPattern"]!["source"]![0] == "aws.cloudformation")["EventPattern"]!;
        foreach (var (status, stack, expected) in new[] { ("DRIFTED", "PhoenixFleet", true), ("IN_SYNC", "PhoenixFleet", true), ("DRIFTED", "billing-prod", false) })
        {
            var drifted = Event("stack-in-sync.json");
            drifted["detail"]!["stack-id"] = $"arn:aws:cloudformation:us-east-1:123456789012:stack/{stack}/8c2b3c50-cb9a-11ef-9a4c-0a1b2c3d4e5f";
            drifted["detail"]!["status-details"]!["stack-drift-status"] = status;
            Assert.Equal(expected, Matches(stackDrift, drifted));
        }
    }

    [Fact]
    public void EventRules_ComplianceDriftAndExecutionStatus_AllFeedTheDriftQueue()
    {
        var rules = Support.Json.Resources(Json, "AWS::Events::Rule").Select(r => r.Resource["Properties"]!).ToList();
        var detailTypes = rules.Select(r => (string?)r["EventPattern"]!["detail-type"]![0]).Order().ToList();
        Assert.Equal(["CloudFormation Drift Detection Status Change", "Config Rules Compliance Change", "Step Functions Execution Status Change"], detailTypes);
        Assert.All(rules, r => Assert.StartsWith("DriftEvents", (string?)r["Targets"]![0]!["Arn"]!["Fn::GetAtt"]![0], StringComparison.Ordinal));
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
    public void Alarm_NonCompliantResources_TheDriftHandlersOwnMetricAboveZeroInFiveMinutesNotifiesDriftTopic()
    {
        var alarm = Support.Json.Resources(Json, "AWS::CloudWatch::Alarm")
            .Single(a => (string?)a.Resource["Properties"]!["AlarmName"] == DriftStack.DriftAlarmName).Resource["Properties"]!;
        // AWS Config publishes no compliance count; the alarm watches what the DriftHandler writes (EMF).
        Assert.Equal(Phoenix.Core.Drift.DriftMetrics.Namespace, (string?)alarm["Namespace"]);
        Assert.Equal(Phoenix.Core.Drift.DriftMetrics.NonCompliantName, (string?)alarm["MetricName"]);
        var dimension = alarm["Dimensions"]!.AsArray().Single()!;
        Assert.Equal(Phoenix.Core.Drift.DriftMetrics.DimensionName, (string?)dimension["Name"]);
        Assert.Equal(Phoenix.Lambda.Composition.DriftHandlerKey, (string?)dimension["Value"]);
        Assert.Equal("Sum", (string?)alarm["Statistic"]);
        Assert.Equal("GreaterThanThreshold", (string?)alarm["ComparisonOperator"]);
        Assert.Equal(0, (int)alarm["Threshold"]!);
        Assert.Equal(300, (int)alarm["Period"]!);
        Assert.Equal(1, (int)alarm["EvaluationPeriods"]!);
        Assert.Contains("DriftAlerts", alarm["AlarmActions"]![0]!.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Support.Json.Resources(Json, "AWS::CloudWatch::Alarm"), a => (string?)a.Resource["Properties"]!["Namespace"] == "AWS/Config");
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

    private List<JsonNode> Rules() => Support.Json.Resources(Json, "AWS::Events::Rule").Select(r => r.Resource["Properties"]!).ToList();

    private static JsonObject Event(string fixture) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(PhoenixSettings.RepositoryRoot, "tests", "Phoenix.Core.Tests", "Drift", "Fixtures", fixture)))!.AsObject();

    /// <summary>
    /// EventBridge's matching for the pattern forms used here: a list of values (one must equal the event's), a list
    /// holding {"prefix": ...} (rendered for the test account and region), and nested objects.
    /// </summary>
    private static bool Matches(JsonNode pattern, JsonNode? value) => pattern switch
    {
        JsonObject fields => value is JsonObject o && fields.All(f => Matches(f.Value!, o[f.Key])),
        JsonArray options => value is JsonValue v && v.TryGetValue<string>(out var text) && options.Any(option => option switch
        {
            JsonObject rule when rule["prefix"] is { } prefix => text.StartsWith(
                Support.Json.Flatten(prefix, "?").Replace("arn:?:cloudformation:?:?:", "arn:aws:cloudformation:us-east-1:123456789012:", StringComparison.Ordinal), StringComparison.Ordinal),
            JsonValue literal => (string?)literal == text,
            _ => throw new InvalidOperationException($"Unsupported pattern {option!.ToJsonString()}"),
        }),
        _ => throw new InvalidOperationException($"Unsupported pattern {pattern.ToJsonString()}"),
    };
}
