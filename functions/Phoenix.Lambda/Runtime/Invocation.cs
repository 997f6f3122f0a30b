namespace Phoenix.Lambda.Runtime;

/// <summary>One event handed out by <c>GET /runtime/invocation/next</c>, with the headers the host uses.</summary>
public sealed record Invocation(
    string RequestId,
    DateTimeOffset Deadline,
    string? InvokedFunctionArn,
    string? TraceId,
    ReadOnlyMemory<byte> Payload);
