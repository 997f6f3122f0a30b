namespace Phoenix.Core.Drift;

/// <summary>
/// Remembers which drift alerts are open so the same rule, resource and state alerts once per window, and a recovery
/// resolves it once. On AWS: one DynamoDB item per key (pk=<c>DRIFT#{key}</c>, sk=<c>DEDUPE</c>, attributes state,
/// open, windowEndsAt, ttl) written with conditional puts:
/// <list type="bullet">
/// <item>open: <c>attribute_not_exists(pk) OR #open = :false OR #state &lt;&gt; :state OR windowEndsAt &lt;= :now</c></item>
/// <item>resolve: <c>#open = :true</c></item>
/// <item>restore: the current item still equals the mark this call wrote (undoes a claim whose alert could not be sent)</item>
/// </list>
/// ReturnValues ALL_OLD gives <see cref="DedupeClaim.Previous"/>; ReturnValuesOnConditionCheckFailure is not needed.
/// </summary>
public interface IDriftDedupeStore
{
    /// <summary>Claims an open alert; false when the same state is already open within its window.</summary>
    Task<DedupeClaim> TryOpenAsync(DriftMark mark, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Closes an open alert (mark.Open is false); false when nothing was open for the key.</summary>
    Task<DedupeClaim> TryResolveAsync(DriftMark mark, CancellationToken cancellationToken);

    /// <summary>Puts <paramref name="previous"/> back (or deletes the key when null) if the key still holds
    /// <paramref name="applied"/>, so a message whose alert failed to publish alerts again on its retry.</summary>
    Task RestoreAsync(DriftMark applied, DriftMark? previous, CancellationToken cancellationToken);
}

/// <summary>The dedupe record of one key. WindowEndsAt bounds deduplication; ExpiresAt is the item's TTL.</summary>
public sealed record DriftMark(string Key, string State, bool Open, DateTimeOffset WindowEndsAt, DateTimeOffset ExpiresAt);

public sealed record DedupeClaim(bool Claimed, DriftMark? Previous);

/// <summary>AWS Config PutEvaluations (at most <see cref="MaxBatch"/> evaluations per call).</summary>
public interface IConfigEvaluations
{
    const int MaxBatch = 100;

    Task PutEvaluationsAsync(string resultToken, IReadOnlyList<ConfigEvaluation> evaluations, bool testMode, CancellationToken cancellationToken);
}

/// <summary>ComplianceType: COMPLIANT, NON_COMPLIANT or NOT_APPLICABLE (Config rejects INSUFFICIENT_DATA here).
/// Annotation is at most 256 characters.</summary>
public sealed record ConfigEvaluation(
    string ComplianceResourceType,
    string ComplianceResourceId,
    string ComplianceType,
    string? Annotation,
    DateTimeOffset OrderingTimestamp);

/// <summary>
/// Where each application's drift remediation policy lives. Absent means remediation is off (the default).
/// On AWS: SSM parameter <c>/phoenix/apps/{application}/drift-policy</c> holding <see cref="DriftPolicy"/> JSON
/// (parse with <see cref="DriftPolicy.Parse"/>).
/// </summary>
public interface IDriftPolicySource
{
    Task<DriftPolicy?> GetAsync(string application, CancellationToken cancellationToken);
}
