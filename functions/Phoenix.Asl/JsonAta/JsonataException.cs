namespace Phoenix.Asl.JsonAta;

/// <summary>A JSONata syntax or evaluation error, with the reference implementation's code (e.g. <c>T1006</c>).</summary>
public sealed class JsonataException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;

    /// <summary>The text Step Functions quotes in a States.QueryEvaluationError cause: <c>CODE: message</c>.</summary>
    public string Describe() => $"{Code}: {Message}";
}
