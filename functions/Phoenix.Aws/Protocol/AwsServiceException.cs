using System.Net;
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

    /// <summary>Throttling and server-side faults: what Phoenix reports as a TransientFailure once the SDK's retries are spent.</summary>
    public static bool IsTransient(AmazonServiceException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return (int)exception.StatusCode >= 500
            || exception.StatusCode == HttpStatusCode.TooManyRequests
            || exception.ErrorCode is not null && ThrottlingCodes.Contains(exception.ErrorCode);
    }

    private static readonly HashSet<string> ThrottlingCodes = new(StringComparer.Ordinal)
    {
        "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException", "TooManyRequestsException",
        "ProvisionedThroughputExceededException", "TransactionInProgressException", "RequestLimitExceeded",
        "BandwidthLimitExceeded", "RequestThrottled", "SlowDown", "PriorRequestNotComplete",
        "EC2ThrottledException", "ResourceContention", "ServiceUnavailable", "InternalFailure", "InternalError",
    };
}
