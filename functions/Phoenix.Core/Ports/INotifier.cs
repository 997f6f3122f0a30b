namespace Phoenix.Core.Ports;

/// <summary>Publishes to an SNS topic (Publish / PublishBatch). Messages are AWS Chatbot custom notification JSON.</summary>
public interface INotifier
{
    Task PublishAsync(string topicArn, IReadOnlyList<OutgoingMessage> messages, CancellationToken cancellationToken);
}

/// <summary>Subject is optional (SNS limits it to 100 characters); Id must be unique within one batch.</summary>
public sealed record OutgoingMessage(string Id, string Message, string? Subject = null);
