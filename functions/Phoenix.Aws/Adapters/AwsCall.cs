using Amazon.Runtime;
using Phoenix.Aws.Protocol;
using Phoenix.Core;

namespace Phoenix.Aws.Adapters;

/// <summary>
/// The one place an adapter's AWS call is translated for the workflow: throttling, 5xx and network faults that the
/// SDK's own retries could not absorb become <see cref="TransientFailure"/> (the state machine retries the step);
/// every other service error keeps its typed exception, whose short name a Catch can match.
/// </summary>
internal static class AwsCall
{
    public static async Task<T> RunAsync<T>(string what, Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (AmazonServiceException ex) when (AwsServiceException.IsTransient(ex))
        {
            throw new TransientFailure($"{what}: {ex.ErrorCode ?? ex.StatusCode.ToString()}: {ex.Message}", ex);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException || ex is AmazonClientException && ex is not AmazonServiceException)
        {
            throw new TransientFailure($"{what}: {ex.Message}", ex);
        }
    }

    public static Task RunAsync(string what, Func<Task> call) =>
        RunAsync(what, async () =>
        {
            await call().ConfigureAwait(false);
            return true;
        });
}
