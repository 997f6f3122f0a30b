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

/// <summary>The workflow input is malformed: unknown fields, bad values. Nothing was changed.</summary>
public sealed class InvalidDeploymentRequest(string message) : PhoenixException(message);

/// <summary>A step received input that does not match its record: a state machine / step mismatch, not user input.</summary>
public sealed class InvalidStepInput(string message, Exception? innerException = null) : PhoenixException(message, innerException);

/// <summary>No topology is stored for the application.</summary>
public sealed class ApplicationNotFound(string message) : PhoenixException(message);

/// <summary>Another execution holds the application's deployment lock.</summary>
public sealed class DeploymentLocked(string message) : PhoenixException(message);

/// <summary>The observed fleet does not match its topology (missing group, listener forwarding elsewhere, split traffic).</summary>
public sealed class FleetInconsistent(string message) : PhoenixException(message);

/// <summary>The image bake failed or did not finish in time.</summary>
public sealed class BakeFailed(string message) : PhoenixException(message);

/// <summary>The image does not exist or is not in the <c>available</c> state.</summary>
public sealed class ImageNotAvailable(string message) : PhoenixException(message);

/// <summary>The new colour did not become healthy (Auto Scaling and target group) before its deadline.</summary>
public sealed class HealthCheckFailed(string message) : PhoenixException(message);

/// <summary>The new colour's instances fail to launch for a reason Auto Scaling's own retries cannot fix; the message quotes AWS's.</summary>
public sealed class LaunchFailed(string message) : PhoenixException(message);

/// <summary>
/// A rollback would move traffic back to a previous colour that cannot carry it yet (an instance of it failed and the group
/// is still replacing it); the state machine retries for a bounded time, then records ROLLBACK_FAILED.
/// </summary>
public sealed class PreviousColourNotReady(string message) : PhoenixException(message);

/// <summary>One of the application's alarms is in ALARM.</summary>
public sealed class AlarmTriggered(string message) : PhoenixException(message);

/// <summary>The error name an approver sends with SendTaskFailure to reject a deployment.</summary>
public sealed class ApprovalRejected(string message) : PhoenixException(message);

/// <summary>
/// An operator stopped an in-process deployment (Ctrl-C in <c>phoenix deploy --local</c>): the step refused to start so
/// that its Catch runs the same rollback path as any other failure.
/// </summary>
public sealed class DeploymentInterrupted(string message) : PhoenixException(message);

/// <summary>
/// The fleet uses something Phoenix does not manage and would break or silently discard: a warm pool, a mixed-instances
/// policy, a launch configuration instead of a launch template, or a listener rule that cannot move with the live colour.
/// Nothing was changed.
/// </summary>
public sealed class UnsupportedFleet(string message) : PhoenixException(message);

/// <summary>An alarm of the application was already in ALARM before the deployment changed anything, and the strategy does not ignore it.</summary>
public sealed class AlarmAlreadyFiring(string message) : PhoenixException(message);

/// <summary>
/// <c>phoenix rollback</c> refused: the listener does not send all traffic to one colour, or the other colour is not warm
/// (its full capacity healthy, on the previous image). Nothing was changed.
/// </summary>
public sealed class RollbackRefused(string message) : PhoenixException(message);

/// <summary>
/// <c>phoenix unlock</c> refused: the lock's holder may still run (its execution is RUNNING or about to be redriven, or it is
/// not an execution and has not expired), its deployment still needs its cleanup, or the lock changed hands while it looked.
/// Nothing was changed.
/// </summary>
public sealed class UnlockRefused(string message) : PhoenixException(message);

/// <summary><c>phoenix adopt</c> cannot put this group and listener under Phoenix as they are; nothing was changed.</summary>
public sealed class AdoptionRefused(string message) : PhoenixException(message);

/// <summary>
/// <c>phoenix adopt</c> failed after it had begun to change things; the message says what it rolled back and, when the
/// rollback itself failed, what is left.
/// </summary>
public sealed class AdoptionFailed(string message, Exception? innerException = null) : PhoenixException(message, innerException);
