using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Phoenix.Asl.Paths;

namespace Phoenix.Asl.Intrinsics;

/// <summary>The implementations. Each validates its arguments and fails with a message naming the bad value.</summary>
internal static class StatesFunctions
{
    /// <summary>AWS: Base64Encode/Base64Decode/Hash take at most 10,000 characters of input.</summary>
    public const int MaxInputCharacters = 10_000;

    /// <summary>AWS: States.ArrayRange produces at most 1,000 items.</summary>
    public const int MaxRangeItems = 1000;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static readonly IntrinsicFunction[] All =
    [
        new("States.Format", 1, int.MaxValue, Format),
        new("States.StringToJson", 1, 1, StringToJson),
        new("States.JsonToString", 1, 1, JsonToString),
        new("States.Array", 0, int.MaxValue, MakeArray),
        new("States.ArrayPartition", 2, 2, ArrayPartition),
        new("States.ArrayContains", 2, 2, ArrayContains),
        new("States.ArrayRange", 3, 3, ArrayRange),
        new("States.ArrayGetItem", 2, 2, ArrayGetItem),
        new("States.ArrayLength", 1, 1, ArrayLength),
        new("States.ArrayUnique", 1, 1, ArrayUnique),
        new("States.Base64Encode", 1, 1, Base64Encode),
        new("States.Base64Decode", 1, 1, Base64Decode),
        new("States.Hash", 2, 2, Hash),
        new("States.JsonMerge", 3, 3, JsonMerge),
        new("States.MathRandom", 2, 3, MathRandom),
        new("States.MathAdd", 2, 2, MathAdd),
        new("States.StringSplit", 2, 2, StringSplit),
        new("States.UUID", 0, 0, (_, _) => JsonValue.Create(Guid.NewGuid().ToString())),
    ];

    /// <summary>
    /// Replaces each <c>{}</c> with the matching argument: strings as they are, other scalars as JSON text,
    /// objects and arrays Java-style (<c>{Arg1=1, Arg2=[]}</c>, as AWS renders them). In a literal template,
    /// <c>\{</c> and <c>\}</c> are plain braces. The number of placeholders must equal the number of arguments.
    /// </summary>
    private static JsonValue Format(IReadOnlyList<IntrinsicArgument> args, Func<string, JsonNode?> resolve)
    {
        const string name = "States.Format";
        string template;
        IReadOnlyList<int> placeholders;
        if (args[0] is LiteralArgument { Text: { } literal } templateLiteral)
        {
            template = literal;
            placeholders = templateLiteral.Placeholders;
        }
        else
        {
            template = RequireString(name, "the template (first argument)", args[0].Evaluate(resolve));
            placeholders = FindPlaceholders(template);
        }

        var values = args.Skip(1).Select(a => a.Evaluate(resolve)).ToList();
        if (placeholders.Count != values.Count)
        {
            throw new IntrinsicFunctionException(name, $"the template '{template}' has {placeholders.Count} placeholder(s) but {values.Count} argument(s) follow it");
        }

        var result = new StringBuilder(template.Length + (16 * values.Count));
        var from = 0;
        for (var i = 0; i < placeholders.Count; i++)
        {
            result.Append(template, from, placeholders[i] - from);
            AppendJavaStyle(result, values[i]);
            from = placeholders[i] + 2;
        }

        result.Append(template, from, template.Length - from);
        return JsonValue.Create(result.ToString());
    }

    private static List<int> FindPlaceholders(string template)
    {
        var offsets = new List<int>();
        for (var i = template.IndexOf("{}", StringComparison.Ordinal); i >= 0; i = template.IndexOf("{}", i + 2, StringComparison.Ordinal))
        {
            offsets.Add(i);
        }

        return offsets;
    }

    private static void AppendJavaStyle(StringBuilder text, JsonNode? node)
    {
        switch (node)
        {
            case null:
                text.Append("null");
                break;
            case JsonArray array:
                text.Append('[');
                for (var i = 0; i < array.Count; i++)
                {
                    if (i > 0)
                    {
                        text.Append(", ");
                    }

                    AppendJavaStyle(text, array[i]);
                }

                text.Append(']');
                break;
            case JsonObject obj:
                text.Append('{');
                var first = true;
                foreach (var (key, value) in obj)
                {
                    if (!first)
                    {
                        text.Append(", ");
                    }

                    first = false;
                    text.Append(key).Append('=');
                    AppendJavaStyle(text, value);
                }

                text.Append('}');
                break;
            default:
                text.Append(JsonValues.TryGetString(node, out var s) ? s : node.ToJsonString());
                break;
        }
    }

    /// <summary>Parses JSON text; AWS returns null for an empty or blank string.</summary>
    private static JsonNode? StringToJson(IReadOnlyList<IntrinsicArgument> args, Func<string, JsonNode?> resolve)
    {
        const string name = "States.StringToJson";
        var text = RequireString(name, "the argument", args[0].Evaluate(resolve));
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        try
        {
            return JsonValues.ParseLastWins(text);
        }
        catch (JsonException e)
        {
            throw new IntrinsicFunctionException(name, $"'{text}' is not valid JSON: {e.Message}");
        }
    }

    /// <summary>Compact JSON text, without escaping HTML-sensitive or non-ASCII characters (as AWS prints it).</summary>
    private static JsonValue JsonToString(IReadOnlyList<IntrinsicArgument> args, Func<string, JsonNode?> resolve) =>
        JsonValue.Create(ToCompactJson(args[0].Evaluate(resolve)));

    internal static string ToCompactJson(JsonNode? node)
    {
        if (node is null)
        {
            return "null";
        }

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            node.WriteTo(writer);
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static JsonArray MakeArray(IReadOnlyList<IntrinsicArgument> args, Func<string, JsonNode?> resolve)
    {
        var array = new JsonArray();
        foreach (var arg in args)
        {
            array.Add(Owned(arg, resolve));
        }

        return array;
    }

    /// <summary>Splits an array into chunks of the given size; the last chunk holds the rest.</summary>
    private static JsonArray ArrayPartition(IReadOnlyList<IntrinsicArgument> args, Func<string, JsonNode?> resolve)
    {
        const string name = "States.ArrayPartition";
        var array = RequireArray(name, "the first argument", args[0].Evaluate(resolve));
        var size = RequireInteger(name, "the chunk size", args[1].Evaluate(resolve));
        if (size <= 0)
        {
            throw new IntrinsicFunctionException(name, $"the chunk size must be greater than 0, got {size}");
        }

        var chunks = new JsonArray();
        for (var start = 0; start < array.Count; start += size)
        {
            var chunk = new JsonArray();
            for (var i = start; i < Math.Min(start + size, array.Count); i++)
            {
                chunk.Add(array[i]?.DeepClone());
            }

            chunks.Add((JsonNode)chunk);
        }

        return chunks;
    }

    private static JsonValue ArrayContains(IReadOnlyList<IntrinsicArgument> args, Func<string, JsonNode?> resolve)
    {
        var array = RequireArray("States.ArrayContains", "the first argument", args[0].Evaluate(resolve));
        var value = args[1].Evaluate(resolve);
        return JsonValue.Create(array.Any(item => JsonValues.DeepEquals(item, value)));
    }

    /// <summary>Integers from start to end inclusive by step; integer arguments only; at most 1,000 items.</summary>
    private static JsonArray ArrayRange(IReadOnlyList<IntrinsicArgument> args, Func<string, JsonNode?> resolve)
    {
        const string name = "States.ArrayRange";
        long start = RequireInteger(name, "the start", args[0].Evaluate(resolve));
        long end = RequireInteger(name, "the end", args[1].Evaluate(resolve));
        long step = RequireInteger(name, "the step", args[2].Evaluate(resolve));
        if (step == 0)
        {
            throw new IntrinsicFunctionException(name, "the step must not be 0");
        }

        var count = (step > 0 && start > end) || (step < 0 && start < end) ? 0 : ((end - start) / step) + 1;
        if (count > MaxRangeItems)
        {
            throw new IntrinsicFunctionException(name, $"the range from {start} to {end} by {step} has {count} items; arrays cannot contain more than {MaxRangeItems} items");
        }

        var range = new JsonArray();
        for (var i = 0L; i < count; i++)
        {
            range.Add((JsonNode)JsonValue.Create(start + (i * step)));
        }

        return range;
    }

    private static JsonNode? ArrayGetItem(IReadOnlyList<IntrinsicArgument> args, Func<string, JsonNode?> resolve)
    {
        const string name = "States.ArrayGetItem";
        var array = RequireArray(name, "the first argument", args[0].Evaluate(resolve));
        var index = RequireInteger(name, "the index", args[1].Evaluate(resolve));
        if (index < 0 || index >= array.Count)
        {
            throw new IntrinsicFunctionException(name, $"the index {index} is outside the array of {array.Count} item(s)");
        }

        return array[index]?.DeepClone();
    }

    private static JsonValue ArrayLength(IReadOnlyList<IntrinsicArgument> args, Func<string, JsonNode?> resolve) =>
        JsonValue.Create(RequireArray("States.ArrayLength", "the argument", args[0].Evaluate(resolve)).Count);

    /// <summary>Keeps the first occurrence of each value (compared as JSON values), in order.</summary>
    private static JsonArray ArrayUnique(IReadOnlyList<IntrinsicArgument> args, Func<string, JsonNode?> resolve)
    {
        var array = RequireArray("States.ArrayUnique", "the argument", args[0].Evaluate(resolve));
        var seen = new Dictionary<int, List<JsonNode?>>();
        var unique = new JsonArray();
        foreach (var item in array)
        {
            var hash = JsonHash(item);
            if (!seen.TryGetValue(hash, out var bucket))
            {
                bucket = [];
                seen[hash] = bucket;
            }

            if (bucket.Exists(other => JsonValues.DeepEquals(other, item)))
            {
                continue;
            }

            bucket.Add(item);
            unique.Add(item?.DeepClone());
        }

        return unique;
    }

    /// <summary>A hash consistent with <see cref="JsonValues.DeepEquals"/> (numbers by value, objects by key set).</summary>
    private static int JsonHash(JsonNode? node)
    {
        switch (JsonValues.KindOf(node))
        {
            case JsonValueKind.Number:
                return JsonValues.TryGetDecimal(node, out var d) ? d.GetHashCode() : JsonValues.TryGetDouble(node, out var f) ? f.GetHashCode() : 0;
            case JsonValueKind.String:
                return StringComparer.Ordinal.GetHashCode(node!.GetValue<string>());
            case JsonValueKind.Array:
                var arrayHash = new HashCode();
                foreach (var item in (JsonArray)node!)
                {
                    arrayHash.Add(JsonHash(item));
                }

                return arrayHash.ToHashCode();
            case JsonValueKind.Object:
                var objectHash = 17;
                foreach (var (key, value) in (JsonObject)node!)
                {
                    objectHash ^= HashCode.Combine(StringComparer.Ordinal.GetHashCode(key), JsonHash(value));
                }

                return objectHash;
            default:
                return (int)JsonValues.KindOf(node);
        }
    }

    private static JsonValue Base64Encode(IReadOnlyList<IntrinsicArgument> args, Func<string, JsonNode?> resolve)
    {
        const string name = "States.Base64Encode";
        var text = RequireLimitedString(name, args[0].Evaluate(resolve));
        return JsonValue.Create(Convert.ToBase64String(Encoding.UTF8.GetBytes(text)));
    }

    private static JsonValue Base64Decode(IReadOnlyList<IntrinsicArgument> args, Func<string, JsonNode?> resolve)
    {
        const string name = "States.Base64Decode";
        var text = RequireLimitedString(name, args[0].Evaluate(resolve));
        try
        {
            return JsonValue.Create(StrictUtf8.GetString(Convert.FromBase64String(Padded(text))));
        }
        catch (FormatException)
        {
            throw new IntrinsicFunctionException(name, $"'{text}' is not valid Base64");
        }
        catch (DecoderFallbackException)
        {
            throw new IntrinsicFunctionException(name, $"'{text}' does not decode to UTF-8 text");
        }
    }

    /// <summary>AWS decodes with Java's decoder, for which the trailing '=' padding is optional.</summary>
    private static string Padded(string text)
    {
        if (text.Contains('=', StringComparison.Ordinal))
        {
            return text;
        }

        var significant = text.Count(c => !char.IsWhiteSpace(c));
        return significant % 4 is 2 or 3 ? text + new string('=', 4 - (significant % 4)) : text;
    }

    /// <summary>Lower-case hex digest; algorithms MD5, SHA-1, SHA-256, SHA-384, SHA-512 (names as AWS spells them).</summary>
    private static JsonValue Hash(IReadOnlyList<IntrinsicArgument> args, Func<string, JsonNode?> resolve)
    {
        const string name = "States.Hash";
        var data = RequireLimitedString(name, args[0].Evaluate(resolve));
        var algorithm = RequireString(name, "the algorithm", args[1].Evaluate(resolve));
        var bytes = Encoding.UTF8.GetBytes(data);
#pragma warning disable CA5350, CA5351 // MD5 and SHA-1 are offered because AWS offers them; they protect nothing here.
        var digest = algorithm switch
        {
            "MD5" => MD5.HashData(bytes),
            "SHA-1" => SHA1.HashData(bytes),
            "SHA-256" => SHA256.HashData(bytes),
            "SHA-384" => SHA384.HashData(bytes),
            "SHA-512" => SHA512.HashData(bytes),
            _ => throw new IntrinsicFunctionException(name, $"unknown algorithm '{algorithm}'; use MD5, SHA-1, SHA-256, SHA-384 or SHA-512"),
        };
#pragma warning restore CA5350, CA5351
        return JsonValue.Create(Convert.ToHexStringLower(digest));
    }

    /// <summary>Shallow merge: keys of the second object replace those of the first. AWS rejects deep merging.</summary>
    private static JsonObject JsonMerge(IReadOnlyList<IntrinsicArgument> args, Func<string, JsonNode?> resolve)
    {
        const string name = "States.JsonMerge";
        var deep = args[2].Evaluate(resolve);
        if (!JsonValues.TryGetBoolean(deep, out var isDeep))
        {
            throw new IntrinsicFunctionException(name, $"the third argument (deep merge) must be a boolean, got {Describe(deep)}");
        }

        if (isDeep)
        {
            throw new IntrinsicFunctionException(name, "only shallow merging is supported; the third argument must be false");
        }

        var first = RequireObject(name, "the first argument", args[0].Evaluate(resolve));
        var second = RequireObject(name, "the second argument", args[1].Evaluate(resolve));
        var merged = (JsonObject)first.DeepClone();
        foreach (var (key, value) in second)
        {
            merged[key] = value?.DeepClone();
        }

        return merged;
    }

    /// <summary>
    /// A random integer from start (inclusive) to end (exclusive); non-integer bounds are rounded as AWS does;
    /// an optional integer seed makes the result repeatable.
    /// </summary>
    private static JsonValue MathRandom(IReadOnlyList<IntrinsicArgument> args, Func<string, JsonNode?> resolve)
    {
        const string name = "States.MathRandom";
        var start = RoundToInt(name, "the start", args[0].Evaluate(resolve));
        var end = RoundToInt(name, "the end", args[1].Evaluate(resolve));
        if (end < start)
        {
            throw new IntrinsicFunctionException(name, $"the end {end} is less than the start {start}");
        }

        var random = args.Count == 3 ? new Random(RequireInteger(name, "the seed", args[2].Evaluate(resolve))) : Random.Shared;
#pragma warning disable CA5394 // Not security-sensitive: AWS's MathRandom is a plain pseudo-random number.
        return JsonValue.Create(random.Next(start, end));
#pragma warning restore CA5394
    }

    /// <summary>Rounds each operand half up (Java Math.round: 1.5 → 2, -1.5 → -1), then adds (AWS behaviour 7).</summary>
    private static JsonValue MathAdd(IReadOnlyList<IntrinsicArgument> args, Func<string, JsonNode?> resolve)
    {
        const string name = "States.MathAdd";
        long left = RoundToInt(name, "the first argument", args[0].Evaluate(resolve));
        long right = RoundToInt(name, "the second argument", args[1].Evaluate(resolve));
        return JsonValue.Create(left + right);
    }

    /// <summary>Splits on every character of the delimiter and drops empty tokens (AWS behaviour 9).</summary>
    private static JsonArray StringSplit(IReadOnlyList<IntrinsicArgument> args, Func<string, JsonNode?> resolve)
    {
        const string name = "States.StringSplit";
        var text = RequireString(name, "the string (first argument)", args[0].Evaluate(resolve));
        var delimiters = RequireString(name, "the delimiter (second argument)", args[1].Evaluate(resolve));

        // string.Split with no separators splits on whitespace, so an empty delimiter set needs its own case.
        var tokens = delimiters.Length == 0
            ? (text.Length == 0 ? [] : [text])
            : text.Split(delimiters.ToCharArray(), StringSplitOptions.RemoveEmptyEntries);
        var result = new JsonArray();
        foreach (var token in tokens)
        {
            result.Add((JsonNode?)JsonValue.Create(token));
        }

        return result;
    }

    private static JsonNode? Owned(IntrinsicArgument argument, Func<string, JsonNode?> resolve)
    {
        var value = argument.Evaluate(resolve);
        return argument is PathArgument ? value?.DeepClone() : value;
    }

    private static string RequireString(string function, string what, JsonNode? value) =>
        JsonValues.TryGetString(value, out var s) ? s : throw new IntrinsicFunctionException(function, $"{what} must be a string, got {Describe(value)}");

    private static string RequireLimitedString(string function, JsonNode? value)
    {
        var text = RequireString(function, "the input", value);
        return text.Length <= MaxInputCharacters
            ? text
            : throw new IntrinsicFunctionException(function, $"the input has {text.Length} characters; the maximum is {MaxInputCharacters}");
    }

    private static JsonArray RequireArray(string function, string what, JsonNode? value) =>
        value as JsonArray ?? throw new IntrinsicFunctionException(function, $"{what} must be an array, got {Describe(value)}");

    private static JsonObject RequireObject(string function, string what, JsonNode? value) =>
        value as JsonObject ?? throw new IntrinsicFunctionException(function, $"{what} must be an object, got {Describe(value)}");

    private static int RequireInteger(string function, string what, JsonNode? value)
    {
        if (JsonValues.TryGetDecimal(value, out var d) && d == decimal.Truncate(d) && d is >= int.MinValue and <= int.MaxValue)
        {
            return (int)d;
        }

        throw new IntrinsicFunctionException(function, $"{what} must be an integer, got {Describe(value)}");
    }

    /// <summary>Java Math.round: floor(x + 0.5), so halves go up (towards positive infinity).</summary>
    private static int RoundToInt(string function, string what, JsonNode? value)
    {
        if (JsonValues.TryGetDecimal(value, out var d))
        {
            var rounded = decimal.Floor(d + 0.5m);
            if (rounded is >= int.MinValue and <= int.MaxValue)
            {
                return (int)rounded;
            }
        }

        throw new IntrinsicFunctionException(function, $"{what} must be a number between {int.MinValue} and {int.MaxValue}, got {Describe(value)}");
    }

    private static string Describe(JsonNode? value)
    {
        var text = ToCompactJson(value);
        if (text.Length > 200)
        {
            text = string.Concat(text.AsSpan(0, 200), "…");
        }

        return string.Create(CultureInfo.InvariantCulture, $"{JsonValues.KindName(value)} {text}");
    }
}
