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
    public static JsonNode? Select(string path, JsonNode? input, Func<JsonNode> context) =>
        Select(JsonPathEvaluator.Compile(path), input, context);

    /// <summary><see cref="Select(string, JsonNode?, Func{JsonNode})"/> for a path compiled beforehand.</summary>
    public static JsonNode? Select(JsonPath compiled, JsonNode? input, Func<JsonNode> context) =>
        compiled.Select(DefinedRoot(compiled, input, context));

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

    /// <summary>
    /// Like <see cref="TrySelect"/> without the copy: the node inside the input, context or variable itself, to read,
    /// never to attach or modify.
    /// </summary>
    public static bool TryRead(JsonPath compiled, JsonNode? input, Func<JsonNode> context, out JsonNode? value)
    {
        if (compiled.Variable is { } name && !TryGetVariable(name, out _))
        {
            value = null;
            return false;
        }

        return compiled.TryRead(Root(compiled, input, context), out value);
    }

    // An undefined variable is a miss like a missing property, reported in Step Functions' words.
    private static JsonNode? DefinedRoot(JsonPath compiled, JsonNode? input, Func<JsonNode> context)
    {
        if (compiled.Variable is { } name && !TryGetVariable(name, out _))
        {
            throw new JsonPathException(compiled.Text, $"The variable '${name}' is not defined in this scope.");
        }

        return Root(compiled, input, context);
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
        Intrinsic(IntrinsicFunctions.Parse(expression), input, context);

    /// <summary>
    /// Runs a parsed intrinsic call. Its path arguments are read in place, not copied: intrinsics treat their arguments
    /// as read-only and copy what they put in their result.
    /// </summary>
    public static JsonNode? Intrinsic(IntrinsicExpression call, JsonNode? input, Func<JsonNode> context) =>
        call.Evaluate(path =>
        {
            var compiled = JsonPathEvaluator.Compile(path);
            return compiled.Read(DefinedRoot(compiled, input, context));
        });
}
