using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Phoenix.Core.Drift;

/// <summary>Turns an EventBridge event (JSON) into a <see cref="DriftSignal"/>, or null for events that need no
/// message (e.g. a SUCCEEDED execution, detection still in progress, INSUFFICIENT_DATA).</summary>
public sealed class DriftEventParser(string immutableInstanceRuleName)
{
    public const string ConfigSource = "aws.config";
    public const string ConfigDetailType = "Config Rules Compliance Change";
    public const string CloudFormationSource = "aws.cloudformation";
    public const string StackDriftDetailType = "CloudFormation Drift Detection Status Change";
    public const string StatesSource = "aws.states";
    public const string ExecutionDetailType = "Step Functions Execution Status Change";
    public const string Ec2InstanceType = "AWS::EC2::Instance";

    public DriftSignal? Parse(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            throw new MalformedDriftEvent("Event body is empty: expected an EventBridge event JSON object.");
        }

        var envelope = Deserialize(body, DriftJsonContext.Default.EventBridgeEvent, "EventBridge event");
        var detailType = Require(envelope.DetailType, "detail-type");
        var source = Require(envelope.Source, "source");
        if (envelope.Detail.ValueKind != JsonValueKind.Object)
        {
            throw new MalformedDriftEvent($"Event {envelope.Id ?? "(no id)"} has no detail object.");
        }

        return (source, detailType) switch
        {
            (ConfigSource, ConfigDetailType) => FromCompliance(envelope),
            (CloudFormationSource, StackDriftDetailType) => FromStackDrift(envelope),
            (StatesSource, ExecutionDetailType) => FromExecution(envelope),
            _ => throw new MalformedDriftEvent(
                $"Unsupported event: source '{source}', detail-type '{detailType}'. Drift handles '{ConfigDetailType}', '{StackDriftDetailType}' and '{ExecutionDetailType}'."),
        };
    }

    private DriftSignal? FromCompliance(EventBridgeEvent envelope)
    {
        var detail = Deserialize(envelope.Detail, DriftJsonContext.Default.ConfigComplianceChangeDetail, ConfigDetailType);
        var qualifier = detail.NewEvaluationResult?.EvaluationResultIdentifier?.EvaluationResultQualifier;
        var resourceId = Require(detail.ResourceId ?? qualifier?.ResourceId, "detail.resourceId");
        var resourceType = Require(detail.ResourceType ?? qualifier?.ResourceType, "detail.resourceType");
        var rule = Require(detail.ConfigRuleName ?? qualifier?.ConfigRuleName, "detail.configRuleName");
        var state = Require(detail.NewEvaluationResult?.ComplianceType, "detail.newEvaluationResult.complianceType");
        var recovery = state switch
        {
            "NON_COMPLIANT" => false,
            "COMPLIANT" or "NOT_APPLICABLE" => true,
            "INSUFFICIENT_DATA" => (bool?)null,
            _ => throw new MalformedDriftEvent($"Unknown complianceType '{state}' in detail.newEvaluationResult: expected COMPLIANT, NON_COMPLIANT, NOT_APPLICABLE or INSUFFICIENT_DATA."),
        };
        if (recovery is null)
        {
            return null;
        }

        var kind = rule == immutableInstanceRuleName && resourceType == Ec2InstanceType ? DriftKind.ImageDrift : DriftKind.ComplianceRule;
        return new DriftSignal(
            kind,
            DedupeKey: $"config#{rule}#{resourceId}",
            ThreadId: ThreadFor(resourceId),
            State: state,
            IsRecovery: recovery.Value,
            ResourceType: resourceType,
            ResourceId: resourceId,
            Account: Require(detail.AwsAccountId ?? envelope.Account, "detail.awsAccountId"),
            Region: Require(detail.AwsRegion ?? envelope.Region, "detail.awsRegion"),
            Time: detail.NewEvaluationResult?.ResultRecordedTime ?? envelope.Time ?? DateTimeOffset.UnixEpoch,
            RuleName: rule,
            PreviousState: detail.OldEvaluationResult?.ComplianceType,
            Annotation: detail.NewEvaluationResult?.Annotation);
    }

    private static DriftSignal? FromStackDrift(EventBridgeEvent envelope)
    {
        var detail = Deserialize(envelope.Detail, DriftJsonContext.Default.StackDriftDetail, StackDriftDetailType);
        var stackId = Require(detail.StackId, "detail.stack-id");
        var detection = Require(detail.StatusDetails?.DetectionStatus, "detail.status-details.detection-status");
        var drift = detail.StatusDetails?.StackDriftStatus;
        (string State, bool Recovery)? outcome = (detection, drift) switch
        {
            ("DETECTION_COMPLETE", "DRIFTED") => ("DRIFTED", false),
            ("DETECTION_COMPLETE", "IN_SYNC") => ("IN_SYNC", true),
            ("DETECTION_FAILED", _) => ("DETECTION_FAILED", false),
            _ => null,
        };
        if (outcome is null)
        {
            return null;
        }

        var stackName = StackName(stackId);
        return new DriftSignal(
            DriftKind.StackDrift,
            DedupeKey: $"stack#{stackId}",
            ThreadId: ThreadFor(stackName),
            State: outcome.Value.State,
            IsRecovery: outcome.Value.Recovery,
            ResourceType: "AWS::CloudFormation::Stack",
            ResourceId: stackId,
            Account: Require(envelope.Account, "account"),
            Region: Require(envelope.Region, "region"),
            Time: envelope.Time ?? DateTimeOffset.UnixEpoch,
            RuleName: stackName,
            DriftedResourceCount: detail.DriftDetectionDetails?.DriftedStackResourceCount);
    }

    private static DriftSignal? FromExecution(EventBridgeEvent envelope)
    {
        var detail = Deserialize(envelope.Detail, DriftJsonContext.Default.ExecutionStatusChangeDetail, ExecutionDetailType);
        var executionArn = Require(detail.ExecutionArn, "detail.executionArn");
        var status = Require(detail.Status, "detail.status");
        if (status is not ("FAILED" or "TIMED_OUT" or "ABORTED"))
        {
            return null;
        }

        var application = ApplicationOf(detail.Input);
        return new DriftSignal(
            DriftKind.DeploymentStopped,
            DedupeKey: $"execution#{executionArn}",
            ThreadId: ThreadFor(application is null ? executionArn[(executionArn.LastIndexOf(':') + 1)..] : $"deploy-{application}"),
            State: status,
            IsRecovery: false,
            ResourceType: "AWS::StepFunctions::Execution",
            ResourceId: executionArn,
            Account: Require(envelope.Account, "account"),
            Region: Require(envelope.Region, "region"),
            Time: detail.StopDate is { } stop ? DateTimeOffset.FromUnixTimeMilliseconds(stop) : envelope.Time ?? DateTimeOffset.UnixEpoch,
            RuleName: detail.StateMachineArn,
            Application: application,
            Error: detail.Error,
            Cause: detail.Cause);
    }

    /// <summary>The deployment's application, or null when the input was left out (too large) or has none.</summary>
    private static string? ApplicationOf(string? input)
    {
        if (string.IsNullOrWhiteSpace(input))
        {
            return null;
        }

        try
        {
            var head = JsonSerializer.Deserialize(input, DriftJsonContext.Default.DeploymentInputHead);
            return string.IsNullOrWhiteSpace(head?.Application) ? null : head.Application;
        }
        catch (JsonException)
        {
            // An execution started with non-JSON-object input is not a Phoenix deployment: nothing to release.
            return null;
        }
    }

    /// <summary>arn:aws:cloudformation:region:account:stack/NAME/guid -> NAME.</summary>
    public static string StackName(string stackId)
    {
        var parts = stackId.Split('/');
        return parts.Length >= 2 && parts[0].EndsWith(":stack", StringComparison.Ordinal) ? parts[1] : stackId;
    }

    public static string ThreadFor(string resource) => $"phoenix-drift-{resource}";

    private static T Deserialize<T>(string json, JsonTypeInfo<T> type, string what)
    {
        try
        {
            return JsonSerializer.Deserialize(json, type) ?? throw new MalformedDriftEvent($"{what} is null.");
        }
        catch (JsonException ex)
        {
            throw new MalformedDriftEvent($"{what} is not valid: {ex.Message}", ex);
        }
    }

    private static T Deserialize<T>(JsonElement json, JsonTypeInfo<T> type, string what)
    {
        try
        {
            return json.Deserialize(type) ?? throw new MalformedDriftEvent($"{what} detail is null.");
        }
        catch (JsonException ex)
        {
            throw new MalformedDriftEvent($"{what} detail is not valid: {ex.Message}", ex);
        }
    }

    private static string Require(string? value, string field) =>
        string.IsNullOrWhiteSpace(value) ? throw new MalformedDriftEvent($"Event field '{field}' is missing or empty.") : value;
}
