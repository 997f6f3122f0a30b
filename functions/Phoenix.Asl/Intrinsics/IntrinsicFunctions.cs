using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Text.Json.Nodes;

namespace Phoenix.Asl.Intrinsics;

/// <summary>
/// The 18 Step Functions intrinsic functions (JSONPath query language): States.Format, StringToJson,
/// JsonToString, Array, ArrayPartition, ArrayContains, ArrayRange, ArrayGetItem, ArrayLength, ArrayUnique,
/// Base64Encode, Base64Decode, Hash, JsonMerge, MathRandom, MathAdd, StringSplit and UUID — with AWS's
/// documented limits and the behaviours the AWS recordings show (see each function's notes in
/// <c>StatesFunctions</c>). Use <see cref="IsIntrinsic"/> on a <c>"x.$"</c> value to tell a call from a path,
/// <see cref="Parse"/> at definition-validation time (throws <see cref="IntrinsicSyntaxException"/>), and
/// <see cref="Evaluate"/> (or <see cref="IntrinsicExpression.Evaluate"/>) at run time (throws
/// <see cref="IntrinsicFunctionException"/>, carrying the ASL error name to report).
/// </summary>
public static class IntrinsicFunctions
{
    private const int CacheLimit = 10_000;
    private static readonly ConcurrentDictionary<string, IntrinsicExpression> Cache = new(StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, IntrinsicFunction> Functions = StatesFunctions.All
        .ToFrozenDictionary(f => f.Name, StringComparer.Ordinal);

    /// <summary>The supported function names, e.g. <c>States.Format</c>.</summary>
    public static IReadOnlyCollection<string> Names => Functions.Keys;

    /// <summary>True when the text is written as an intrinsic call (<c>States.Name(</c>…); says nothing about validity.</summary>
    public static bool IsIntrinsic(string expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        var text = expression.AsSpan().TrimStart();
        if (!text.StartsWith("States.", StringComparison.Ordinal))
        {
            return false;
        }

        var rest = text[7..];
        var nameLength = 0;
        while (nameLength < rest.Length && char.IsAsciiLetterOrDigit(rest[nameLength]))
        {
            nameLength++;
        }

        return nameLength > 0 && rest[nameLength..].TrimStart().StartsWith("(", StringComparison.Ordinal);
    }

    /// <summary>Parses (or fetches from the cache) a call; malformed calls throw <see cref="IntrinsicSyntaxException"/>.</summary>
    public static IntrinsicExpression Parse(string expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        if (Cache.TryGetValue(expression, out var parsed))
        {
            return parsed;
        }

        parsed = new IntrinsicParser(expression).Parse();
        if (Cache.Count < CacheLimit)
        {
            Cache.TryAdd(expression, parsed);
        }

        return parsed;
    }

    /// <summary>Parses and runs a call; see <see cref="IntrinsicExpression.Evaluate"/>.</summary>
    public static JsonNode? Evaluate(string expression, Func<string, JsonNode?> resolvePath) => Parse(expression).Evaluate(resolvePath);

    internal static IntrinsicFunction? Find(string name) => Functions.GetValueOrDefault(name);
}
