namespace Phoenix.Lambda.Handlers;

/// <summary>
/// <c>_HANDLER</c> key → how to build that handler. Only the selected entry is built, once per execution
/// environment, so a function pays for no other handler's dependencies.
/// </summary>
public sealed class HandlerTable
{
    private readonly Dictionary<string, Func<ILambdaHandler>> _factories;

    public HandlerTable(IEnumerable<KeyValuePair<string, Func<ILambdaHandler>>> factories)
    {
        _factories = new Dictionary<string, Func<ILambdaHandler>>(StringComparer.Ordinal);
        foreach (var (key, factory) in factories)
        {
            if (!_factories.TryAdd(key, factory))
            {
                throw new ArgumentException($"Handler key '{key}' is listed twice.", nameof(factories));
            }
        }
    }

    public IReadOnlyCollection<string> Keys => _factories.Keys;

    /// <summary>Throws <see cref="HandlerNotFound"/> naming the key and the keys this binary has.</summary>
    public ILambdaHandler Create(string? key)
    {
        if (string.IsNullOrWhiteSpace(key))
        {
            throw new HandlerNotFound($"_HANDLER is not set; expected one of: {string.Join(", ", _factories.Keys.Order(StringComparer.Ordinal))}.");
        }

        if (!_factories.TryGetValue(key, out var factory))
        {
            throw new HandlerNotFound($"_HANDLER '{key}' names no handler; expected one of: {string.Join(", ", _factories.Keys.Order(StringComparer.Ordinal))}.");
        }

        return factory();
    }
}
