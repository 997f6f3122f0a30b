using Phoenix.Lambda.Handlers;
using Phoenix.Lambda.Logging;
using Phoenix.Lambda.Runtime;

namespace Phoenix.Lambda;

/// <summary>Reads the Lambda environment, selects the handler by <c>_HANDLER</c> and runs the Runtime API loop.</summary>
public static class LambdaHost
{
    public static async Task<int> RunAsync(
        Func<string, string?> environment,
        Func<HandlerTable> handlers,
        Stream logOutput,
        TimeProvider time,
        CancellationToken stopping)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(handlers);
        var key = environment("_HANDLER");
        var log = new JsonLog(logOutput, time, key);
        var runtimeApi = environment("AWS_LAMBDA_RUNTIME_API");
        if (string.IsNullOrWhiteSpace(runtimeApi))
        {
            // Without the Runtime API there is nobody to report an init error to; the log is all that is left.
            log.Error("AWS_LAMBDA_RUNTIME_API is not set: this binary runs only as a Lambda custom runtime (provided.al2023).");
            return 2;
        }

        using var api = new RuntimeApiClient(runtimeApi);
        var runtime = new LambdaRuntime(api, log, time, LambdaRuntime.DefaultDeadlineMargin);
        return await runtime.RunAsync(() => handlers().Create(key), stopping);
    }
}
