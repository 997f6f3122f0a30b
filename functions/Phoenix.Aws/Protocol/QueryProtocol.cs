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
/// <c>Name.member.N</c> (1-based), an empty list as <c>Name=</c> (so "no names" is never read as "all names"), map
/// entries as <c>Name.entry.N.key</c> / <c>Name.entry.N.value</c> (an empty map is left out), as the official SDK
/// sends them. The request type's source-generated JSON metadata says which member is which shape.
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
        foreach (var (name, value) in QueryParameters.Flatten(JsonSerializer.SerializeToNode((TRequest)input, requestType), requestType, string.Empty))
        {
            request.Parameters.Add(name, value);
        }

        return request;
    }
}

/// <summary>
/// The key and value names of a map member's entries where its model gives them (<c>locationName</c> of the map's key
/// and value), e.g. SNS MessageAttributes: <c>entry.N.Name</c> / <c>entry.N.Value</c>. Without it: key / value.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class QueryMapAttribute(string keyName, string valueName) : Attribute
{
    public string KeyName { get; } = keyName;

    public string ValueName { get; } = valueName;
}

internal static class QueryParameters
{
    public static IEnumerable<(string Name, string Value)> Flatten(JsonNode? node, JsonTypeInfo type, string prefix, QueryMapAttribute? map = null)
    {
        if (node is null)
        {
            yield break;
        }

        switch (type.Kind)
        {
            case JsonTypeInfoKind.Object:
                var members = node.AsObject();
                foreach (var property in type.Properties)
                {
                    if (!members.TryGetPropertyValue(property.Name, out var value))
                    {
                        continue;
                    }

                    var memberMap = property.AttributeProvider?.GetCustomAttributes(typeof(QueryMapAttribute), false).OfType<QueryMapAttribute>().FirstOrDefault();
                    var name = prefix.Length == 0 ? property.Name : $"{prefix}.{property.Name}";
                    foreach (var pair in Flatten(value, type.Options.GetTypeInfo(property.PropertyType), name, memberMap))
                    {
                        yield return pair;
                    }
                }

                break;
            case JsonTypeInfoKind.Enumerable:
                var items = node.AsArray();
                if (items.Count == 0)
                {
                    yield return (prefix, string.Empty);
                    yield break;
                }

                var itemType = type.Options.GetTypeInfo(type.ElementType!);
                for (var i = 0; i < items.Count; i++)
                {
                    foreach (var pair in Flatten(items[i], itemType, $"{prefix}.member.{Index(i)}"))
                    {
                        yield return pair;
                    }
                }

                break;
            case JsonTypeInfoKind.Dictionary:
                var valueType = type.Options.GetTypeInfo(type.ElementType!);
                var entry = 0;
                foreach (var (key, value) in node.AsObject())
                {
                    var at = $"{prefix}.entry.{Index(entry++)}";
                    yield return ($"{at}.{map?.KeyName ?? "key"}", key);
                    foreach (var pair in Flatten(value, valueType, $"{at}.{map?.ValueName ?? "value"}"))
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

    private static string Index(int zeroBased) => (zeroBased + 1).ToString(CultureInfo.InvariantCulture);
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

/// <summary>
/// Every list in the Query responses Phoenix reads (Auto Scaling, ELBv2, CloudWatch, SNS, STS) is a wrapped
/// <c>&lt;Name&gt;&lt;member&gt;…</c> list: none is flattened or named <c>item</c> (EC2's style, which AWSSDK.EC2
/// reads). The one kind of map they hold (ELBv2's AuthenticationRequestExtraParams, string to string) is a wrapped
/// <c>&lt;Name&gt;&lt;entry&gt;&lt;key/&gt;&lt;value/&gt;</c> map with the default key and value names; a map member
/// with a <see cref="QueryMapAttribute"/> (other names) is refused rather than read wrongly.
/// </summary>
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
                if (property.AttributeProvider?.IsDefined(typeof(QueryMapAttribute), false) == true)
                {
                    throw new NotSupportedException($"<{child.Name.LocalName}> is a map with its own entry names: reading those is not implemented.");
                }

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
            case JsonTypeInfoKind.Dictionary:
                var map = new JsonObject();
                foreach (var entry in element.Elements().Where(e => e.Name.LocalName == "entry"))
                {
                    var key = entry.Elements().FirstOrDefault(e => e.Name.LocalName == "key")?.Value
                        ?? throw new InvalidDataException($"An <entry> of <{element.Name.LocalName}> has no <key>.");
                    var value = entry.Elements().FirstOrDefault(e => e.Name.LocalName == "value");
                    map[key] = value is null ? null : Value(value, info.ElementType!, options);
                }

                return map;
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
