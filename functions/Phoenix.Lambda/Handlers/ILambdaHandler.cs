using System.Text.Json.Nodes;
using Phoenix.Lambda.Logging;
using Phoenix.Lambda.Runtime;

namespace Phoenix.Lambda.Handlers;

/// <summary>One function's code: payload in, response out. Built once per execution environment.</summary>
public interface ILambdaHandler
{
    ValueTask<JsonNode?> HandleAsync(JsonNode? payload, LambdaContext context, CancellationToken cancellationToken);
}

public sealed record LambdaContext(Invocation Invocation, JsonLog Log)
{
    public string RequestId => Invocation.RequestId;
}
