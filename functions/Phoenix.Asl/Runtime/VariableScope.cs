using System.Text.Json.Nodes;

namespace Phoenix.Asl;

/// <summary>
/// Workflow variables (<c>Assign</c>, read as <c>$name</c>). The top-level states share one scope; each Parallel branch
/// and Map iteration runs in a child scope that reads its parents' variables but writes only its own, so nothing
/// assigned inside leaks out (a Map's or Parallel's own Assign runs in the outer scope, after its branches end).
/// See https://docs.aws.amazon.com/step-functions/latest/dg/workflow-variables.html (scope, size limits).
/// </summary>
internal sealed class VariableScope
{
    /// <summary>One variable's value, serialized (AWS: 256 KiB).</summary>
    public const int MaxVariableBytes = 256 * 1024;

    /// <summary>All values of one Assign field together (AWS: 256 KiB).</summary>
    public const int MaxAssignBytes = 256 * 1024;

    /// <summary>Every variable stored in the execution at once, across scopes (AWS: 10 MiB).</summary>
    public const long MaxTotalBytes = 10L * 1024 * 1024;

    // The scope belongs to the running block. Parallel branches and Map iterations each run in their own async flow,
    // so an AsyncLocal follows them without threading a scope through every path, template, choice and intrinsic call.
    private static readonly AsyncLocal<VariableScope?> CurrentScope = new();

    private readonly VariableScope? _parent;
    private readonly Budget _budget;
    private readonly Dictionary<string, (JsonNode? Value, int Size)> _values = new(StringComparer.Ordinal);

    private VariableScope(VariableScope? parent, Budget budget)
    {
        _parent = parent;
        _budget = budget;
    }

    /// <summary>The scope of the block running in this flow; null outside an execution.</summary>
    public static VariableScope? Current
    {
        get => CurrentScope.Value;
        set => CurrentScope.Value = value;
    }

    public static VariableScope Root() => new(null, new Budget());

    /// <summary>A Parallel branch's or Map iteration's scope; <see cref="Release"/> it when the branch ends.</summary>
    public VariableScope Child() => new(this, _budget);

    /// <summary>The nearest scope's value of <paramref name="name"/>. Values are shared: treat them as read-only.</summary>
    public bool TryGet(string name, out JsonNode? value)
    {
        for (var scope = this; scope is not null; scope = scope._parent)
        {
            lock (scope._values)
            {
                if (scope._values.TryGetValue(name, out var entry))
                {
                    value = entry.Value;
                    return true;
                }
            }
        }

        value = null;
        return false;
    }

    /// <summary>
    /// Stores every value of one Assign at once (they were all evaluated against the values before the state), or
    /// none when a limit is exceeded: the failure names the variable or the total.
    /// </summary>
    public void Assign(IReadOnlyList<KeyValuePair<string, JsonNode?>> values, string stateName)
    {
        var sizes = new int[values.Count];
        long assignTotal = 0;
        for (var i = 0; i < values.Count; i++)
        {
            sizes[i] = JsonSize.Of(values[i].Value);
            assignTotal += sizes[i];
            if (sizes[i] > MaxVariableBytes)
            {
                throw Exceeded(stateName, $"The variable '{values[i].Key}' is {sizes[i]} bytes; one variable may hold at most {MaxVariableBytes} bytes.");
            }
        }

        if (assignTotal > MaxAssignBytes)
        {
            throw Exceeded(stateName, $"The Assign field's values total {assignTotal} bytes; one Assign may store at most {MaxAssignBytes} bytes.");
        }

        lock (_values)
        {
            long delta = 0;
            for (var i = 0; i < values.Count; i++)
            {
                delta += sizes[i] - (_values.TryGetValue(values[i].Key, out var old) ? old.Size : 0);
            }

            if (!_budget.TryAdd(delta))
            {
                throw Exceeded(stateName, $"Storing these variables would bring the execution's variables over {MaxTotalBytes} bytes.");
            }

            for (var i = 0; i < values.Count; i++)
            {
                _values[values[i].Key] = (Paths.JsonValues.Detached(values[i].Value), sizes[i]);
            }
        }
    }

    /// <summary>A child scope ends: its variables no longer count towards the execution's total.</summary>
    public void Release()
    {
        lock (_values)
        {
            _budget.TryAdd(-_values.Values.Sum(v => (long)v.Size));
            _values.Clear();
        }
    }

    private static AslFailure Exceeded(string stateName, string detail) =>
        new(ErrorNames.DataLimitExceeded, $"The state '{stateName}' exceeded a variable size limit. {detail}");

    private sealed class Budget
    {
        private long _used;

        public bool TryAdd(long bytes)
        {
            lock (this)
            {
                if (bytes > 0 && _used + bytes > MaxTotalBytes)
                {
                    return false;
                }

                _used += bytes;
                return true;
            }
        }
    }
}
