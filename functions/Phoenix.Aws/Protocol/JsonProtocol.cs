using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Amazon.Runtime.Internal.Transform;
using Amazon.Runtime.Internal.Util;

namespace Phoenix.Aws.Protocol;

/// <summary>awsJson 1.0/1.1: POST / with the operation in X-Amz-Target and the members as a JSON object.</summary>
internal sealed class JsonRequestMarshaller<TRequest>(AwsService service, string operation, JsonTypeInfo<TRequest> requestType)
    : IMarshaller<IRequest, AmazonWebServiceRequest>
    where TRequest : AmazonWebServiceRequest
{
    public IRequest Marshall(AmazonWebServiceRequest input)
    {
        var request = new DefaultRequest(input, service.ServiceId) { HttpMethod = "POST", ResourcePath = "/" };
        request.Headers["X-Amz-Target"] = $"{service.TargetPrefix}.{operation}";
        request.Headers["Content-Type"] = $"application/x-amz-json-{service.JsonVersion}";
        request.Content = JsonSerializer.SerializeToUtf8Bytes((TRequest)input, requestType);
        return request;
    }
}

internal sealed class JsonResponseUnmarshaller<TResponse>(JsonTypeInfo<TResponse> responseType, IReadOnlyDictionary<string, ErrorFactory> errors)
    : JsonResponseUnmarshaller
    where TResponse : AmazonWebServiceResponse, new()
{
    public override AmazonWebServiceResponse Unmarshall(JsonUnmarshallerContext input)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var buffer = new MemoryStream();
        input.Stream.CopyTo(buffer);
        return buffer.Length == 0 ? new TResponse() : JsonSerializer.Deserialize(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), responseType) ?? new TResponse();
    }

    public override AmazonServiceException UnmarshallException(JsonUnmarshallerContext input, Exception innerException, HttpStatusCode statusCode)
    {
        ArgumentNullException.ThrowIfNull(input);
        var reader = new StreamingUtf8JsonReader(input.Stream);
        var error = JsonErrorResponseUnmarshaller.GetInstance().Unmarshall(input, ref reader);
        error.InnerException = innerException;
        error.StatusCode = statusCode;
        return AwsServiceException.From(error, errors);
    }
}

/// <summary>awsJson timestamps are epoch seconds, with a fraction when the service has one.</summary>
public sealed class EpochSecondsConverter : JsonConverter<DateTime>
{
    public override DateTime Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String
            ? DateTime.Parse(reader.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal)
            : DateTime.UnixEpoch.AddTicks((long)Math.Round(reader.GetDecimal() * TimeSpan.TicksPerSecond));

    public override void Write(Utf8JsonWriter writer, DateTime value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var ticks = value.ToUniversalTime().Ticks - DateTime.UnixEpoch.Ticks;
        if (ticks % TimeSpan.TicksPerSecond == 0)
        {
            writer.WriteNumberValue(ticks / TimeSpan.TicksPerSecond);
        }
        else
        {
            writer.WriteNumberValue(decimal.Round((decimal)ticks / TimeSpan.TicksPerSecond, 3));
        }
    }
}
