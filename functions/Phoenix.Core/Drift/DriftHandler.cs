using System.Text.Json;
using Phoenix.Core.Ports;
using Phoenix.Core.Notifications;

namespace Phoenix.Core.Drift;

public enum DriftDisposition
{
    /// <summary>A new alert (and any remediation) was published.</summary>
    Alerted,

    /// <summary>A recovery closed an open alert; "resolved" was published in its thread.</summary>
    Resolved,

    /// <summary>Already alerted within the window, or a recovery with nothing open: no message.</summary>
    Duplicate,

    /// <summary>An event that needs no message (e.g. SUCCEEDED, detection in progress, INSUFFICIENT_DATA).</summary>
    Ignored,

    /// <summary>Malformed, or a port failed: reported in batchItemFailures so SQS retries it (then the DLQ).</summary>
    Failed,
}

public sealed record DriftOutcome(
    string MessageId,
    DriftDisposition Disposition,
    string? Detail,
    IReadOnlyList<ChatNotification> Notifications,
    RemediationResult? Remediation = null,
    LockCleanupResult? LockCleanup = null)
{
    /// <summary>What the event was about, when it parsed (counted by <see cref="DriftMetrics"/>).</summary>
    public DriftKind? Kind { get; init; }
}

public sealed record DriftBatchResult(IReadOnlyList<DriftOutcome> Outcomes, int PublishCalls)
{
    public IReadOnlyList<string> FailedMessageIds => Outcomes.Where(o => o.Disposition == DriftDisposition.Failed).Select(o => o.MessageId).ToList();
}

/// <summary>
/// The drift handler (Lambda handler key <c>DriftHandler</c>): consumes SQS batches whose bodies are EventBridge
/// events, dedupes them, cleans up after stopped deployments (fleet, ledger, stale lock), remediates image drift when the application opted in,
/// and publishes AWS Chatbot custom notifications in SNS batches of at most 10. A malformed event or a failed port
/// call fails only its own message (partial batch response); the rest of the batch goes through.
/// </summary>
public sealed class DriftHandler(DriftPorts ports, DriftOptions options, TimeProvider time)
{
    /// <summary>SNS PublishBatch accepts at most 10 entries.</summary>
    public const int MaxPublishBatch = 10;

    private readonly DriftEventParser _parser = new(options.ImmutableInstanceRuleName);
    private readonly Remediation _remediation = new(ports, options, time);

    /// <summary>Entry point for the Lambda host: the SQS event JSON in, the partial batch response JSON out.</summary>
    public async Task<string> HandleSqsEventAsync(string sqsEventJson, CancellationToken cancellationToken)
    {
        SqsEvent? sqsEvent;
        try
        {
            sqsEvent = JsonSerializer.Deserialize(sqsEventJson, DriftJsonContext.Default.SqsEvent);
        }
        catch (JsonException ex)
        {
            throw new ArgumentException($"The SQS event is not valid JSON: {ex.Message}", nameof(sqsEventJson), ex);
        }

        var records = sqsEvent?.Records ?? throw new ArgumentException("The SQS event has no Records array.", nameof(sqsEventJson));
        var result = await HandleBatchAsync(records, cancellationToken);
        var response = new SqsBatchResponse(result.FailedMessageIds.Select(id => new SqsBatchItemFailure(id)).ToList());
        return JsonSerializer.Serialize(response, DriftJsonContext.Default.SqsBatchResponse);
    }

    public async Task<DriftBatchResult> HandleBatchAsync(IReadOnlyList<SqsMessage> messages, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var pending = new List<Pending>(messages.Count);
        foreach (var message in messages)
        {
            pending.Add(await ProcessAsync(message, cancellationToken));
        }

        var calls = await PublishAsync(pending, cancellationToken);
        return new DriftBatchResult(pending.Select(p => p.Outcome).ToList(), calls);
    }

    /// <summary>One already-parsed signal, published on its own (used by <see cref="LockCleanup"/>). Throws when it
    /// could not be processed or published, so the caller's invocation is retried.</summary>
    internal async Task<DriftOutcome> HandleSignalAsync(DriftSignal signal, CancellationToken cancellationToken)
    {
        var pending = await ProcessSignalAsync(new SqsMessage(signal.DedupeKey, null), signal, cancellationToken);
        await PublishAsync([pending], cancellationToken);
        return pending.Outcome.Disposition == DriftDisposition.Failed
            ? throw new InvalidOperationException($"Drift could not process {signal.ResourceId}: {pending.Outcome.Detail}")
            : pending.Outcome;
    }

    private async Task<Pending> ProcessAsync(SqsMessage message, CancellationToken cancellationToken)
    {
        DriftSignal? signal;
        try
        {
            signal = _parser.Parse(message.Body);
        }
        catch (MalformedDriftEvent ex)
        {
            return new Pending(new DriftOutcome(message.MessageId, DriftDisposition.Failed, ex.Message, []));
        }

        return signal is null
            ? new Pending(new DriftOutcome(message.MessageId, DriftDisposition.Ignored, "No message needed for this event.", []))
            : await ProcessSignalAsync(message, signal, cancellationToken);
    }

    private async Task<Pending> ProcessSignalAsync(SqsMessage message, DriftSignal signal, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        DriftMark? applied = null;
        DriftMark? previous = null;
        try
        {
            if (signal.IsRecovery)
            {
                var mark = new DriftMark(signal.DedupeKey, signal.State, Open: false, WindowEndsAt: now, ExpiresAt: now + options.Retention);
                var claim = await ports.Dedupe.TryResolveAsync(mark, cancellationToken);
                if (!claim.Claimed)
                {
                    return new Pending(new DriftOutcome(message.MessageId, DriftDisposition.Duplicate, $"Nothing open for {signal.DedupeKey}.", []));
                }

                (applied, previous) = (mark, claim.Previous);
                return new Pending(new DriftOutcome(message.MessageId, DriftDisposition.Resolved, null, [DriftMessages.Resolved(signal)]) { Kind = signal.Kind }, applied, previous);
            }

            var open = new DriftMark(signal.DedupeKey, signal.State, Open: true, WindowEndsAt: now + options.DedupeWindow, ExpiresAt: now + options.Retention);
            var opened = await ports.Dedupe.TryOpenAsync(open, now, cancellationToken);
            if (!opened.Claimed)
            {
                return new Pending(new DriftOutcome(message.MessageId, DriftDisposition.Duplicate, $"{signal.DedupeKey} is already {signal.State} within the dedupe window.", []));
            }

            (applied, previous) = (open, opened.Previous);
            var lockCleanup = signal.Kind == DriftKind.DeploymentStopped ? await LockCleanup.CleanUpAsync(ports, signal, time, cancellationToken) : null;
            var remediation = signal.Kind == DriftKind.ImageDrift ? await _remediation.RemediateAsync(signal.ResourceId, cancellationToken) : null;
            var notifications = new List<ChatNotification> { DriftMessages.Alert(signal, remediation, lockCleanup) };
            if (remediation?.Decision is RemediationDecision.Replaced or RemediationDecision.DryRun)
            {
                notifications.Add(DriftMessages.Replacement(signal, remediation));
            }

            return new Pending(new DriftOutcome(message.MessageId, DriftDisposition.Alerted, null, notifications, remediation, lockCleanup) { Kind = signal.Kind }, applied, previous);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Any port failure fails just this message; undo its claim so the retry alerts instead of deduping.
            await UndoAsync(applied, previous);
            return new Pending(new DriftOutcome(message.MessageId, DriftDisposition.Failed, $"{ex.GetType().Name}: {ex.Message}", []));
        }
    }

    /// <summary>Publishes in PublishBatch-sized chunks, never splitting one message's notifications across chunks
    /// (so a retry cannot half-repeat a thread). A failed chunk fails its messages and undoes their claims.</summary>
    private async Task<int> PublishAsync(List<Pending> pending, CancellationToken cancellationToken)
    {
        var calls = 0;
        var chunk = new List<Pending>();
        var entries = 0;
        foreach (var item in pending.Where(p => p.Outcome.Notifications.Count > 0))
        {
            if (entries + item.Outcome.Notifications.Count > MaxPublishBatch)
            {
                calls += await PublishChunkAsync(chunk, cancellationToken);
                chunk.Clear();
                entries = 0;
            }

            chunk.Add(item);
            entries += item.Outcome.Notifications.Count;
        }

        calls += await PublishChunkAsync(chunk, cancellationToken);
        return calls;
    }

    private async Task<int> PublishChunkAsync(List<Pending> chunk, CancellationToken cancellationToken)
    {
        if (chunk.Count == 0)
        {
            return 0;
        }

        var messages = new List<OutgoingMessage>();
        foreach (var notification in chunk.SelectMany(p => p.Outcome.Notifications))
        {
            messages.Add(new OutgoingMessage($"m{messages.Count}", JsonSerializer.Serialize(notification, DriftJsonContext.Relaxed.ChatNotification)));
        }

        try
        {
            await ports.Notifier.PublishAsync(options.TopicArn, messages, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            foreach (var item in chunk)
            {
                await UndoAsync(item.Applied, item.Previous);
                item.Outcome = item.Outcome with { Disposition = DriftDisposition.Failed, Detail = $"Publishing failed: {ex.GetType().Name}: {ex.Message}" };
            }
        }

        return 1;
    }

    private async Task UndoAsync(DriftMark? applied, DriftMark? previous)
    {
        if (applied is null)
        {
            return;
        }

        try
        {
            await ports.Dedupe.RestoreAsync(applied, previous, CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The message already fails; a leftover claim only suppresses one duplicate alert until the window ends.
        }
    }

    private sealed class Pending(DriftOutcome outcome, DriftMark? applied = null, DriftMark? previous = null)
    {
        public DriftOutcome Outcome { get; set; } = outcome;

        public DriftMark? Applied { get; } = applied;

        public DriftMark? Previous { get; } = previous;
    }
}
