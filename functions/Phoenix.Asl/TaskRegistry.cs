namespace Phoenix.Asl;

/// <summary>
/// Resolves Task resources to host handlers. A handler is registered under a Lambda function ARN or a bare function
/// name; a Resource (or <c>lambda:invoke</c> FunctionName) matches either the exact string, or, for ARNs, the function
/// name inside it (qualifier ignored), so one registration serves every alias of the function.
/// </summary>
public sealed class TaskRegistry
{
    private readonly Dictionary<string, TaskHandler> _handlers = new(StringComparer.Ordinal);
    private TaskHandler? _default;

    public void Register(string functionArnOrName, TaskHandler handler)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(functionArnOrName);
        ArgumentNullException.ThrowIfNull(handler);
        _handlers[functionArnOrName] = handler;
    }

    /// <summary>
    /// Answers every resource that no <see cref="Register"/> call matches (e.g. a local runner that mocks Task states
    /// by state name, whatever function they call).
    /// </summary>
    public void RegisterDefault(TaskHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        _default = handler;
    }

    /// <summary>Finds the handler for a function ARN or name, or null when the host supplied none.</summary>
    public TaskHandler? Resolve(string functionArnOrName)
    {
        ArgumentNullException.ThrowIfNull(functionArnOrName);
        if (_handlers.TryGetValue(functionArnOrName, out var exact))
        {
            return exact;
        }

        var name = FunctionName(functionArnOrName);
        if (name is not null && _handlers.TryGetValue(name, out var byName))
        {
            return byName;
        }

        foreach (var (key, handler) in _handlers)
        {
            if (name is not null && FunctionName(key) == name)
            {
                return handler;
            }
        }

        return _default;
    }

    // arn:aws:lambda:region:account:function:name[:qualifier] -> name; a bare name stays itself.
    internal static string? FunctionName(string functionArnOrName)
    {
        if (!functionArnOrName.StartsWith("arn:", StringComparison.Ordinal))
        {
            var colon = functionArnOrName.IndexOf(':', StringComparison.Ordinal);
            return colon < 0 ? functionArnOrName : functionArnOrName[..colon];
        }

        var parts = functionArnOrName.Split(':');
        return parts.Length >= 7 && parts[5] == "function" ? parts[6] : null;
    }
}
