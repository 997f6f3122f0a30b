using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace Phoenix.Asl.Paths;

/// <summary>
/// Evaluates JSONPath strings the way Step Functions does (JSONPath query language). Compiled paths are cached,
/// so repeated evaluation of a definition's paths costs no re-parsing.
/// <list type="bullet">
/// <item><see cref="Select"/>: what AWS substitutes for InputPath, OutputPath, ItemsPath and <c>"x.$"</c> template
/// values. Definite path: a copy of the node (JSON null → <c>null</c>); nothing there → <see cref="JsonPathException"/>
/// (States.Runtime). Indefinite path (<c>[*]</c>, slice, filter, <c>..</c>, unions): a new array of copies, <c>[]</c>
/// when nothing matches.</item>
/// <item><see cref="TrySelect"/>: same, but "not found" is <c>false</c> (Choice <c>IsPresent</c>, optional fields).</item>
/// <item><see cref="SelectAll"/>: always the array of matches.</item>
/// </list>
/// <c>$$…</c> paths are evaluated the same way: pass the Context Object as <c>root</c>
/// (<see cref="JsonPath.IsContextPath"/> tells the caller which root a path wants).
/// Invalid syntax throws <see cref="JsonPathSyntaxException"/>.
/// </summary>
public static class JsonPathEvaluator
{
    // Paths come from definitions, so the set is small; the bound only guards against unbounded distinct inputs.
    private const int CacheLimit = 10_000;
    private static readonly ConcurrentDictionary<string, JsonPath> Cache = new(StringComparer.Ordinal);

    /// <summary>Parses (or fetches from the cache) a path.</summary>
    public static JsonPath Compile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (Cache.TryGetValue(path, out var compiled))
        {
            return compiled;
        }

        compiled = JsonPath.Parse(path);
        if (Cache.Count < CacheLimit)
        {
            Cache.TryAdd(path, compiled);
        }

        return compiled;
    }

    /// <summary>True when <paramref name="value"/> is written as a path (starts with <c>$</c>), valid or not.</summary>
    public static bool LooksLikePath(string value) => value.StartsWith('$');

    /// <summary>The value a path stands for (see the class summary); the result never shares nodes with <paramref name="root"/>.</summary>
    public static JsonNode? Select(JsonNode? root, string path) => Compile(path).Select(root);

    /// <summary>Like <see cref="Select"/>, reporting a missing definite path as <c>false</c>.</summary>
    public static bool TrySelect(JsonNode? root, string path, out JsonNode? value) => Compile(path).TrySelect(root, out value);

    /// <summary>Every match, copied, in document order.</summary>
    public static JsonArray SelectAll(JsonNode? root, string path) => Compile(path).SelectAll(root);
}
