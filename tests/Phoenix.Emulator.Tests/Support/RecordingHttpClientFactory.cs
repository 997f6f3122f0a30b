using System.Net.Http.Headers;
using Amazon.Runtime;

namespace Phoenix.Emulator.Tests.Support;

/// <summary>
/// Lets a test see the requests an adapter sent to the emulator (how many calls, which parameters), for behaviour the
/// emulator does not enforce itself, such as AWS's 100-name limit of DescribeAlarms.
/// </summary>
public sealed class RecordingHttpClientFactory : HttpClientFactory
{
    private readonly List<RecordedRequest> _requests = [];
    private readonly Lock _gate = new();

    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return [.. _requests];
            }
        }
    }

    public override HttpClient CreateHttpClient(IClientConfig clientConfig) => new(new Recorder(this, new SocketsHttpHandler()));

    public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => false;

    public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => false;

    private void Add(RecordedRequest request)
    {
        lock (_gate)
        {
            _requests.Add(request);
        }
    }

    private sealed class Recorder(RecordingHttpClientFactory owner, HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = request.Content is null ? string.Empty : await request.Content.ReadAsStringAsync(cancellationToken);
            var target = request.Headers.TryGetValues("X-Amz-Target", out var values) ? values.FirstOrDefault() : null;
            owner.Add(new RecordedRequest(target, body, request.Content?.Headers.ContentType));
            return await base.SendAsync(request, cancellationToken);
        }
    }
}

/// <summary>One request: the awsJson target (null for Query, whose Action is in the body) and the body as sent.</summary>
public sealed record RecordedRequest(string? Target, string Body, MediaTypeHeaderValue? ContentType)
{
    /// <summary>The AWS Query form parameters, decoded.</summary>
    public IReadOnlyDictionary<string, string> Form =>
        Body.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .ToDictionary(p => Uri.UnescapeDataString(p[0].Replace('+', ' ')), p => p.Length > 1 ? Uri.UnescapeDataString(p[1].Replace('+', ' ')) : string.Empty, StringComparer.Ordinal);
}
