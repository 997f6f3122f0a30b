using Phoenix.Aws.SimpleNotificationService;
using Phoenix.Core;
using Phoenix.Core.Ports;
using Model = Phoenix.Aws.SimpleNotificationService.Model;

namespace Phoenix.Aws.Adapters;

/// <summary>
/// Publishes chat notifications without duplicates: PublishBatch delivers or fails each entry on its own, so only the
/// failed entries are sent again, never one that SNS already accepted.
/// </summary>
/// <remarks>
/// What remains: when the in-call retries are spent, the TransientFailure makes the caller retry (the state machine
/// retries the step, SQS redelivers the drift batch), and that retry sends the whole list again, including the
/// entries delivered here. Standard SNS topics have no deduplication (only FIFO topics do, by
/// MessageDeduplicationId, and AWS Chatbot subscribes to standard topics), so the retries inside this call are the
/// mechanism that keeps chat free of duplicates; the error names only the entries that were not delivered.
/// </remarks>
public sealed class NotifierAdapter(AmazonSimpleNotificationServiceClient client) : INotifier
{
    /// <summary>PublishBatch takes at most 10 entries.</summary>
    private const int EntriesPerBatch = 10;

    /// <summary>Sends of one failed entry, the first included, before the call gives up.</summary>
    private const int AttemptsPerEntry = 4;

    private static readonly TimeSpan FirstBackOff = TimeSpan.FromMilliseconds(100);

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
                await PublishBatchAsync(topicArn, batch, cancellationToken).ConfigureAwait(false);
            }
        }, cancellationToken);
    }

    private async Task PublishBatchAsync(string topicArn, IReadOnlyList<OutgoingMessage> batch, CancellationToken cancellationToken)
    {
        var pending = batch;
        for (var attempt = 1; ; attempt++)
        {
            var response = await client.PublishBatchAsync(
                new Model.PublishBatchRequest
                {
                    TopicArn = topicArn,
                    PublishBatchRequestEntries = pending.Select(m => new Model.PublishBatchRequestEntry { Id = m.Id, Message = m.Message, Subject = m.Subject }).ToList(),
                },
                cancellationToken).ConfigureAwait(false);
            if (response.Failed is not { Count: > 0 } failed)
            {
                return;
            }

            // A sender fault (bad entry, no permission) fails the same way on every retry.
            var rejected = failed.Where(f => f.SenderFault == true).ToList();
            if (rejected.Count > 0)
            {
                throw new InvalidOperationException($"PublishBatch to {topicArn} rejected {rejected.Count} message(s): {Summary(rejected)}");
            }

            if (attempt == AttemptsPerEntry)
            {
                throw new TransientFailure(
                    $"PublishBatch to {topicArn} did not deliver {failed.Count} message(s) after {attempt} attempts: {Summary(failed)}");
            }

            var retry = failed.Select(f => f.Id).ToHashSet(StringComparer.Ordinal);
            pending = pending.Where(m => retry.Contains(m.Id)).ToList();
            await Task.Delay(FirstBackOff * Math.Pow(2, attempt - 1), cancellationToken).ConfigureAwait(false);
        }
    }

    private static string Summary(IEnumerable<Model.BatchResultErrorEntry> failed) => string.Join("; ", failed.Select(f => $"{f.Id}: {f.Code} {f.Message}"));
}
