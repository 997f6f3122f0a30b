using System.Text.Json.Nodes;

namespace Phoenix.Asl;

/// <summary>One entry into a state: its event id for runtime-error causes, and its Context Object, built on first use.</summary>
internal sealed class StateContext
{
    private readonly Interpreter _interpreter;
    private JsonObject? _context;
    private int _retryCount;

    public StateContext(Interpreter interpreter, string name, long enteredEventId, DateTimeOffset enteredTime, bool canRetry)
    {
        CanRetry = canRetry;
        _interpreter = interpreter;
        Name = name;
        EnteredEventId = enteredEventId;
        EnteredTime = enteredTime;
        Context = () => _context ??= interpreter.BuildContext(this, null, null);
    }

    public string Name { get; }

    /// <summary>Only states that can retry (Task, Parallel, Map) have <c>$$.State.RetryCount</c>.</summary>
    public bool CanRetry { get; }

    public long EnteredEventId { get; }

    public DateTimeOffset EnteredTime { get; }

    public int RetryCount
    {
        get => _retryCount;
        set
        {
            _retryCount = value;
            _context = null;
        }
    }

    /// <summary>The Context Object (<c>$$</c>) as the state sees it now.</summary>
    public Func<JsonNode> Context { get; }

    public Func<JsonNode> ContextWith(JsonObject? map, string? taskToken)
    {
        JsonObject? built = null;
        return () => built ??= _interpreter.BuildContext(this, map, taskToken);
    }

    /// <summary>The variables this exit will store, evaluated before output processing ends; null when none.</summary>
    public List<KeyValuePair<string, JsonNode?>>? PendingAssign { get; set; }

    public AslFailure Runtime(string detail) => AslFailure.Runtime(Name, EnteredEventId, detail);
}
