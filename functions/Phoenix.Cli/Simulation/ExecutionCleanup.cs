using System.Text.Json.Nodes;
using Phoenix.Asl;
using Phoenix.Cli.Simulation.Drift;
using Phoenix.Core.Drift;

namespace Phoenix.Cli.Simulation;

/// <summary>What the status-change event of an execution that did not succeed led to.</summary>
/// <param name="Status">FAILED, TIMED_OUT or ABORTED, as the event says.</param>
/// <param name="Detail">The drift handler's outcome for the event (what its cleanup did or why it left things).</param>
/// <param name="Deliveries">How many times SQS delivered the event until the handler took it.</param>
public sealed record StatusChangeOutcome(string Status, string? Detail, bool Handled, int Deliveries);

/// <summary>
/// The production path after an execution stops without succeeding: Step Functions emits "Execution Status Change",
/// EventBridge puts it on the drift queue, and the drift handler cleans up (DeploymentCleanup: traffic back, idle colour to 0, pins and suspensions undone, ledger ABORTED, lock released).
/// A failed delivery is redelivered after the queue's visibility timeout, as SQS does.
/// </summary>
internal sealed class ExecutionCleanup(SimulatedRegion region, string application)
{
    /// <summary>The drift queue's visibility timeout: when a failed message is delivered again.</summary>
    public static readonly TimeSpan VisibilityTimeout = TimeSpan.FromSeconds(60);

    private const int MaxDeliveries = 10;
    private readonly DriftLab _lab = new(region, [application]);
    private int _sequence;

    public async Task<StatusChangeOutcome?> AfterAsync(
        VirtualClock clock, string executionArn, JsonObject input, DateTimeOffset startedAt, ExecutionResult result, CancellationToken cancellationToken)
    {
        var status = result.Status switch
        {
            ExecutionStatus.Failed => "FAILED",
            ExecutionStatus.TimedOut => "TIMED_OUT",
            ExecutionStatus.Aborted => "ABORTED",
            _ => null,
        };
        if (status is null)
        {
            return null;
        }

        var stoppedAt = result.History.Count > 0 ? result.History[^1].Timestamp : clock.GetUtcNow();
        var body = ConfigEvents.ExecutionStatusChange(
            ++_sequence, SimulatedRegion.AccountId, SimulatedRegion.RegionName, executionArn, status, input.ToJsonString(), startedAt, stoppedAt, result.Error, result.Cause);
        for (var delivery = 1; ; delivery++)
        {
            var batch = await _lab.Handler.HandleBatchAsync([new SqsMessage($"status-{_sequence}-{delivery}", body)], cancellationToken);
            var outcome = batch.Outcomes.Single();
            if (outcome.Disposition != DriftDisposition.Failed || delivery == MaxDeliveries)
            {
                return new StatusChangeOutcome(status, outcome.LockCleanup?.Reason ?? outcome.Detail, outcome.Disposition != DriftDisposition.Failed, delivery);
            }

            DeploymentSimulation.Settle(clock, VisibilityTimeout);
        }
    }
}
