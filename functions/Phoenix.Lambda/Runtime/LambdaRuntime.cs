using System.Text.Json;
using System.Text.Json.Nodes;
using Phoenix.Core;
using Phoenix.Lambda.Handlers;
using Phoenix.Lambda.Logging;

namespace Phoenix.Lambda.Runtime;

/// <summary>
/// The custom runtime's loop: build the handler once, then next → handle → response/error until the environment
/// goes away. Initialisation failures are reported on init/error and end the process with a non-zero code.
/// </summary>
public sealed class LambdaRuntime
{
    public const string TraceIdVariable = "_X_AMZN_TRACE_ID";

    /// <summary>
    /// Left between the handler's cancellation and Lambda's hard timeout, so the host still has time to post a typed
    /// error (which the state machine retries) instead of the function being killed mid-call.
    /// </summary>
    public static readonly TimeSpan DefaultDeadlineMargin = TimeSpan.FromMilliseconds(500);

    private readonly RuntimeApiClient _api;
    private readonly JsonLog _log;
    private readonly TimeProvider _time;
    private readonly TimeSpan _deadlineMargin;

    public LambdaRuntime(RuntimeApiClient api, JsonLog log, TimeProvider time, TimeSpan deadlineMargin)
    {
        _api = api;
        _log = log;
        _time = time;
        _deadlineMargin = deadlineMargin;
    }

    /// <summary>Returns the process exit code: 1 after an init error or when the Runtime API cannot be reached.</summary>
    public async Task<int> RunAsync(Func<ILambdaHandler> initialise, CancellationToken stopping)
    {
        ArgumentNullException.ThrowIfNull(initialise);
        ILambdaHandler handler;
        try
        {
            handler = initialise();
        }
#pragma warning disable CA1031 // Any init failure must reach init/error; Lambda then discards the environment.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _log.Error("Initialisation failed.", ex);
            await _api.PostInitErrorAsync(ErrorReport.From(ex), stopping);
            return 1;
        }

        _log.Info("Initialised; waiting for invocations.");
        while (!stopping.IsCancellationRequested)
        {
            Invocation invocation;
            try
            {
                invocation = await _api.NextAsync(stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return 0;
            }
            catch (Exception ex) when (ex is HttpRequestException or RuntimeApiException)
            {
                // Without a request id there is nothing to report an error against; Lambda replaces the environment.
                _log.Error("The Runtime API is unreachable or sent no usable invocation; stopping.", ex);
                return 1;
            }

            try
            {
                await InvokeAsync(handler, invocation, stopping);
            }
            catch (HttpRequestException ex)
            {
                _log.Error("The Runtime API went away during an invocation; stopping.", ex);
                return 1;
            }
        }

        return 0;
    }

    private async Task InvokeAsync(ILambdaHandler handler, Invocation invocation, CancellationToken stopping)
    {
        // The X-Ray SDK convention: the current trace header lives in the environment, replaced per invocation.
        Environment.SetEnvironmentVariable(TraceIdVariable, invocation.TraceId);

        var remaining = invocation.Deadline - _time.GetUtcNow() - _deadlineMargin;
        using var deadline = new CancellationTokenSource(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, stopping);
        byte[] response;
        _log.BeginInvocation(invocation.RequestId);
        try
        {
            var payload = ParsePayload(invocation);
            var output = await handler.HandleAsync(payload, new LambdaContext(invocation, _log), linked.Token);
            response = Serialize(output);
        }
        catch (OperationCanceledException ex) when (deadline.IsCancellationRequested)
        {
            var timeout = new TransientFailure(
                $"Request {invocation.RequestId} was cancelled {_deadlineMargin.TotalMilliseconds:0} ms before its deadline " +
                $"{invocation.Deadline:O}; the step is idempotent and safe to retry.",
                ex);
            await ReportAsync(invocation, timeout, stopping);
            return;
        }
#pragma warning disable CA1031 // Every handler failure becomes the invocation's error document; the loop goes on.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            await ReportAsync(invocation, ex, stopping);
            return;
        }

        try
        {
            await _api.PostResponseAsync(invocation.RequestId, response, stopping);
            _log.Info("Invocation succeeded.");
        }
        catch (RuntimeApiException ex)
        {
            // e.g. 413 when the response is over the payload limit: the invocation must still end, as an error.
            await ReportAsync(invocation, ex, stopping);
        }
        finally
        {
            _log.EndInvocation();
        }
    }

    private async Task ReportAsync(Invocation invocation, Exception exception, CancellationToken stopping)
    {
        _log.Error("Invocation failed.", exception);
        try
        {
            await _api.PostErrorAsync(invocation.RequestId, ErrorReport.From(exception), stopping);
        }
        catch (RuntimeApiException ex)
        {
            _log.Error("The Runtime API refused the error report.", ex);
        }
        finally
        {
            _log.EndInvocation();
        }
    }

    private static JsonNode? ParsePayload(Invocation invocation)
    {
        if (invocation.Payload.IsEmpty)
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(invocation.Payload.Span);
        }
        catch (JsonException ex)
        {
            throw new InvalidPayload($"Request {invocation.RequestId} has a payload that is not JSON: {ex.Message}", ex);
        }
    }

    private static byte[] Serialize(JsonNode? output)
    {
        if (output is null)
        {
            return "null"u8.ToArray();
        }

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            output.WriteTo(writer);
        }

        return buffer.ToArray();
    }
}
