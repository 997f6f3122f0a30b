using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Phoenix.Asl.Intrinsics;
using Phoenix.Asl.Paths;

namespace Phoenix.Asl;

/// <summary>
/// Parameters, ResultSelector and ItemSelector: keys ending in <c>.$</c> take a path's value or an intrinsic's result.
/// Each template is compiled once, on first use, into a tree that holds its parsed paths and intrinsic calls, and is
/// kept beside the definition's node (so every execution of the definition reuses it).
/// </summary>
internal abstract class PayloadTemplate
{
    private static readonly ConditionalWeakTable<JsonNode, PayloadTemplate> Compiled = new();

    /// <summary>Evaluates <paramref name="template"/>; a failure is an <see cref="AslFailure"/> detail via <paramref name="fail"/>.</summary>
    public static JsonNode? Evaluate(JsonNode? template, JsonNode? input, Func<JsonNode> context, Func<string, AslFailure> fail) =>
        template is null ? null : Compiled.GetValue(template, Compile).Evaluate(input, context, fail);

    protected abstract JsonNode? Evaluate(JsonNode? input, Func<JsonNode> context, Func<string, AslFailure> fail);

    private static PayloadTemplate Compile(JsonNode template) => template switch
    {
        JsonObject obj => new ObjectTemplate([.. obj.Select(p =>
            p.Key.EndsWith(".$", StringComparison.Ordinal) && p.Value is JsonValue v && v.TryGetValue<string>(out var expression)
                ? (p.Key[..^2], IntrinsicFunctions.IsIntrinsic(expression) ? new IntrinsicTemplate(expression) : (PayloadTemplate)new PathTemplate(p.Key, expression))
                : (p.Key, p.Value is null ? NullTemplate.Instance : Compile(p.Value)))]),
        JsonArray array => new ArrayTemplate([.. array.Select(item => item is null ? NullTemplate.Instance : Compile(item))]),
        _ => new LiteralTemplate(template),
    };

    private sealed class ObjectTemplate((string Name, PayloadTemplate Value)[] fields) : PayloadTemplate
    {
        protected override JsonNode? Evaluate(JsonNode? input, Func<JsonNode> context, Func<string, AslFailure> fail)
        {
            var result = new JsonObject();
            foreach (var (name, value) in fields)
            {
                result[name] = value.Evaluate(input, context, fail);
            }

            return result;
        }
    }

    private sealed class ArrayTemplate(PayloadTemplate[] items) : PayloadTemplate
    {
        protected override JsonNode? Evaluate(JsonNode? input, Func<JsonNode> context, Func<string, AslFailure> fail)
        {
            var result = new JsonArray();
            foreach (var item in items)
            {
                result.Add(item.Evaluate(input, context, fail));
            }

            return result;
        }
    }

    private sealed class LiteralTemplate(JsonNode value) : PayloadTemplate
    {
        protected override JsonNode? Evaluate(JsonNode? input, Func<JsonNode> context, Func<string, AslFailure> fail) => value.DeepClone();
    }

    private sealed class NullTemplate : PayloadTemplate
    {
        public static readonly NullTemplate Instance = new();

        protected override JsonNode? Evaluate(JsonNode? input, Func<JsonNode> context, Func<string, AslFailure> fail) => null;
    }

    /// <summary><c>"key.$": "$.path"</c> (or <c>$$.path</c>): a copy of what the path selects.</summary>
    private sealed class PathTemplate(string key, string expression) : PayloadTemplate
    {
        // A path the definition's validation let through but that does not parse fails at run time, as it always did.
        private readonly JsonPath? _path = TryCompile(expression);

        protected override JsonNode? Evaluate(JsonNode? input, Func<JsonNode> context, Func<string, AslFailure> fail)
        {
            var path = _path ?? JsonPathEvaluator.Compile(expression);
            try
            {
                return AslPaths.Select(path, input, context);
            }
            catch (JsonPathException)
            {
                var root = path.IsContextPath ? context() : input;
                throw fail($"The JSONPath '{expression}' specified for the field '{key}' could not be found in the input '{Json.Text(root)}'");
            }
        }

        private static JsonPath? TryCompile(string expression)
        {
            try
            {
                return JsonPathEvaluator.Compile(expression);
            }
            catch (JsonPathSyntaxException)
            {
                return null;
            }
        }
    }

    /// <summary><c>"key.$": "States.Fn(…)"</c>: its path arguments are read in place (intrinsics copy what they keep).</summary>
    private sealed class IntrinsicTemplate(string expression) : PayloadTemplate
    {
        private readonly IntrinsicExpression? _call = TryParse(expression);

        protected override JsonNode? Evaluate(JsonNode? input, Func<JsonNode> context, Func<string, AslFailure> fail)
        {
            var call = _call ?? IntrinsicFunctions.Parse(expression);
            try
            {
                return AslPaths.Intrinsic(call, input, context);
            }
            catch (Exception e) when (e is IntrinsicFunctionException or JsonPathException)
            {
                throw fail(e.Message);
            }
        }

        private static IntrinsicExpression? TryParse(string expression)
        {
            try
            {
                return IntrinsicFunctions.Parse(expression);
            }
            catch (IntrinsicSyntaxException)
            {
                return null;
            }
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
