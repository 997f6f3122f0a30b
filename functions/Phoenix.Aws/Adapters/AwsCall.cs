using Amazon.Runtime;
using Phoenix.Aws.Protocol;
using Phoenix.Core;

namespace Phoenix.Aws.Adapters;

/// <summary>
/// The one place an adapter's AWS call is translated for the workflow: what AWSSDK.Core's retry policy counts as
/// transient (throttling, 5xx, timeouts, network faults) and its own retries could not absorb becomes
/// <see cref="TransientFailure"/> (the state machine retries the step); every other error keeps its type (a service
/// error's short name is what a Catch matches), and a cancellation the caller asked for stays a cancellation.
/// </summary>
internal static class AwsCall
{
    public static async Task<T> RunAsync<T>(string what, Func<Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (Exception ex) when (AwsServiceException.IsTransient(ex, cancellationToken))
        {
            var reason = ex is AmazonServiceException service ? $"{service.ErrorCode ?? service.StatusCode.ToString()}: {service.Message}" : ex.Message;
            throw new TransientFailure($"{what}: {reason}", ex);
        }
    }

    public static Task RunAsync(string what, Func<Task> call, CancellationToken cancellationToken) =>
        RunAsync(
            what,
            async () =>
            {
                await call().ConfigureAwait(false);
                return true;
            },
            cancellationToken);
}
