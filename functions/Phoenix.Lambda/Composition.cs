using Phoenix.Lambda.Handlers;

namespace Phoenix.Lambda;

/// <summary>The composition root: every <c>_HANDLER</c> key this binary serves, in one place.</summary>
public static class Composition
{
    public static HandlerTable CreateHandlerTable(Func<string, string?> environment, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(time);
        return new HandlerTable([]);
    }
}
