using Phoenix.Core.Drift;

namespace Phoenix.Cli.Simulation.Drift;

/// <summary>The dedupe table in memory, with the same conditions the DynamoDB conditional puts apply.</summary>
public sealed class InMemoryDriftDedupeStore : IDriftDedupeStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, DriftMark> _marks = new(StringComparer.Ordinal);

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _marks.Count;
            }
        }
    }

    public DriftMark? Peek(string key)
    {
        lock (_gate)
        {
            return _marks.GetValueOrDefault(key);
        }
    }

    public Task<DedupeClaim> TryOpenAsync(DriftMark mark, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mark);
        lock (_gate)
        {
            var current = Live(mark.Key, now);
            if (current is { Open: true } && current.State == mark.State && current.WindowEndsAt > now)
            {
                return Task.FromResult(new DedupeClaim(false, current));
            }

            _marks[mark.Key] = mark;
            return Task.FromResult(new DedupeClaim(true, current));
        }
    }

    public Task<DedupeClaim> TryResolveAsync(DriftMark mark, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mark);
        lock (_gate)
        {
            // The resolve mark's WindowEndsAt is "now": items past their TTL are gone, as DynamoDB would treat them.
            var current = Live(mark.Key, mark.WindowEndsAt);
            if (current is not { Open: true })
            {
                return Task.FromResult(new DedupeClaim(false, current));
            }

            _marks[mark.Key] = mark;
            return Task.FromResult(new DedupeClaim(true, current));
        }
    }

    public Task RestoreAsync(DriftMark applied, DriftMark? previous, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(applied);
        lock (_gate)
        {
            if (_marks.TryGetValue(applied.Key, out var current) && current == applied)
            {
                if (previous is null)
                {
                    _marks.Remove(applied.Key);
                }
                else
                {
                    _marks[applied.Key] = previous;
                }
            }
        }

        return Task.CompletedTask;
    }

    private DriftMark? Live(string key, DateTimeOffset now) =>
        _marks.TryGetValue(key, out var mark) && mark.ExpiresAt > now ? mark : null;
}

/// <summary>Drift policies per application, as the SSM parameters would hold them.</summary>
public sealed class InMemoryDriftPolicies : IDriftPolicySource
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, DriftPolicy> _policies = new(StringComparer.Ordinal);

    public void Put(string application, DriftPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        policy.Validate();
        lock (_gate)
        {
            _policies[application] = policy;
        }
    }

    public Task<DriftPolicy?> GetAsync(string application, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_policies.GetValueOrDefault(application));
        }
    }
}

/// <summary>AWS Config's side of PutEvaluations: keeps the latest evaluation per resource and reports each
/// compliance change, as Config emits "Config Rules Compliance Change" only when a resource's compliance changes.</summary>
public sealed class InMemoryConfigService(string ruleName, string accountId, string region) : IConfigEvaluations
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, ConfigEvaluation> _latest = new(StringComparer.Ordinal);
    private readonly List<string> _changeEvents = [];
    private int _eventSequence;

    public int PutCalls { get; private set; }

    public IReadOnlyDictionary<string, ConfigEvaluation> Latest
    {
        get
        {
            lock (_gate)
            {
                return new Dictionary<string, ConfigEvaluation>(_latest, StringComparer.Ordinal);
            }
        }
    }

    /// <summary>The compliance change events emitted since the last call (EventBridge JSON), oldest first.</summary>
    public IReadOnlyList<string> DrainChangeEvents()
    {
        lock (_gate)
        {
            var events = _changeEvents.ToList();
            _changeEvents.Clear();
            return events;
        }
    }

    public Task PutEvaluationsAsync(string resultToken, IReadOnlyList<ConfigEvaluation> evaluations, bool testMode, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(evaluations);
        if (evaluations.Count is 0 or > IConfigEvaluations.MaxBatch)
        {
            throw new ArgumentException($"PutEvaluations takes 1 to {IConfigEvaluations.MaxBatch} evaluations, not {evaluations.Count}.", nameof(evaluations));
        }

        lock (_gate)
        {
            PutCalls++;
            if (testMode)
            {
                return Task.CompletedTask;
            }

            foreach (var evaluation in evaluations)
            {
                _latest.TryGetValue(evaluation.ComplianceResourceId, out var old);
                _latest[evaluation.ComplianceResourceId] = evaluation;
                if (old?.ComplianceType != evaluation.ComplianceType)
                {
                    _changeEvents.Add(ConfigEvents.ComplianceChange(++_eventSequence, ruleName, accountId, region, evaluation, old));
                }
            }
        }

        return Task.CompletedTask;
    }
}
