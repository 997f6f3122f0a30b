using System.Text.Json.Nodes;
using Phoenix.Asl.Intrinsics;
using Phoenix.Asl.Paths;

namespace Phoenix.Asl;

/// <summary>
/// The engine's one door to JSONPath and intrinsic functions (implemented in Paths/ and Intrinsics/): chooses the
/// root for <c>$</c> and <c>$$</c> paths and turns their failures into the wording Step Functions reports.
/// </summary>
internal static class AslPaths
{
    public static bool IsPath(string path)
    {
        try
        {
            JsonPathEvaluator.Compile(path);
            return true;
        }
        catch (JsonPathSyntaxException)
        {
            return false;
        }
    }

    public static bool IsReferencePath(string path) => ReferencePath.Validate(path, allowContext: false) is null;

    /// <summary>A well-formed intrinsic call (validated when the definition is parsed).</summary>
    public static bool IsIntrinsic(string expression)
    {
        try
        {
            IntrinsicFunctions.Parse(expression);
            return true;
        }
        catch (IntrinsicSyntaxException)
        {
            return false;
        }
    }

    /// <summary>InputPath/OutputPath/ItemsPath semantics: the value, or a <see cref="JsonPathException"/>.</summary>
    public static JsonNode? Select(string path, JsonNode? input, Func<JsonNode> context)
    {
        var compiled = JsonPathEvaluator.Compile(path);
        if (compiled.Variable is { } name && !TryGetVariable(name, out _))
        {
            throw new JsonPathException(path, $"The variable '${name}' is not defined in this scope.");
        }

        return compiled.Select(Root(compiled, input, context));
    }

    public static bool TrySelect(string path, JsonNode? input, Func<JsonNode> context, out JsonNode? value)
    {
        var compiled = JsonPathEvaluator.Compile(path);
        if (compiled.Variable is { } name && !TryGetVariable(name, out _))
        {
            value = null;
            return false;
        }

        return compiled.TrySelect(Root(compiled, input, context), out value);
    }

    /// <summary><c>$$…</c> reads the Context Object, <c>$name…</c> the variable, anything else the input.</summary>
    private static JsonNode? Root(JsonPath compiled, JsonNode? input, Func<JsonNode> context) =>
        compiled.IsContextPath ? context()
        : compiled.Variable is { } name ? TryGetVariable(name, out var value) ? value : null
        : input;

    private static bool TryGetVariable(string name, out JsonNode? value)
    {
        value = null;
        return VariableScope.Current?.TryGet(name, out value) == true;
    }

    public static JsonNode? Set(JsonNode? input, string resultPath, JsonNode? value) => ReferencePath.Set(input, resultPath, value);

    /// <summary>Runs an intrinsic call; its path arguments read the input, or the Context Object for <c>$$</c>.</summary>
    public static JsonNode? Intrinsic(string expression, JsonNode? input, Func<JsonNode> context) =>
        IntrinsicFunctions.Evaluate(expression, path => Select(path, input, context));
}
