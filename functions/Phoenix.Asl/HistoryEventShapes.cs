namespace Phoenix.Asl;

internal static class HistoryEventShapes
{
    // GetExecutionHistory puts every state's entered/exited details under one shared member; the rest are
    // named after their event type in camelCase.
    public static string? DetailsMember(string type)
    {
        if (type.EndsWith("StateEntered", StringComparison.Ordinal))
        {
            return "stateEnteredEventDetails";
        }

        if (type.EndsWith("StateExited", StringComparison.Ordinal))
        {
            return "stateExitedEventDetails";
        }

        return type switch
        {
            "ParallelStateStarted" or "ParallelStateSucceeded" or "ParallelStateFailed" or "ParallelStateAborted"
                or "MapStateSucceeded" or "MapStateFailed" or "MapStateAborted" or "LambdaFunctionStarted" => null,
            _ => char.ToLowerInvariant(type[0]) + type[1..] + "EventDetails",
        };
    }
}
