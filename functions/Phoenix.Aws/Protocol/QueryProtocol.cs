using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using System.Xml;
using System.Xml.Linq;
using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Amazon.Runtime.Internal.Transform;

namespace Phoenix.Aws.Protocol;

/// <summary>
/// AWS Query: the request's members become form parameters — nested members joined with '.', list items as
/// <c>Name.member.N</c> (1-based), as the services' models define for every list Phoenix sends.
/// </summary>
internal sealed class QueryRequestMarshaller<TRequest>(AwsService service, string action, JsonTypeInfo<TRequest> requestType)
    : IMarshaller<IRequest, AmazonWebServiceRequest>
    where TRequest : AmazonWebServiceRequest
{
    public IRequest Marshall(AmazonWebServiceRequest input)
    {
        var request = new DefaultRequest(input, service.ServiceId) { HttpMethod = "POST", ResourcePath = "/" };
        request.Parameters.Add("Action", action);
        request.Parameters.Add("Version", service.ApiVersion);
        foreach (var (name, value) in Flatten(JsonSerializer.SerializeToNode((TRequest)input, requestType), string.Empty))
        {
            request.Parameters.Add(name, value);
        }

        return request;
    }

    internal static IEnumerable<(string Name, string Value)> Flatten(JsonNode? node, string prefix)
    {
        switch (node)
        {
            case null:
                yield break;
            case JsonObject members:
                foreach (var (name, value) in members)
                {
                    foreach (var pair in Flatten(value, prefix.Length == 0 ? name : $"{prefix}.{name}"))
                    {
                        yield return pair;
                    }
                }

                break;
            case JsonArray items:
                for (var i = 0; i < items.Count; i++)
                {
                    foreach (var pair in Flatten(items[i], $"{prefix}.member.{(i + 1).ToString(CultureInfo.InvariantCulture)}"))
                    {
                        yield return pair;
                    }
                }

                break;
            default:
                var element = node.GetValue<JsonElement>();
                yield return (prefix, element.ValueKind switch
                {
                    JsonValueKind.String => element.GetString()!,
                    JsonValueKind.True => "true",
                    JsonValueKind.False => "false",
                    _ => element.GetRawText(),
                });
                break;
        }
    }
}

/// <summary>
/// Reads <c>&lt;{Action}Response&gt;&lt;{Action}Result&gt;…</c> into the response type, guided by its source-generated
/// JSON metadata (which members are lists, numbers, timestamps), so one reader serves every Query operation.
/// </summary>
internal sealed class QueryResponseUnmarshaller<TResponse>(string action, JsonTypeInfo<TResponse> responseType, IReadOnlyDictionary<string, ErrorFactory> errors)
    : XmlResponseUnmarshaller
    where TResponse : AmazonWebServiceResponse, new()
{
    public override AmazonWebServiceResponse Unmarshall(XmlUnmarshallerContext input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var document = XDocument.Load(input.Stream);
        var result = document.Root?.Elements().FirstOrDefault(e => e.Name.LocalName == action + "Result");
        var response = result is null
            ? new TResponse()
            : ((JsonNode?)XmlToJson.Read(result, responseType)).Deserialize(responseType) ?? new TResponse();
        var requestId = document.Root?.Elements().FirstOrDefault(e => e.Name.LocalName == "ResponseMetadata")
            ?.Elements().FirstOrDefault(e => e.Name.LocalName == "RequestId")?.Value;
        response.ResponseMetadata = new ResponseMetadata { RequestId = requestId };
        return response;
    }

    public override AmazonServiceException UnmarshallException(XmlUnmarshallerContext input, Exception innerException, HttpStatusCode statusCode)
    {
        var error = XmlErrorResponseUnmarshaller.GetInstance().Unmarshall(input);
        error.InnerException = innerException;
        error.StatusCode = statusCode;
        return AwsServiceException.From(error, errors);
    }
}

internal static class XmlToJson
{
    public static JsonObject Read(XElement element, JsonTypeInfo type)
    {
        var result = new JsonObject();
        foreach (var property in type.Properties)
        {
            var child = element.Elements().FirstOrDefault(e => e.Name.LocalName == property.Name);
            if (child is not null)
            {
                result[property.Name] = Value(child, property.PropertyType, type.Options);
            }
        }

        return result;
    }

    private static JsonNode? Value(XElement element, Type type, JsonSerializerOptions options)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        var info = options.GetTypeInfo(type);
        switch (info.Kind)
        {
            case JsonTypeInfoKind.Object:
                return Read(element, info);
            case JsonTypeInfoKind.Enumerable:
                var items = new JsonArray();
                foreach (var member in element.Elements().Where(e => e.Name.LocalName == "member"))
                {
                    items.Add(Value(member, info.ElementType!, options));
                }

                return items;
            default:
                var text = element.Value;
                if (type == typeof(string))
                {
                    return JsonValue.Create(text);
                }

                if (type == typeof(bool))
                {
                    return JsonValue.Create(XmlConvert.ToBoolean(text));
                }

                if (type == typeof(DateTime))
                {
                    return JsonValue.Create(DateTime.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal));
                }

                return JsonNode.Parse(text);
        }
    }
}
