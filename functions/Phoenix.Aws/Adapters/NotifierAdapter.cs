using Phoenix.Aws.SimpleNotificationService;
using Phoenix.Core;
using Phoenix.Core.Ports;
using Model = Phoenix.Aws.SimpleNotificationService.Model;

namespace Phoenix.Aws.Adapters;

public sealed class NotifierAdapter(AmazonSimpleNotificationServiceClient client) : INotifier
{
    /// <summary>PublishBatch takes at most 10 entries.</summary>
    private const int EntriesPerBatch = 10;

    public Task PublishAsync(string topicArn, IReadOnlyList<OutgoingMessage> messages, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);
        return AwsCall.RunAsync($"Publish to {topicArn}", async () =>
        {
            if (messages.Count == 1)
            {
                await client.PublishAsync(
                    new Model.PublishRequest { TopicArn = topicArn, Message = messages[0].Message, Subject = messages[0].Subject }, cancellationToken).ConfigureAwait(false);
                return;
            }

            foreach (var batch in messages.Chunk(EntriesPerBatch))
            {
                var response = await client.PublishBatchAsync(
                    new Model.PublishBatchRequest
                    {
                        TopicArn = topicArn,
                        PublishBatchRequestEntries = batch.Select(m => new Model.PublishBatchRequestEntry { Id = m.Id, Message = m.Message, Subject = m.Subject }).ToList(),
                    },
                    cancellationToken).ConfigureAwait(false);
                if (response.Failed is { Count: > 0 } failed)
                {
                    var summary = string.Join("; ", failed.Select(f => $"{f.Id}: {f.Code} {f.Message}"));

                    // A sender fault will fail the same way again; anything else is SNS's side and worth a retry.
                    throw failed.All(f => f.SenderFault != true)
                        ? new TransientFailure($"PublishBatch to {topicArn} failed for {failed.Count} message(s): {summary}")
                        : new InvalidOperationException($"PublishBatch to {topicArn} rejected {failed.Count} message(s): {summary}");
                }
            }
        }, cancellationToken);
    }
}
