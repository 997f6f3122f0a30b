namespace Phoenix.Core.Drift;

public enum DriftKind
{
    /// <summary>Any Config rule's compliance change other than ImmutableInstance's.</summary>
    ComplianceRule,

    /// <summary>The ImmutableInstance rule found an instance off its group's image (remediation candidate).</summary>
    ImageDrift,

    /// <summary>CloudFormation stack drift detection.</summary>
    StackDrift,

    /// <summary>A deployment execution that FAILED, TIMED_OUT or was ABORTED (its lock may be stale).</summary>
    DeploymentStopped,
}

/// <summary>
/// One event, normalised: what drifted (or recovered), where, and the key that dedupes it. A recovery closes the
/// alert opened under the same key.
/// </summary>
public sealed record DriftSignal(
    DriftKind Kind,
    string DedupeKey,
    string ThreadId,
    string State,
    bool IsRecovery,
    string ResourceType,
    string ResourceId,
    string Account,
    string Region,
    DateTimeOffset Time,
    string? RuleName = null,
    string? PreviousState = null,
    string? Annotation = null,
    string? Application = null,
    string? Error = null,
    string? Cause = null,
    int? DriftedResourceCount = null);

/// <summary>An event drift cannot use: bad JSON, a missing field, or a kind it was not built for. The message
/// names the problem; the SQS message is reported failed so it reaches the DLQ after its retries.</summary>
public sealed class MalformedDriftEvent : PhoenixException
{
    public MalformedDriftEvent(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
