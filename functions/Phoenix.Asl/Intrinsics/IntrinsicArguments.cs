using System.Text.Json.Nodes;

namespace Phoenix.Asl.Intrinsics;

/// <summary>One argument of an intrinsic call as written: a literal, a path, or a nested call.</summary>
internal abstract class IntrinsicArgument
{
    /// <summary>
    /// The argument's value. Path values come from the caller's resolver and may be nodes of the caller's document:
    /// functions treat them as read-only and copy them before attaching them to a result.
    /// </summary>
    public abstract JsonNode? Evaluate(Func<string, JsonNode?> resolvePath);
}

internal sealed class LiteralArgument(JsonNode? value, string? text, IReadOnlyList<int> placeholders) : IntrinsicArgument
{
    /// <summary>For a string literal: its unescaped text.</summary>
    public string? Text { get; } = text;

    /// <summary>Offsets in <see cref="Text"/> where an unescaped <c>{}</c> starts (escaped braces are not placeholders).</summary>
    public IReadOnlyList<int> Placeholders { get; } = placeholders;

    public override JsonNode? Evaluate(Func<string, JsonNode?> resolvePath) => value?.DeepClone();
}

internal sealed class PathArgument(string path) : IntrinsicArgument
{
    public string Path { get; } = path;

    public override JsonNode? Evaluate(Func<string, JsonNode?> resolvePath) => resolvePath(Path);
}

internal sealed class CallArgument(IntrinsicExpression call) : IntrinsicArgument
{
    public IntrinsicExpression Call { get; } = call;

    public override JsonNode? Evaluate(Func<string, JsonNode?> resolvePath) => Call.Evaluate(resolvePath);
}
