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

    /// <summary>
    /// One CloudWatch Embedded Metric Format line: CloudWatch Logs turns it into data points of
    /// <paramref name="metricNamespace"/> with the dimension <paramref name="dimension"/> (Lambda needs no agent and no
    /// cloudwatch:PutMetricData; https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Lambda.html).
    /// </summary>
    public void Metrics(string metricNamespace, (string Name, string Value) dimension, IReadOnlyList<(string Name, int Value)> counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        lock (_gate)
        {
            using (var writer = new Utf8JsonWriter(_output))
            {
                writer.WriteStartObject();
                writer.WriteStartObject("_aws");
                writer.WriteNumber("Timestamp", _time.GetUtcNow().ToUnixTimeMilliseconds());
                writer.WriteStartArray("CloudWatchMetrics");
                writer.WriteStartObject();
                writer.WriteString("Namespace", metricNamespace);
                writer.WriteStartArray("Dimensions");
                writer.WriteStartArray();
                writer.WriteStringValue(dimension.Name);
                writer.WriteEndArray();
                writer.WriteEndArray();
                writer.WriteStartArray("Metrics");
                foreach (var (name, _) in counts)
                {
                    writer.WriteStartObject();
                    writer.WriteString("Name", name);
                    writer.WriteString("Unit", "Count");
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
                writer.WriteEndArray();
                writer.WriteEndObject();
                writer.WriteString(dimension.Name, dimension.Value);
                foreach (var (name, value) in counts)
                {
                    writer.WriteNumber(name, value);
                }

                WriteIfSet(writer, "requestId", _requestId);
                writer.WriteEndObject();
            }

            _output.WriteByte((byte)'\n');
            _output.Flush();
        }
    }

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
