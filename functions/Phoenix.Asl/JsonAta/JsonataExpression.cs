using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace Phoenix.Asl.JsonAta;

/// <summary>The outcome of an evaluation: JSONata distinguishes "no value" (undefined) from JSON null.</summary>
public readonly record struct JsonataResult(bool IsDefined, JsonNode? Value, bool IsFunction);

/// <summary>
/// A compiled JSONata expression (Phoenix.Asl's own evaluator: no .NET JSONata package is available). Parsed once and
/// cached per text; evaluation is independent per call.
/// </summary>
public sealed class JsonataExpression
{
    private const int CacheLimit = 10_000;
    private static readonly ConcurrentDictionary<string, JsonataExpression> Cache = new(StringComparer.Ordinal);
    private readonly Node _root;

    private JsonataExpression(string text, Node root)
    {
        Text = text;
        _root = root;
    }

    public string Text { get; }

    /// <summary>Parses <paramref name="text"/>; a syntax error is a <see cref="JsonataException"/>.</summary>
    public static JsonataExpression Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (Cache.TryGetValue(text, out var cached))
        {
            return cached;
        }

        var expression = new JsonataExpression(text, JsonataParser.Parse(text));
        if (Cache.Count < CacheLimit)
        {
            Cache.TryAdd(text, expression);
        }

        return expression;
    }

    /// <summary>
    /// Evaluates against <paramref name="input"/> (<c>$</c>); <paramref name="variables"/> answers other <c>$name</c>s
    /// (found, value). Failures are <see cref="JsonataException"/>s with the reference implementation's codes.
    /// </summary>
    public JsonataResult Evaluate(JsonNode? input, Func<string, (bool Found, JsonNode? Value)>? variables = null)
    {
        var converted = new Dictionary<string, object?>(StringComparer.Ordinal);
        (bool, object?) Host(string name)
        {
            if (converted.TryGetValue(name, out var value))
            {
                return (true, value);
            }

            if (variables?.Invoke(name) is { Found: true } hit)
            {
                value = JValues.FromJson(hit.Value);
                converted[name] = value;
                return (true, value);
            }

            return (false, null);
        }

        var evaluator = new JsonataEvaluator(Host);
        var context = JValues.FromJson(input);
        if (context is JArr array)
        {
            context = new JArr([array]) { Sequence = true, OuterWrapper = true };
        }

        var result = evaluator.Evaluate(_root, context, new Env(evaluator.Root));
        if (result is JArr { Sequence: true, Count: 1, KeepSingleton: false } single)
        {
            result = single[0];
        }

        return result switch
        {
            null => new JsonataResult(false, null, false),
            JFunction => new JsonataResult(true, null, true),
            _ when JValues.ContainsFunction(result) && result is not JArr and not JObj => new JsonataResult(true, null, true),
            _ => new JsonataResult(true, JValues.ToJson(result), false),
        };
    }
}
