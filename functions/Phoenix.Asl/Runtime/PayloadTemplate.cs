using System.Text.Json.Nodes;
using Phoenix.Asl.Intrinsics;
using Phoenix.Asl.Paths;

namespace Phoenix.Asl;

/// <summary>Parameters, ResultSelector and ItemSelector: keys ending in <c>.$</c> take a path's value or an intrinsic's result.</summary>
internal static class PayloadTemplate
{
    /// <summary>Evaluates <paramref name="template"/>; a failure is an <see cref="AslFailure"/> detail via <paramref name="fail"/>.</summary>
    public static JsonNode? Evaluate(JsonNode? template, JsonNode? input, Func<JsonNode> context, Func<string, AslFailure> fail)
    {
        switch (template)
        {
            case JsonObject obj:
                var result = new JsonObject();
                foreach (var (key, value) in obj)
                {
                    if (key.EndsWith(".$", StringComparison.Ordinal) && value is JsonValue v && v.TryGetValue<string>(out var expression))
                    {
                        result[key[..^2]] = Resolve(key, expression, input, context, fail);
                    }
                    else
                    {
                        result[key] = Evaluate(value, input, context, fail);
                    }
                }

                return result;
            case JsonArray array:
                var items = new JsonArray();
                foreach (var item in array)
                {
                    items.Add(Evaluate(item, input, context, fail));
                }

                return items;
            default:
                return template?.DeepClone();
        }
    }

    private static JsonNode? Resolve(string key, string expression, JsonNode? input, Func<JsonNode> context, Func<string, AslFailure> fail)
    {
        try
        {
            return IntrinsicFunctions.IsIntrinsic(expression)
                ? AslPaths.Intrinsic(expression, input, context)
                : AslPaths.Select(expression, input, context);
        }
        catch (IntrinsicFunctionException e)
        {
            throw fail(e.Message);
        }
        catch (JsonPathException e) when (IntrinsicFunctions.IsIntrinsic(expression))
        {
            throw fail(e.Message);
        }
        catch (JsonPathException)
        {
            var root = expression.StartsWith("$$", StringComparison.Ordinal) ? context() : input;
            throw fail($"The JSONPath '{expression}' specified for the field '{key}' could not be found in the input '{Json.Text(root)}'");
        }
    }
}

internal static class Json
{
    // Step Functions prints JSON compactly without escaping HTML-sensitive characters (Jackson's default).
    private static readonly System.Text.Json.JsonSerializerOptions Relaxed = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Text(JsonNode? node) => node?.ToJsonString(Relaxed) ?? "null";
}
