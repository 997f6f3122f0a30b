using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Phoenix.Lambda.Runtime;

/// <summary>
/// The Lambda Runtime API (version 2018-06-01) at <c>AWS_LAMBDA_RUNTIME_API</c>: next, response, error, init/error.
/// </summary>
public sealed class RuntimeApiClient : IDisposable
{
    public const string ErrorTypeHeader = "Lambda-Runtime-Function-Error-Type";

    private readonly HttpClient _http;

    public RuntimeApiClient(string runtimeApi)
    {
        if (string.IsNullOrWhiteSpace(runtimeApi) || !Uri.TryCreate($"http://{runtimeApi}/2018-06-01/", UriKind.Absolute, out var baseAddress))
        {
            throw new ArgumentException($"AWS_LAMBDA_RUNTIME_API '{runtimeApi}' is not a host:port.", nameof(runtimeApi));
        }

        // next is a long poll that lasts until an event arrives, however long the environment stays frozen.
        _http = new HttpClient(new SocketsHttpHandler { UseProxy = false, UseCookies = false })
        {
            BaseAddress = baseAddress,
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    public async Task<Invocation> NextAsync(CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync(new Uri("runtime/invocation/next", UriKind.Relative), cancellationToken);
        await EnsureSuccessAsync(response, "next", cancellationToken);
        var payload = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        var requestId = Header(response, "Lambda-Runtime-Aws-Request-Id")
            ?? throw new RuntimeApiException("The Runtime API sent an invocation without Lambda-Runtime-Aws-Request-Id.", response.StatusCode);
        var deadlineText = Header(response, "Lambda-Runtime-Deadline-Ms");
        if (!long.TryParse(deadlineText, NumberStyles.None, CultureInfo.InvariantCulture, out var deadlineMs))
        {
            throw new RuntimeApiException($"The Runtime API sent Lambda-Runtime-Deadline-Ms '{deadlineText}' for request {requestId}, not epoch milliseconds.", response.StatusCode);
        }

        return new Invocation(
            requestId,
            DateTimeOffset.FromUnixTimeMilliseconds(deadlineMs),
            Header(response, "Lambda-Runtime-Invoked-Function-Arn"),
            Header(response, "Lambda-Runtime-Trace-Id"),
            payload);
    }

    public Task PostResponseAsync(string requestId, ReadOnlyMemory<byte> body, CancellationToken cancellationToken) =>
        PostAsync($"runtime/invocation/{Uri.EscapeDataString(requestId)}/response", body, errorType: null, cancellationToken);

    public Task PostErrorAsync(string requestId, ErrorReport error, CancellationToken cancellationToken) =>
        PostAsync(
            $"runtime/invocation/{Uri.EscapeDataString(requestId)}/error",
            JsonSerializer.SerializeToUtf8Bytes(error, LambdaJsonContext.Default.ErrorReport),
            error.ErrorType,
            cancellationToken);

    public Task PostInitErrorAsync(ErrorReport error, CancellationToken cancellationToken) =>
        PostAsync(
            "runtime/init/error",
            JsonSerializer.SerializeToUtf8Bytes(error, LambdaJsonContext.Default.ErrorReport),
            error.ErrorType,
            cancellationToken);

    public void Dispose() => _http.Dispose();

    private async Task PostAsync(string path, ReadOnlyMemory<byte> body, string? errorType, CancellationToken cancellationToken)
    {
        using var content = new ReadOnlyMemoryContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative)) { Content = content };
        if (errorType is not null)
        {
            request.Headers.TryAddWithoutValidation(ErrorTypeHeader, errorType);
        }

        using var response = await _http.SendAsync(request, cancellationToken);
        await EnsureSuccessAsync(response, path, cancellationToken);
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, string operation, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var detail = await response.Content.ReadAsStringAsync(cancellationToken);
        throw new RuntimeApiException(
            $"Runtime API {operation} answered {(int)response.StatusCode} {response.StatusCode}: {detail}",
            response.StatusCode);
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}

/// <summary>The Runtime API refused a call (e.g. 413 for a response over the payload limit).</summary>
public sealed class RuntimeApiException(string message, HttpStatusCode statusCode) : Exception(message)
{
    public HttpStatusCode StatusCode { get; } = statusCode;
}
