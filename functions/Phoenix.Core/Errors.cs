namespace Phoenix.Core;

/// <summary>
/// Base of every error a step raises on purpose. The Lambda host reports the short class name as
/// <c>errorType</c>, which is what the state machine's Retry/Catch <c>ErrorEquals</c> match, so a class name here
/// is part of the workflow's contract: rename it only together with statemachines/deploy.asl.json.
/// </summary>
public abstract class PhoenixException : Exception
{
    protected PhoenixException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }

    public string ErrorName => GetType().Name;
}

/// <summary>
/// Throttling, service unavailability, timeouts: safe to retry with backoff. Port adapters (AWS and simulated)
/// raise this once their own retries are spent; the state machine retries the step.
/// </summary>
public sealed class TransientFailure : PhoenixException
{
    public TransientFailure(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
