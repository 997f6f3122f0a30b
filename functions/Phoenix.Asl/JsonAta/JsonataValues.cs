using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Phoenix.Asl.JsonAta;

// JSONata values as .NET objects: C# null is JSONata's "undefined" (no value), JNull.Value is JSON null, numbers are
// double, strings, bools, JArr (arrays and result sequences), JObj (insertion-ordered objects), JFunction.

/// <summary>JSON null (distinct from undefined, which is C# null).</summary>
internal sealed class JNull
{
    public static readonly JNull Value = new();

    private JNull()
    {
    }
}

/// <summary>
/// An array. <see cref="Sequence"/> marks a result sequence (flattened by paths, unwrapped when it holds one value);
/// <see cref="Cons"/> an array built by an array constructor (kept as one value inside paths).
/// </summary>
internal sealed class JArr : List<object?>
{
    public JArr()
    {
    }

    public JArr(IEnumerable<object?> items)
        : base(items)
    {
    }

    public bool Sequence { get; set; }

    public bool KeepSingleton { get; set; }

    public bool Cons { get; set; }

    /// <summary>The one-item sequence around an array given as the whole input, so that paths see the array as one value.</summary>
    public bool OuterWrapper { get; set; }

    public static JArr Seq(params object?[] items) => new(items) { Sequence = true };
}

internal sealed class JObj : OrderedDictionary<string, object?>
{
    public JObj()
        : base(StringComparer.Ordinal)
    {
    }
}

internal abstract class JFunction
{
    public abstract int Arity { get; }

    public abstract object? Invoke(JsonataEvaluator evaluator, List<object?> args, object? context);
}

internal sealed class JRegex(string pattern, string flags) : JFunction
{
    public Regex Regex { get; } = new(
        pattern,
        (flags.Contains('i', StringComparison.Ordinal) ? RegexOptions.IgnoreCase : RegexOptions.None)
        | (flags.Contains('m', StringComparison.Ordinal) ? RegexOptions.Multiline : RegexOptions.None),
        TimeSpan.FromSeconds(1));

    public override int Arity => 1;

    /// <summary>A regex applied to a string gives the match object <c>{match, start, end, groups, next}</c>.</summary>
    public override object? Invoke(JsonataEvaluator evaluator, List<object?> args, object? context) =>
        args.Count > 0 && args[0] is string s ? MatchObject(Regex.Match(s)) : null;

    public static JObj? MatchObject(Match m)
    {
        if (!m.Success)
        {
            return null;
        }

        var groups = new JArr();
        for (var i = 1; i < m.Groups.Count; i++)
        {
            groups.Add(m.Groups[i].Value);
        }

        return new JObj { ["match"] = m.Value, ["index"] = (double)m.Index, ["groups"] = groups };
    }
}

internal static class JValues
{
    public static object? FromJson(JsonNode? node) => node switch
    {
        null => JNull.Value,
        JsonObject o => FromObject(o),
        JsonArray a => new JArr(a.Select(FromJson)),
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => v.GetValue<string>(),
            JsonValueKind.Number => v.TryGetValue<double>(out var d) ? d : double.Parse(v.ToJsonString(), CultureInfo.InvariantCulture),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => JNull.Value,
        },
        _ => JNull.Value,
    };

    private static JObj FromObject(JsonObject o)
    {
        var result = new JObj();
        foreach (var (key, value) in o)
        {
            result[key] = FromJson(value);
        }

        return result;
    }

    /// <summary>To JSON; undefined members and items are dropped (as JSON.stringify does). Functions have no JSON form.</summary>
    public static JsonNode? ToJson(object? value) => value switch
    {
        null or JNull => null,
        string s => JsonValue.Create(s),
        bool b => JsonValue.Create(b),
        double d => double.IsFinite(d) ? Number(d) : null,
        JArr a => new JsonArray([.. a.Where(x => x is not null && x is not JFunction).Select(ToJson)]),
        JObj o => ToObject(o),
        JFunction => throw new InvalidOperationException("a function has no JSON value"),
        _ => throw new InvalidOperationException($"unexpected value {value.GetType().Name}"),
    };

    public static bool ContainsFunction(object? value) => value switch
    {
        JFunction => true,
        JArr a => a.Any(ContainsFunction),
        JObj o => o.Values.Any(ContainsFunction),
        _ => false,
    };

    private static JsonObject ToObject(JObj o)
    {
        var result = new JsonObject();
        foreach (var (key, value) in o)
        {
            if (value is not null and not JFunction)
            {
                result[key] = ToJson(value);
            }
        }

        return result;
    }

    // Parsed from text, so the node converts to any numeric type (GetValue<int>, <decimal>, …) like parsed input does.
    public static JsonNode Number(double d) =>
        JsonNode.Parse(d == Math.Floor(d) && Math.Abs(d) < 9007199254740992
            ? ((long)d).ToString(CultureInfo.InvariantCulture)
            : d.ToString("R", CultureInfo.InvariantCulture))!;

    public static bool IsNumber(object? v) => v is double;

    public static bool IsArrayOfNumbers(object? v) => v is JArr a && a.All(x => x is double);

    public static bool IsArrayOfStrings(object? v) => v is JArr a && a.All(x => x is string);

    /// <summary>JSONata's boolean cast (<c>$boolean</c>): empty strings, 0, empty arrays/objects, null and undefined are false.</summary>
    public static bool? Boolean(object? value) => value switch
    {
        null => null,
        JNull => false,
        bool b => b,
        double d => d != 0,
        string s => s.Length > 0,
        JArr a => a.Count == 1 ? Boolean(a[0]) : a.Any(x => Boolean(x) == true),
        JObj o => o.Count > 0,
        JFunction => false,
        _ => false,
    };

    public static bool DeepEquals(object? a, object? b)
    {
        switch (a)
        {
            case null:
                return b is null;
            case JNull:
                return b is JNull;
            case double x:
                return b is double bx && x == bx;
            case string s:
                return b is string t && s == t;
            case bool p:
                return b is bool q && p == q;
            case JArr xa:
                return b is JArr ya && xa.Count == ya.Count && xa.Zip(ya).All(z => DeepEquals(z.First, z.Second));
            case JObj xo:
                return b is JObj yo && xo.Count == yo.Count && xo.All(kv => yo.TryGetValue(kv.Key, out var v) && DeepEquals(kv.Value, v));
            default:
                return ReferenceEquals(a, b);
        }
    }

    public static string TypeName(object? value) => value switch
    {
        null => "undefined",
        JNull => "null",
        double => "number",
        string => "string",
        bool => "boolean",
        JArr => "array",
        JFunction => "function",
        _ => "object",
    };

    /// <summary>Number to text the way JavaScript's <c>String(n)</c> writes it.</summary>
    public static string FormatNumber(double d)
    {
        if (d == 0)
        {
            return "0";
        }

        var r = d.ToString("R", CultureInfo.InvariantCulture);
        var e = r.IndexOf('E', StringComparison.Ordinal);
        string mantissa;
        int exponent;
        if (e < 0)
        {
            mantissa = r;
            exponent = 0;
        }
        else
        {
            mantissa = r[..e];
            exponent = int.Parse(r[(e + 1)..], CultureInfo.InvariantCulture);
        }

        var negative = mantissa.StartsWith('-');
        if (negative)
        {
            mantissa = mantissa[1..];
        }

        var dot = mantissa.IndexOf('.', StringComparison.Ordinal);
        var digits = dot < 0 ? mantissa : mantissa.Remove(dot, 1);
        var pointPos = (dot < 0 ? mantissa.Length : dot) + exponent;
        var leading = digits.TakeWhile(c => c == '0').Count();
        digits = digits.TrimStart('0');
        pointPos -= leading;
        digits = digits.TrimEnd('0');
        if (digits.Length == 0)
        {
            return "0";
        }

        // JavaScript: n = position of the point relative to the digits; decimal form when -6 < n <= 21.
        var text = new StringBuilder(negative ? "-" : string.Empty);
        if (pointPos > 21 || pointPos <= -6)
        {
            text.Append(digits[0]);
            if (digits.Length > 1)
            {
                text.Append('.').Append(digits, 1, digits.Length - 1);
            }

            var exp = pointPos - 1;
            text.Append('e').Append(exp >= 0 ? "+" : "-").Append(Math.Abs(exp).ToString(CultureInfo.InvariantCulture));
        }
        else if (pointPos <= 0)
        {
            text.Append("0.").Append('0', -pointPos).Append(digits);
        }
        else if (pointPos >= digits.Length)
        {
            text.Append(digits).Append('0', pointPos - digits.Length);
        }
        else
        {
            text.Append(digits, 0, pointPos).Append('.').Append(digits, pointPos, digits.Length - pointPos);
        }

        return text.ToString();
    }

    /// <summary>JSON text as <c>JSON.stringify</c> writes it (numbers JavaScript-style; optional 2-space indent).</summary>
    public static string Stringify(object? value, bool pretty, bool roundNumbers)
    {
        var text = new StringBuilder();
        Write(value, text, pretty, roundNumbers, 0);
        return text.ToString();
    }

    private static void Write(object? value, StringBuilder text, bool pretty, bool round, int indent)
    {
        switch (value)
        {
            case null or JFunction:
                text.Append("null");
                break;
            case JNull:
                text.Append("null");
                break;
            case bool b:
                text.Append(b ? "true" : "false");
                break;
            case double d:
                text.Append(double.IsFinite(d) ? FormatNumber(round ? Precision15(d) : d) : "null");
                break;
            case string s:
                text.Append(Quote(s));
                break;
            case JArr a:
            {
                text.Append('[');
                var first = true;
                foreach (var item in a)
                {
                    text.Append(first ? string.Empty : ",");
                    NewLine(text, pretty, indent + 1);
                    Write(item is null or JFunction ? null : item, text, pretty, round, indent + 1);
                    first = false;
                }

                if (!first)
                {
                    NewLine(text, pretty, indent);
                }

                text.Append(']');
                break;
            }

            case JObj o:
            {
                text.Append('{');
                var first = true;
                foreach (var (key, item) in o)
                {
                    if (item is null or JFunction)
                    {
                        continue;
                    }

                    text.Append(first ? string.Empty : ",");
                    NewLine(text, pretty, indent + 1);
                    text.Append(Quote(key)).Append(pretty ? ": " : ":");
                    Write(item, text, pretty, round, indent + 1);
                    first = false;
                }

                if (!first)
                {
                    NewLine(text, pretty, indent);
                }

                text.Append('}');
                break;
            }
        }
    }

    private static void NewLine(StringBuilder text, bool pretty, int indent)
    {
        if (pretty)
        {
            text.Append('\n').Append(' ', indent * 2);
        }
    }

    public static double Precision15(double d) =>
        d == Math.Floor(d) ? d : double.Parse(d.ToString("G15", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    private static readonly JsonSerializerOptions JsonOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static string Quote(string s) => JsonValue.Create(s).ToJsonString(JsonOptions);
}
