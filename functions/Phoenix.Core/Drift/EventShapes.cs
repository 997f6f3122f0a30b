using System.Text.Json;
using System.Text.Json.Serialization;

namespace Phoenix.Core.Drift;

// Wire shapes of the events drift consumes, as AWS documents them. Every field is nullable: a missing field is
// reported by DriftEventParser with its name instead of surfacing as a serializer error.

/// <summary>An EventBridge event (the body of each SQS message the drift queue receives).</summary>
public sealed record EventBridgeEvent(
    string? Version,
    string? Id,
    [property: JsonPropertyName("detail-type")] string? DetailType,
    string? Source,
    string? Account,
    DateTimeOffset? Time,
    string? Region,
    IReadOnlyList<string>? Resources,
    JsonElement Detail);

/// <summary>detail of "Config Rules Compliance Change" (source aws.config).</summary>
public sealed record ConfigComplianceChangeDetail(
    string? ResourceId,
    string? ResourceType,
    string? AwsRegion,
    string? AwsAccountId,
    string? ConfigRuleName,
    [property: JsonPropertyName("configRuleARN")] string? ConfigRuleArn,
    string? MessageType,
    string? RecordVersion,
    DateTimeOffset? NotificationCreationTime,
    ConfigEvaluationResult? NewEvaluationResult,
    ConfigEvaluationResult? OldEvaluationResult);

public sealed record ConfigEvaluationResult(
    ConfigEvaluationResultIdentifier? EvaluationResultIdentifier,
    string? ComplianceType,
    DateTimeOffset? ResultRecordedTime,
    DateTimeOffset? ConfigRuleInvokedTime,
    string? Annotation);

public sealed record ConfigEvaluationResultIdentifier(ConfigEvaluationResultQualifier? EvaluationResultQualifier, DateTimeOffset? OrderingTimestamp);

public sealed record ConfigEvaluationResultQualifier(string? ConfigRuleName, string? ResourceType, string? ResourceId, string? EvaluationMode);

/// <summary>detail of "CloudFormation Drift Detection Status Change" (source aws.cloudformation).</summary>
public sealed record StackDriftDetail(
    [property: JsonPropertyName("stack-id")] string? StackId,
    [property: JsonPropertyName("stack-drift-detection-id")] string? StackDriftDetectionId,
    [property: JsonPropertyName("status-details")] StackDriftStatusDetails? StatusDetails,
    [property: JsonPropertyName("drift-detection-details")] StackDriftDetectionDetails? DriftDetectionDetails,
    [property: JsonPropertyName("client-request-token")] string? ClientRequestToken);

/// <summary>stack-drift-status: DRIFTED, IN_SYNC, UNKNOWN, NOT_CHECKED; detection-status: DETECTION_IN_PROGRESS,
/// DETECTION_FAILED, DETECTION_COMPLETE.</summary>
public sealed record StackDriftStatusDetails(
    [property: JsonPropertyName("stack-drift-status")] string? StackDriftStatus,
    [property: JsonPropertyName("detection-status")] string? DetectionStatus);

/// <summary>-1 while detection is in progress.</summary>
public sealed record StackDriftDetectionDetails([property: JsonPropertyName("drifted-stack-resource-count")] int? DriftedStackResourceCount);

/// <summary>detail of "Step Functions Execution Status Change" (source aws.states). Dates are epoch milliseconds;
/// input and output are JSON strings, left out when too large (inputDetails.included = false).</summary>
public sealed record ExecutionStatusChangeDetail(
    string? ExecutionArn,
    string? StateMachineArn,
    string? Name,
    string? Status,
    long? StartDate,
    long? StopDate,
    string? Input,
    string? Output,
    ExecutionDataDetails? InputDetails,
    string? Error,
    string? Cause);

public sealed record ExecutionDataDetails(bool? Included);

/// <summary>The part of a deployment execution's input LockCleanup needs.</summary>
public sealed record DeploymentInputHead(string? Application);

/// <summary>The event AWS Config sends a custom Lambda rule. invokingEvent and ruleParameters are JSON strings.</summary>
public sealed record ConfigRuleInvocation(
    string? InvokingEvent,
    string? RuleParameters,
    string? ResultToken,
    bool? EventLeftScope,
    string? ExecutionRoleArn,
    string? ConfigRuleArn,
    string? ConfigRuleName,
    string? ConfigRuleId,
    string? AccountId,
    string? Version);

/// <summary>invokingEvent. messageType: ConfigurationItemChangeNotification (configurationItem),
/// OversizedConfigurationItemChangeNotification (configurationItemSummary), ScheduledNotification.</summary>
public sealed record ConfigInvokingEvent(
    ConfigurationItem? ConfigurationItem,
    ConfigurationItem? ConfigurationItemSummary,
    string? MessageType,
    DateTimeOffset? NotificationCreationTime,
    string? RecordVersion);

/// <summary>configurationItemStatus: OK, ResourceDiscovered, ResourceNotRecorded, ResourceDeleted,
/// ResourceDeletedNotRecorded. For AWS::EC2::Instance, configuration carries imageId and state.</summary>
public sealed record ConfigurationItem(
    DateTimeOffset? ConfigurationItemCaptureTime,
    string? ConfigurationItemStatus,
    string? AwsAccountId,
    string? AwsRegion,
    string? ResourceId,
    string? ResourceType,
    [property: JsonPropertyName("ARN")] string? Arn,
    IReadOnlyDictionary<string, string>? Tags,
    Ec2InstanceConfiguration? Configuration);

public sealed record Ec2InstanceConfiguration(string? ImageId, string? InstanceId, Ec2InstanceState? State);

public sealed record Ec2InstanceState(string? Name);

/// <summary>ruleParameters of the ImmutableInstance rule: comma-separated applications, used by periodic evaluation.</summary>
public sealed record ImmutableInstanceParameters(string? Applications);
