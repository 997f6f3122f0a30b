using System.Globalization;
using System.Text.Json.Nodes;
using Phoenix.Core.Drift;

namespace Phoenix.Cli.Simulation.Drift;

/// <summary>Builds the events AWS emits, in their documented shapes, for the simulated region.</summary>
public static class ConfigEvents
{
    /// <summary>A "Config Rules Compliance Change" EventBridge event for one evaluation.</summary>
    public static string ComplianceChange(int sequence, string ruleName, string accountId, string region, ConfigEvaluation evaluation, ConfigEvaluation? old)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        JsonObject Result(ConfigEvaluation e) => new()
        {
            ["evaluationResultIdentifier"] = new JsonObject
            {
                ["evaluationResultQualifier"] = new JsonObject
                {
                    ["configRuleName"] = ruleName,
                    ["resourceType"] = e.ComplianceResourceType,
                    ["resourceId"] = e.ComplianceResourceId,
                    ["evaluationMode"] = "DETECTIVE",
                },
                ["orderingTimestamp"] = Time(e.OrderingTimestamp),
            },
            ["complianceType"] = e.ComplianceType,
            ["resultRecordedTime"] = Time(e.OrderingTimestamp),
            ["configRuleInvokedTime"] = Time(e.OrderingTimestamp),
            ["annotation"] = e.Annotation,
        };

        var detail = new JsonObject
        {
            ["resourceId"] = evaluation.ComplianceResourceId,
            ["awsRegion"] = region,
            ["awsAccountId"] = accountId,
            ["configRuleName"] = ruleName,
            ["recordVersion"] = "1.0",
            ["configRuleARN"] = $"arn:aws:config:{region}:{accountId}:config-rule/config-rule-{Hash(ruleName)}",
            ["messageType"] = "ComplianceChangeNotification",
            ["newEvaluationResult"] = Result(evaluation),
            ["notificationCreationTime"] = Time(evaluation.OrderingTimestamp),
            ["resourceType"] = evaluation.ComplianceResourceType,
        };
        if (old is not null)
        {
            detail["oldEvaluationResult"] = Result(old);
        }

        return Envelope(sequence, DriftEventParser.ConfigDetailType, DriftEventParser.ConfigSource, accountId, region, evaluation.OrderingTimestamp, [], detail);
    }

    /// <summary>The invocation Config sends the ImmutableInstance Lambda for a changed EC2 instance.</summary>
    public static string InstanceChangeInvocation(string ruleName, string accountId, string region, string instanceId, string imageId, string state, IReadOnlyDictionary<string, string> tags, DateTimeOffset capturedAt, string resultToken)
    {
        ArgumentNullException.ThrowIfNull(tags);
        var tagObject = new JsonObject();
        foreach (var (key, value) in tags)
        {
            tagObject[key] = value;
        }

        var invoking = new JsonObject
        {
            ["configurationItem"] = new JsonObject
            {
                ["configurationItemCaptureTime"] = Time(capturedAt),
                ["awsAccountId"] = accountId,
                ["configurationItemStatus"] = "OK",
                ["resourceId"] = instanceId,
                ["ARN"] = $"arn:aws:ec2:{region}:{accountId}:instance/{instanceId}",
                ["awsRegion"] = region,
                ["resourceType"] = DriftEventParser.Ec2InstanceType,
                ["tags"] = tagObject,
                ["configuration"] = new JsonObject { ["instanceId"] = instanceId, ["imageId"] = imageId, ["state"] = new JsonObject { ["name"] = state } },
            },
            ["notificationCreationTime"] = Time(capturedAt),
            ["messageType"] = "ConfigurationItemChangeNotification",
            ["recordVersion"] = "1.3",
        };
        return new JsonObject
        {
            ["invokingEvent"] = invoking.ToJsonString(),
            ["ruleParameters"] = "{}",
            ["resultToken"] = resultToken,
            ["eventLeftScope"] = false,
            ["executionRoleArn"] = $"arn:aws:iam::{accountId}:role/config-role",
            ["configRuleArn"] = $"arn:aws:config:{region}:{accountId}:config-rule/config-rule-{Hash(ruleName)}",
            ["configRuleName"] = ruleName,
            ["configRuleId"] = $"config-rule-{Hash(ruleName)}",
            ["accountId"] = accountId,
            ["version"] = "1.0",
        }.ToJsonString();
    }

    /// <summary>A "Step Functions Execution Status Change" event for a deployment execution.</summary>
    public static string ExecutionStatusChange(int sequence, string accountId, string region, string executionArn, string status, string input, DateTimeOffset startedAt, DateTimeOffset stoppedAt, string? error, string? cause)
    {
        ArgumentNullException.ThrowIfNull(executionArn);
        var parts = executionArn.Split(':');
        var detail = new JsonObject
        {
            ["executionArn"] = executionArn,
            ["stateMachineArn"] = $"arn:aws:states:{region}:{accountId}:stateMachine:{(parts.Length > 6 ? parts[6] : "deploy")}",
            ["name"] = parts[^1],
            ["status"] = status,
            ["startDate"] = startedAt.ToUnixTimeMilliseconds(),
            ["stopDate"] = stoppedAt.ToUnixTimeMilliseconds(),
            ["input"] = input,
            ["output"] = null,
            ["inputDetails"] = new JsonObject { ["included"] = true },
            ["outputDetails"] = null,
            ["error"] = error,
            ["cause"] = cause,
        };
        return Envelope(sequence, DriftEventParser.ExecutionDetailType, DriftEventParser.StatesSource, accountId, region, stoppedAt, [executionArn], detail);
    }

    private static string Envelope(int sequence, string detailType, string source, string accountId, string region, DateTimeOffset at, string[] resources, JsonObject detail)
    {
        // JsonValue.Create(string) and the JsonNode?[] constructor avoid JsonArray.Add<T>, which the Native AOT build
        // refuses (it may create values by reflection).
        var resourceArray = new JsonArray(resources.Select(r => (JsonNode?)JsonValue.Create(r)).ToArray());

        return new JsonObject
        {
            ["version"] = "0",
            ["id"] = $"00000000-0000-0000-0000-{sequence.ToString("x12", CultureInfo.InvariantCulture)}",
            ["detail-type"] = detailType,
            ["source"] = source,
            ["account"] = accountId,
            ["time"] = at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            ["region"] = region,
            ["resources"] = resourceArray,
            ["detail"] = detail,
        }.ToJsonString();
    }

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);

    /// <summary>A stable (FNV-1a) stand-in for the random suffix AWS gives a rule id.</summary>
    private static string Hash(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash = unchecked((hash ^ c) * 16777619u);
        }

        return hash.ToString("x8", CultureInfo.InvariantCulture)[..6];
    }
}
