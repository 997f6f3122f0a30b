using Amazon.Runtime;
using Amazon.Runtime.Internal;

namespace Phoenix.Aws.Protocol;

public delegate AwsServiceException ErrorFactory(ErrorResponse error);

/// <summary>
/// A service error the SDK did not (or could no longer) retry. Subclasses are named after the error code as in the
/// official SDK (<c>ListenerNotFoundException</c>, …) because the short class name is what a state machine's Catch
/// matches when the error escapes a step.
/// </summary>
public class AwsServiceException : AmazonServiceException
{
    public AwsServiceException(ErrorResponse error)
        : base(
            (error ?? throw new ArgumentNullException(nameof(error))).Message,
            error.InnerException,
            error.Type,
            error.Code,
            error.RequestId,
            error.StatusCode)
    {
    }

    public AwsServiceException()
    {
    }

    public AwsServiceException(string message)
        : base(message)
    {
    }

    public AwsServiceException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Builds the typed exception registered for the error code, or this base type for any other code.</summary>
    public static AwsServiceException From(ErrorResponse error, IReadOnlyDictionary<string, ErrorFactory> errors)
    {
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(errors);
        return error.Code is not null && errors.TryGetValue(error.Code, out var factory) ? factory(error) : new AwsServiceException(error);
    }

    /// <summary>
    /// Whether AWSSDK.Core's own retry policy counts <paramref name="exception"/> as worth retrying: throttling
    /// (its error codes, or HTTP 429), service timeouts (RequestTimeout), 500/502/503/504, IO and socket faults, and
    /// an HTTP timeout — but not a cancellation the caller asked for with <paramref name="cancellationToken"/>. What
    /// Phoenix reports as a TransientFailure once the SDK's retries are spent, so the two never disagree.
    /// </summary>
    public static bool IsTransient(Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (cancellationToken.IsCancellationRequested)
        {
            return false;
        }

        var context = new Amazon.Runtime.Internal.ExecutionContext(new RequestContext(false) { CancellationToken = cancellationToken }, null);
        return Classifier.IsThrottlingError(exception) || Classifier.IsServiceTimeoutError(exception) || Classifier.IsTransientError(context, exception);
    }

    /// <summary>The standard mode's policy (the mode every Phoenix client runs in), used only for its classification.</summary>
    private static readonly StandardRetryPolicy Classifier = new(0);
}
