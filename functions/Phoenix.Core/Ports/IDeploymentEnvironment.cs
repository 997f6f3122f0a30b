namespace Phoenix.Core.Ports;

/// <summary>
/// The read-only AWS calls <c>phoenix doctor</c> makes about a deployment environment, each reduced to what a check needs.
/// "Not found" is a value (null or empty); any other failure (access denied, throttling) is thrown and reported by the
/// check that made the call.
/// </summary>
public interface IDeploymentEnvironment
{
    /// <summary>CloudFormation DescribeStacks: the stack's status and outputs (key to value), or null when no such stack exists.</summary>
    Task<StackDescription?> DescribeStackAsync(string stackName, CancellationToken cancellationToken);

    /// <summary>SSM GetParametersByPath, recursive and decrypted, every page: parameter name to value (empty when none).</summary>
    Task<IReadOnlyDictionary<string, string>> GetParametersByPathAsync(string path, CancellationToken cancellationToken);

    /// <summary>DynamoDB DescribeTable: the table's status (ACTIVE, CREATING, …), or null when no such table exists.</summary>
    Task<string?> DescribeTableStatusAsync(string tableName, CancellationToken cancellationToken);

    /// <summary>Step Functions DescribeStateMachine: its status (ACTIVE, DELETING), or null when it does not exist.</summary>
    Task<string?> DescribeStateMachineStatusAsync(string stateMachineArn, CancellationToken cancellationToken);

    /// <summary>AWS Config DescribeConfigurationRecorderStatus: every recorder of the account in this region (empty when none).</summary>
    Task<IReadOnlyList<RecorderStatus>> DescribeConfigurationRecorderStatusAsync(CancellationToken cancellationToken);

    /// <summary>SNS GetTopicAttributes and ListSubscriptionsByTopic (every page), or null when the topic does not exist.</summary>
    Task<TopicDescription?> DescribeTopicAsync(string topicArn, CancellationToken cancellationToken);
}

/// <summary>A CloudFormation stack: <paramref name="Status"/> such as CREATE_COMPLETE, its outputs by key.</summary>
public sealed record StackDescription(string Status, IReadOnlyDictionary<string, string> Outputs);

/// <summary>A Config recorder's status: <paramref name="LastStatus"/> is Pending, Success or Failure (null before its first run).</summary>
public sealed record RecorderStatus(string Name, bool Recording, string? LastStatus, string? LastErrorCode, string? LastErrorMessage);

/// <summary>
/// An SNS topic: <paramref name="KmsMasterKeyId"/> is null when it is not encrypted at rest; one entry per subscription,
/// <see cref="TopicSubscription.Confirmed"/> false while it waits for its endpoint to confirm.
/// </summary>
public sealed record TopicDescription(string? KmsMasterKeyId, IReadOnlyList<TopicSubscription> Subscriptions);

public sealed record TopicSubscription(string Protocol, string Endpoint, bool Confirmed);
