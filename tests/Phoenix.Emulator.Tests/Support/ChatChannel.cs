using Amazon.SQS;
using Amazon.SQS.Model;
using Phoenix.Emulator.Tests.Provisioning;

namespace Phoenix.Emulator.Tests.Support;

/// <summary>
/// What AWS Chatbot sees of a topic: an SNS topic with an SQS queue subscribed, raw message delivery off, so the queue
/// receives the SNS envelope whose Message is the Chatbot custom notification JSON Phoenix published.
/// </summary>
public sealed class ChatChannel : IDisposable
{
    private readonly AmazonSQSClient _sqs;

    private ChatChannel(AmazonSQSClient sqs, string topicArn, string queueUrl, string queueArn)
    {
        _sqs = sqs;
        TopicArn = topicArn;
        QueueUrl = queueUrl;
        QueueArn = queueArn;
    }

    public string TopicArn { get; }

    public string QueueUrl { get; }

    public string QueueArn { get; }

    public static async Task<ChatChannel> CreateAsync(MotoServer moto, string topicName, string queueName)
    {
        ArgumentNullException.ThrowIfNull(moto);
        var sqs = EmulatorFleet.CreateSqsClient(moto);
        try
        {
            using var sns = new NotificationProvisioner(moto);
            var topicArn = (await sns.CreateTopicAsync(new CreateTopicRequest { Name = topicName })).TopicArn!;
            var queueUrl = (await sqs.CreateQueueAsync(queueName)).QueueUrl;
            var queueArn = (await sqs.GetQueueAttributesAsync(queueUrl, ["QueueArn"])).QueueARN;
            await sns.SubscribeAsync(new SubscribeRequest { TopicArn = topicArn, Protocol = "sqs", Endpoint = queueArn, ReturnSubscriptionArn = true });
            return new ChatChannel(sqs, topicArn, queueUrl, queueArn);
        }
        catch
        {
            sqs.Dispose();
            throw;
        }
    }

    /// <summary>Drains the queue: every notification that arrived since the last call, unwrapped, in arrival order.</summary>
    public async Task<IReadOnlyList<ReceivedNotification>> ReceiveAsync()
    {
        var received = new List<ReceivedNotification>();
        while (true)
        {
            var batch = await _sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = QueueUrl, MaxNumberOfMessages = 10, WaitTimeSeconds = 0 });
            if (batch.Messages is not { Count: > 0 } messages)
            {
                return received;
            }

            foreach (var message in messages)
            {
                received.Add(ReceivedNotification.FromSnsEnvelope(message.Body));
                await _sqs.DeleteMessageAsync(QueueUrl, message.ReceiptHandle);
            }
        }
    }

    public void Dispose() => _sqs.Dispose();
}
