using System.Text.Json;
using Phoenix.Core;

namespace Phoenix.Lambda.Logging;

public enum LogLevel
{
    Debug,
    Info,
    Warn,
    Error,
}

/// <summary>
/// Structured log: one JSON object per line on stdout (CloudWatch Logs takes each line as one event), carrying the
/// handler and, during an invocation, its request id and the execution ARN when the payload has one. Written with
/// <see cref="Utf8JsonWriter"/> so it needs no serializer metadata in the AOT binary.
/// </summary>
public sealed class JsonLog
{
    private readonly Stream _output;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private string? _requestId;
    private string? _executionArn;

    public JsonLog(Stream output, TimeProvider time, string? handler)
    {
        _output = output;
        _time = time;
        Handler = handler;
    }

    public string? Handler { get; }

    /// <summary>Lambda runs one invocation at a time per environment, so one scope suffices.</summary>
    public void BeginInvocation(string requestId)
    {
        lock (_gate)
        {
            _requestId = requestId;
            _executionArn = null;
        }
    }

    /// <summary>Set by a handler that finds the Step Functions execution in its payload.</summary>
    public void SetExecutionArn(string? executionArn)
    {
        lock (_gate)
        {
            _executionArn = executionArn;
        }
    }

    public void EndInvocation()
    {
        lock (_gate)
        {
            _requestId = null;
            _executionArn = null;
        }
    }

    public void Info(string message) => Write(LogLevel.Info, message, null);

    public void Warn(string message, Exception? exception = null) => Write(LogLevel.Warn, message, exception);

    public void Error(string message, Exception? exception = null) => Write(LogLevel.Error, message, exception);

    public void Write(LogLevel level, string message, Exception? exception)
    {
        lock (_gate)
        {
            using (var writer = new Utf8JsonWriter(_output))
            {
                writer.WriteStartObject();
                writer.WriteString("timestamp", _time.GetUtcNow().ToString("yyyy-MM-ddTHH:mm:ss.fffZ"));
                writer.WriteString("level", level.ToString().ToUpperInvariant());
                writer.WriteString("message", message);
                WriteIfSet(writer, "requestId", _requestId);
                WriteIfSet(writer, "executionArn", _executionArn);
                WriteIfSet(writer, "handler", Handler);
                if (exception is not null)
                {
                    writer.WriteString("errorType", exception is PhoenixException phoenix ? phoenix.ErrorName : exception.GetType().Name);
                    writer.WriteString("errorMessage", exception.Message);
                    WriteIfSet(writer, "stackTrace", exception.StackTrace);
                }

                writer.WriteEndObject();
            }

            _output.WriteByte((byte)'\n');
            _output.Flush();
        }
    }

    private static void WriteIfSet(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }
}
