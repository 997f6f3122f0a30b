// Library functions and evaluation steps return JSONata values, which are dynamically typed: object? throughout.
#pragma warning disable CA1859
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Phoenix.Asl.JsonAta;

/// <summary>A library function; one that takes the context (jsonata signature <c>-</c>) gets it first when called with too few arguments.</summary>
internal sealed class Builtin(string name, int required, int arity, bool contextArgument, Func<JsonataEvaluator, List<object?>, object?> body) : JFunction
{
    public string Name { get; } = name;

    public override int Arity => arity;

    public override object? Invoke(JsonataEvaluator evaluator, List<object?> args, object? context)
    {
        if (!contextArgument || args.Count >= required)
        {
            return body(evaluator, args);
        }

        try
        {
            return body(evaluator, [context, .. args]);
        }
        catch (JsonataException e) when (e.Code == "T0410" && e.Message.StartsWith("Argument 1 ", StringComparison.Ordinal))
        {
            throw new JsonataException("T0411", $"Context value is not a compatible type with argument 1 of function \"{Name}\"");
        }
    }
}

/// <summary>
/// The JSONata function library that state machines use, plus Step Functions' own ($partition, $range, $hash,
/// $random with a seed, $uuid, $parse). Behaviour follows jsonata-js 2.0 (checked by the differential tests).
/// </summary>
internal static class JsonataFunctions
{
    private static readonly Dictionary<string, Builtin> Functions = Build();
    private static readonly System.Buffers.SearchValues<char> PictureChars = System.Buffers.SearchValues.Create("0123456789#.,");

    public static bool TryGet(string name, out Builtin function) => Functions.TryGetValue(name, out function!);

    private static Dictionary<string, Builtin> Build()
    {
        var f = new Dictionary<string, Builtin>(StringComparer.Ordinal);
        void Add(string name, int required, int arity, bool context, Func<JsonataEvaluator, List<object?>, object?> body) =>
            f[name] = new Builtin(name, required, arity, context, body);

        // strings
        Add("string", 1, 1, true, (_, a) => Arg(a, 0) is null ? null : StringOf(Arg(a, 0), Arg(a, 1) is true));
        Add("length", 1, 1, true, (_, a) => Arg(a, 0) is null ? null : (double)new StringInfo(Str(a, 0, "length")).LengthInTextElements);
        Add("substring", 2, 3, true, (_, a) => Substring(a));
        Add("substringBefore", 2, 2, true, (_, a) => Arg(a, 0) is null ? null : Before(Str(a, 0, "substringBefore"), Str(a, 1, "substringBefore")));
        Add("substringAfter", 2, 2, true, (_, a) => Arg(a, 0) is null ? null : After(Str(a, 0, "substringAfter"), Str(a, 1, "substringAfter")));
        Add("uppercase", 1, 1, true, (_, a) => Arg(a, 0) is null ? null : Str(a, 0, "uppercase").ToUpperInvariant());
        Add("lowercase", 1, 1, true, (_, a) => Arg(a, 0) is null ? null : Str(a, 0, "lowercase").ToLowerInvariant());
        Add("trim", 1, 1, true, (_, a) => Arg(a, 0) is null ? null : Regex.Replace(Str(a, 0, "trim"), @"[ \t\n\r]+", " ").Trim(' '));
        Add("pad", 2, 3, true, (_, a) => Pad(a));
        Add("contains", 2, 2, true, (_, a) => Arg(a, 0) is null ? null : Arg(a, 1) is JRegex r ? r.Regex.IsMatch(Str(a, 0, "contains")) : Str(a, 0, "contains").Contains(Str(a, 1, "contains"), StringComparison.Ordinal));
        Add("split", 2, 3, true, (_, a) => Split(a));
        Add("join", 1, 2, false, (_, a) => Join(a));
        Add("replace", 3, 4, true, (e, a) => Replace(e, a));
        Add("match", 2, 3, true, (_, a) => MatchAll(a));
        Add("base64encode", 1, 1, true, (_, a) => Arg(a, 0) is null ? null : Convert.ToBase64String(Encoding.UTF8.GetBytes(Str(a, 0, "base64encode"))));
        Add("base64decode", 1, 1, true, (_, a) => Arg(a, 0) is null ? null : Encoding.UTF8.GetString(Convert.FromBase64String(Str(a, 0, "base64decode"))));
        Add("encodeUrlComponent", 1, 1, true, (_, a) => Arg(a, 0) is null ? null : Uri.EscapeDataString(Str(a, 0, "encodeUrlComponent")));
        Add("decodeUrlComponent", 1, 1, true, (_, a) => Arg(a, 0) is null ? null : Uri.UnescapeDataString(Str(a, 0, "decodeUrlComponent")));

        // numbers
        Add("number", 1, 1, true, (_, a) => ToNumber(Arg(a, 0)));
        Add("abs", 1, 1, true, (_, a) => Arg(a, 0) is null ? null : Math.Abs(Num(a, 0, "abs")));
        Add("floor", 1, 1, true, (_, a) => Arg(a, 0) is null ? null : Math.Floor(Num(a, 0, "floor")));
        Add("ceil", 1, 1, true, (_, a) => Arg(a, 0) is null ? null : Math.Ceiling(Num(a, 0, "ceil")));
        Add("round", 1, 2, true, (_, a) => Arg(a, 0) is null ? null : Round(Num(a, 0, "round"), Arg(a, 1) is double p ? (int)p : 0));
        Add("power", 2, 2, true, (_, a) => Arg(a, 0) is null ? null : Power(Num(a, 0, "power"), Num(a, 1, "power")));
        Add("sqrt", 1, 1, true, (_, a) => Arg(a, 0) is null ? null : Num(a, 0, "sqrt") < 0
            ? throw new JsonataException("D3060", $"The sqrt function cannot be applied to a negative number: {JValues.FormatNumber(Num(a, 0, "sqrt"))}")
            : Math.Sqrt(Num(a, 0, "sqrt")));
        Add("random", 0, 1, false, (_, a) => Arg(a, 0) is double seed ? new Random((int)seed).NextDouble() : Random.Shared.NextDouble());
        Add("formatNumber", 2, 3, true, (_, a) => Arg(a, 0) is null ? null : FormatNumber(Num(a, 0, "formatNumber"), Str(a, 1, "formatNumber")));
        Add("formatBase", 1, 2, true, (_, a) => Arg(a, 0) is null ? null : FormatBase(Num(a, 0, "formatBase"), Arg(a, 1) is double b ? (int)b : 10));
        Add("sum", 1, 1, false, (_, a) => Arg(a, 0) is null ? null : Numbers(a, "sum").Sum());
        Add("max", 1, 1, false, (_, a) => Arg(a, 0) is null || Numbers(a, "max").Count == 0 ? null : Numbers(a, "max").Max());
        Add("min", 1, 1, false, (_, a) => Arg(a, 0) is null || Numbers(a, "min").Count == 0 ? null : Numbers(a, "min").Min());
        Add("average", 1, 1, false, (_, a) => Arg(a, 0) is null || Numbers(a, "average").Count == 0 ? null : Numbers(a, "average").Average());

        // booleans and types
        Add("boolean", 1, 1, true, (_, a) => JValues.Boolean(Arg(a, 0)));
        Add("not", 1, 1, true, (_, a) => Arg(a, 0) is null ? null : !(JValues.Boolean(Arg(a, 0)) ?? false));
        Add("exists", 1, 1, false, (_, a) => Arg(a, 0) is not null);
        Add("type", 1, 1, false, (_, a) => Arg(a, 0) is null ? null : JValues.TypeName(Arg(a, 0)));
        Add("error", 0, 1, false, (_, a) => throw new JsonataException("D3137", Arg(a, 0) as string ?? "$error() function evaluated"));
        Add("assert", 1, 2, false, (_, a) => JValues.Boolean(Arg(a, 0)) == true ? null : throw new JsonataException("D3141", Arg(a, 1) as string ?? "$assert() statement failed"));

        // arrays
        Add("count", 1, 1, false, (_, a) => Arg(a, 0) switch { null => 0.0, JArr arr => (double)arr.Count, _ => 1.0 });
        Add("append", 2, 2, false, (_, a) => Append(Arg(a, 0), Arg(a, 1)));
        Add("reverse", 1, 1, false, (_, a) => Arg(a, 0) is null ? null : new JArr(Enumerable.Reverse(AsArray(Arg(a, 0)))));
        Add("distinct", 1, 1, false, (_, a) => Distinct(Arg(a, 0)));
        Add("sort", 1, 2, false, (e, a) => SortArray(e, Arg(a, 0), Arg(a, 1)));
        Add("shuffle", 1, 1, false, (_, a) => Arg(a, 0) is null ? null : new JArr(AsArray(Arg(a, 0)).OrderBy(_ => Random.Shared.Next())));
        Add("zip", 1, 1, false, (_, a) => Zip(a));
        Add("map", 2, 2, false, (e, a) => MapArray(e, a));
        Add("filter", 2, 2, false, (e, a) => FilterArray(e, a));
        Add("single", 1, 2, false, (e, a) => Single(e, a));
        Add("reduce", 2, 3, false, (e, a) => Reduce(e, a));

        // objects
        Add("keys", 1, 1, false, (_, a) => Keys(Arg(a, 0)));
        Add("lookup", 2, 2, false, (_, a) => JsonataEvaluator.Lookup(Arg(a, 0), Str(a, 1, "lookup")));
        Add("merge", 1, 1, false, (_, a) => Merge(Arg(a, 0)));
        Add("spread", 1, 1, false, (_, a) => Spread(Arg(a, 0)));
        Add("each", 2, 2, true, (e, a) => Each(e, a));
        Add("sift", 2, 2, true, (e, a) => Sift(e, a));

        // dates
        Add("now", 0, 2, false, (_, _) => DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
        Add("millis", 0, 0, false, (_, _) => (double)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        Add("toMillis", 1, 2, true, (_, a) => Arg(a, 0) is null ? null : ToMillis(Str(a, 0, "toMillis")));
        Add("fromMillis", 1, 3, true, (_, a) => Arg(a, 0) is null ? null : DateTimeOffset.FromUnixTimeMilliseconds((long)Num(a, 0, "fromMillis")).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));

        // Step Functions' additions (https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html)
        Add("partition", 2, 2, false, (_, a) => Partition(a));
        Add("range", 3, 3, false, (_, a) => StatesRange(a));
        Add("hash", 2, 2, false, (_, a) => Hash(a));
        Add("uuid", 0, 0, false, (_, _) => Guid.NewGuid().ToString());
        Add("parse", 1, 1, false, (_, a) => Parse(a));
        return f;
    }

    // ---- helpers

    private static object? Arg(List<object?> args, int i) => i < args.Count ? args[i] : null;

    private static string Str(List<object?> args, int i, string fn) => Arg(args, i) switch
    {
        string s => s,
        JArr { Count: 1 } arr when arr[0] is string s1 => s1,
        var other => throw new JsonataException("T0410", $"Argument {i + 1} of function \"{fn}\" does not match function signature ({JValues.TypeName(other)})"),
    };

    private static double Num(List<object?> args, int i, string fn) => Arg(args, i) switch
    {
        double d => d,
        JArr { Count: 1 } arr when arr[0] is double d1 => d1,
        var other => throw new JsonataException("T0410", $"Argument {i + 1} of function \"{fn}\" does not match function signature ({JValues.TypeName(other)})"),
    };

    private static List<double> Numbers(List<object?> args, string fn)
    {
        var list = AsArray(Arg(args, 0));
        if (!list.All(x => x is double))
        {
            throw new JsonataException("T0412", $"Argument 1 of function \"{fn}\" must be an array of numbers");
        }

        return [.. list.Cast<double>()];
    }

    public static JArr AsArray(object? value) => value switch
    {
        null => [],
        JArr arr => arr,
        _ => [value],
    };

    /// <summary><c>$string</c> / the <c>&amp;</c> operator: strings as they are, everything else as JSON (numbers to 15 significant digits).</summary>
    public static string StringOf(object? value, bool pretty = false) => value switch
    {
        null => string.Empty,
        string s => s,
        JFunction => string.Empty,
        double d when !double.IsFinite(d) => throw new JsonataException("D3001", "Attempting to invoke string function on Infinity or NaN"),
        double d => JValues.FormatNumber(JValues.Precision15(d)),
        _ => JValues.Stringify(value, pretty, roundNumbers: true),
    };

    private static object? ToNumber(object? value) => value switch
    {
        null => null,
        double d => d,
        bool b => b ? 1.0 : 0.0,
        string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) && !s.Contains(' ', StringComparison.Ordinal) => d,
        string s when s.StartsWith("0x", StringComparison.OrdinalIgnoreCase) && long.TryParse(s[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var h) => (double)h,
        _ => throw new JsonataException("D3030", $"Unable to cast value to a number: {JValues.Stringify(value, false, false)}"),
    };

    private static object? Substring(List<object?> a)
    {
        if (Arg(a, 0) is null)
        {
            return null;
        }

        var chars = StringInfo.GetTextElementEnumerator(Str(a, 0, "substring"));
        var elements = new List<string>();
        while (chars.MoveNext())
        {
            elements.Add((string)chars.Current);
        }

        var start = (int)Num(a, 1, "substring");
        var length = Arg(a, 2) is double l ? (int)l : int.MaxValue;
        if (start < 0)
        {
            start = Math.Max(0, elements.Count + start);
        }

        if (start >= elements.Count || length <= 0)
        {
            return string.Empty;
        }

        return string.Concat(elements.Skip(start).Take(length));
    }

    private static string Before(string s, string chars)
    {
        var i = s.IndexOf(chars, StringComparison.Ordinal);
        return i < 0 ? s : s[..i];
    }

    private static string After(string s, string chars)
    {
        var i = s.IndexOf(chars, StringComparison.Ordinal);
        return i < 0 ? s : s[(i + chars.Length)..];
    }

    private static object? Pad(List<object?> a)
    {
        if (Arg(a, 0) is null)
        {
            return null;
        }

        var s = Str(a, 0, "pad");
        var width = (int)Num(a, 1, "pad");
        var chars = Arg(a, 2) is string c && c.Length > 0 ? c : " ";
        var missing = Math.Abs(width) - s.Length;
        if (missing <= 0)
        {
            return s;
        }

        var padding = new StringBuilder();
        while (padding.Length < missing)
        {
            padding.Append(chars);
        }

        var pad = padding.ToString()[..missing];
        return width > 0 ? s + pad : pad + s;
    }

    private static object? Split(List<object?> a)
    {
        if (Arg(a, 0) is null)
        {
            return null;
        }

        var s = Str(a, 0, "split");
        var limit = Arg(a, 2) is double l ? (int)l : int.MaxValue;
        if (limit < 0)
        {
            throw new JsonataException("D3020", "Third argument of split function must evaluate to a positive number");
        }

        IEnumerable<string> parts = Arg(a, 1) switch
        {
            JRegex r => r.Regex.Split(s),
            string sep when sep.Length == 0 => s.Select(ch => ch.ToString()),
            string sep => s.Split(sep),
            _ => throw new JsonataException("T0410", "Argument 2 of function \"split\" does not match function signature"),
        };
        return new JArr(parts.Take(limit));
    }

    private static object? Join(List<object?> a)
    {
        if (Arg(a, 0) is null)
        {
            return null;
        }

        var items = AsArray(Arg(a, 0));
        if (!items.All(x => x is string))
        {
            throw new JsonataException("T0412", "Argument 1 of function \"join\" must be an array of strings");
        }

        var separator = Arg(a, 1) is null ? string.Empty : Str(a, 1, "join");
        return string.Join(separator, items.Cast<string>());
    }

    private static object? Replace(JsonataEvaluator e, List<object?> a)
    {
        if (Arg(a, 0) is null)
        {
            return null;
        }

        var s = Str(a, 0, "replace");
        var limit = Arg(a, 3) is double l ? (int)l : int.MaxValue;
        if (Arg(a, 1) is string pattern)
        {
            if (pattern.Length == 0)
            {
                throw new JsonataException("D3010", "Second argument of replace function cannot be an empty string");
            }

            var replacement = Str(a, 2, "replace");
            var result = new StringBuilder();
            var index = 0;
            var count = 0;
            while (count < limit)
            {
                var found = s.IndexOf(pattern, index, StringComparison.Ordinal);
                if (found < 0)
                {
                    break;
                }

                result.Append(s, index, found - index).Append(replacement);
                index = found + pattern.Length;
                count++;
            }

            return result.Append(s, index, s.Length - index).ToString();
        }

        if (Arg(a, 1) is not JRegex regex)
        {
            throw new JsonataException("T0410", "Argument 2 of function \"replace\" does not match function signature");
        }

        var replaced = 0;
        return regex.Regex.Replace(s, m =>
        {
            if (replaced++ >= limit)
            {
                return m.Value;
            }

            if (Arg(a, 2) is JFunction fn)
            {
                return fn.Invoke(e, [JRegex.MatchObject(m)], null) as string
                    ?? throw new JsonataException("D3012", "Attempted to replace a matched string with a non-string value");
            }

            return ExpandReplacement(Str(a, 2, "replace"), m);
        });
    }

    private static string ExpandReplacement(string replacement, Match m)
    {
        var result = new StringBuilder();
        for (var i = 0; i < replacement.Length; i++)
        {
            if (replacement[i] == '$' && i + 1 < replacement.Length)
            {
                if (replacement[i + 1] == '$')
                {
                    result.Append('$');
                    i++;
                    continue;
                }

                var j = i + 1;
                while (j < replacement.Length && char.IsDigit(replacement[j]))
                {
                    j++;
                }

                if (j > i + 1)
                {
                    var group = int.Parse(replacement[(i + 1)..j], CultureInfo.InvariantCulture);
                    result.Append(group < m.Groups.Count ? m.Groups[group].Value : string.Empty);
                    i = j - 1;
                    continue;
                }
            }

            result.Append(replacement[i]);
        }

        return result.ToString();
    }

    private static object? MatchAll(List<object?> a)
    {
        if (Arg(a, 0) is null)
        {
            return null;
        }

        if (Arg(a, 1) is not JRegex regex)
        {
            throw new JsonataException("T0410", "Argument 2 of function \"match\" does not match function signature");
        }

        var limit = Arg(a, 2) is double l ? (int)l : int.MaxValue;
        var result = new JArr { Sequence = true };
        foreach (Match m in regex.Regex.Matches(Str(a, 0, "match")))
        {
            if (result.Count >= limit)
            {
                break;
            }

            result.Add(JRegex.MatchObject(m));
        }

        return result;
    }

    /// <summary>Round half to even at <paramref name="precision"/> decimal places, as <c>$round</c> does.</summary>
    private static double Round(double value, int precision)
    {
        var shifted = double.Parse(value.ToString("R", CultureInfo.InvariantCulture).Contains('E', StringComparison.Ordinal)
            ? (value * Math.Pow(10, precision)).ToString("R", CultureInfo.InvariantCulture)
            : ((decimal)value * (decimal)Math.Pow(10, precision)).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        var rounded = Math.Round(shifted, MidpointRounding.ToEven);
        return precision == 0 ? rounded : (double)((decimal)rounded / (decimal)Math.Pow(10, precision));
    }

    private static double Power(double x, double y)
    {
        var result = Math.Pow(x, y);
        return double.IsFinite(result) ? result
            : throw new JsonataException("D3061", $"The power function has resulted in a value that cannot be represented as a JSON number: base={JValues.FormatNumber(x)}, exponent={JValues.FormatNumber(y)}");
    }

    private static string FormatBase(double value, int radix)
    {
        if (radix is < 2 or > 36)
        {
            throw new JsonataException("D3100", $"The radix of the formatBase function must be between 2 and 36.  It was given {radix}");
        }

        var n = (long)Math.Round(value, MidpointRounding.ToEven);
        if (n == 0)
        {
            return "0";
        }

        var negative = n < 0;
        n = Math.Abs(n);
        var digits = new StringBuilder();
        while (n > 0)
        {
            digits.Insert(0, "0123456789abcdefghijklmnopqrstuvwxyz"[(int)(n % radix)]);
            n /= radix;
        }

        return (negative ? "-" : string.Empty) + digits;
    }

    /// <summary>
    /// <c>$formatNumber</c> for the XPath picture strings ASL users write: optional prefix/suffix, grouping with ',',
    /// mandatory '0' and optional '#' digits, a '.' fraction, '%' and '‰'. Exponent pictures are not supported.
    /// </summary>
    private static string FormatNumber(double value, string picture)
    {
        var sub = picture.Split(';');
        var pic = value < 0 && sub.Length > 1 ? sub[1] : sub[0];
        var prefixEnd = pic.AsSpan().IndexOfAny(PictureChars);
        var suffixStart = pic.AsSpan().LastIndexOfAny(PictureChars) + 1;
        if (prefixEnd < 0)
        {
            throw new JsonataException("D3085", "The picture string must contain at least one digit");
        }

        var prefix = pic[..prefixEnd];
        var suffix = pic[suffixStart..];
        var body = pic[prefixEnd..suffixStart];
        if (suffix.Contains('%', StringComparison.Ordinal) || prefix.Contains('%', StringComparison.Ordinal))
        {
            value *= 100;
        }
        else if (suffix.Contains('‰', StringComparison.Ordinal) || prefix.Contains('‰', StringComparison.Ordinal))
        {
            value *= 1000;
        }

        var dot = body.IndexOf('.', StringComparison.Ordinal);
        var integerPart = dot < 0 ? body : body[..dot];
        var fractionPart = dot < 0 ? string.Empty : body[(dot + 1)..];
        var minFraction = fractionPart.Count(c => c == '0' || char.IsDigit(c));
        var maxFraction = fractionPart.Count(c => c == '#' || char.IsDigit(c));
        var minInteger = integerPart.Count(char.IsDigit);
        var grouping = integerPart.LastIndexOf(',') is var g and >= 0 ? integerPart.Length - g - 1 : 0;
        var rounded = Math.Round(Math.Abs(value), maxFraction, MidpointRounding.ToEven);
        var text = rounded.ToString("F" + maxFraction, CultureInfo.InvariantCulture);
        var parts = text.Split('.');
        var integerDigits = parts[0].TrimStart('0');
        integerDigits = integerDigits.PadLeft(minInteger, '0');
        var fraction = parts.Length > 1 ? parts[1].TrimEnd('0') : string.Empty;
        fraction = fraction.PadRight(minFraction, '0');
        if (grouping > 0)
        {
            var grouped = new StringBuilder();
            for (var i = 0; i < integerDigits.Length; i++)
            {
                if (i > 0 && (integerDigits.Length - i) % grouping == 0)
                {
                    grouped.Append(',');
                }

                grouped.Append(integerDigits[i]);
            }

            integerDigits = grouped.ToString();
        }

        var result = fraction.Length > 0 ? $"{integerDigits}.{fraction}" : integerDigits;
        var sign = value < 0 && sub.Length == 1 ? "-" : string.Empty;
        return sign + prefix + result + suffix;
    }

    /// <summary><c>$append</c>: both values as arrays, joined (undefined on one side gives the other).</summary>
    public static object? Append(object? a, object? b)
    {
        if (a is null)
        {
            return b;
        }

        if (b is null)
        {
            return a;
        }

        var result = new JArr(AsArray(a));
        result.AddRange(AsArray(b));
        return result;
    }

    private static object? Distinct(object? value)
    {
        if (value is not JArr arr)
        {
            return value;
        }

        var result = new JArr();
        foreach (var item in arr)
        {
            if (!result.Any(x => JValues.DeepEquals(x, item)))
            {
                result.Add(item);
            }
        }

        return result;
    }

    private static object? SortArray(JsonataEvaluator e, object? value, object? comparator)
    {
        if (value is null)
        {
            return null;
        }

        var items = AsArray(value).ToList();
        if (comparator is JFunction fn)
        {
            // The comparator says whether a belongs after b.
            return new JArr(JsonataEvaluator.MergeSort(items, (x, y) => JValues.Boolean(fn.Invoke(e, [x, y], null)) == true ? 1 : -1));
        }

        if (items.All(x => x is double))
        {
            return new JArr(JsonataEvaluator.MergeSort(items, (x, y) => ((double)x!).CompareTo((double)y!)));
        }

        if (items.All(x => x is string))
        {
            return new JArr(JsonataEvaluator.MergeSort(items, (x, y) => string.CompareOrdinal((string)x!, (string)y!)));
        }

        throw new JsonataException("D3070", "The single argument form of the sort function can only be applied to an array of strings or an array of numbers.  Use the second argument to specify a comparison function");
    }

    private static object? Zip(List<object?> a)
    {
        var arrays = a.Select(AsArray).ToList();
        var length = arrays.Count == 0 ? 0 : arrays.Min(x => x.Count);
        var result = new JArr();
        for (var i = 0; i < length; i++)
        {
            result.Add(new JArr(arrays.Select(x => x[i])));
        }

        return result;
    }

    /// <summary>Arguments for a callback: the value, then index and array as far as the function takes them.</summary>
    private static List<object?> CallbackArgs(JFunction fn, params object?[] all) => [.. all.Take(Math.Max(1, fn.Arity))];

    private static JFunction Fn(List<object?> a, int i, string name) =>
        Arg(a, i) as JFunction ?? throw new JsonataException("T0410", $"Argument {i + 1} of function \"{name}\" does not match function signature");

    private static object? MapArray(JsonataEvaluator e, List<object?> a)
    {
        if (Arg(a, 0) is null)
        {
            return null;
        }

        var items = AsArray(Arg(a, 0));
        var fn = Fn(a, 1, "map");
        var result = new JArr { Sequence = true };
        for (var i = 0; i < items.Count; i++)
        {
            var v = fn.Invoke(e, CallbackArgs(fn, items[i], (double)i, items), null);
            if (v is not null)
            {
                result.Add(v);
            }
        }

        return result;
    }

    private static object? FilterArray(JsonataEvaluator e, List<object?> a)
    {
        if (Arg(a, 0) is null)
        {
            return null;
        }

        var items = AsArray(Arg(a, 0));
        var fn = Fn(a, 1, "filter");
        var result = new JArr { Sequence = true };
        for (var i = 0; i < items.Count; i++)
        {
            if (JValues.Boolean(fn.Invoke(e, CallbackArgs(fn, items[i], (double)i, items), null)) == true)
            {
                result.Add(items[i]);
            }
        }

        return result;
    }

    private static object? Single(JsonataEvaluator e, List<object?> a)
    {
        if (Arg(a, 0) is null)
        {
            return null;
        }

        var items = AsArray(Arg(a, 0));
        var fn = Arg(a, 1) as JFunction;
        object? found = null;
        var hasFound = false;
        for (var i = 0; i < items.Count; i++)
        {
            if (fn is null || JValues.Boolean(fn.Invoke(e, CallbackArgs(fn, items[i], (double)i, items), null)) == true)
            {
                if (hasFound)
                {
                    throw new JsonataException("D3138", "The $single() function expected exactly 1 matching result.  Instead it matched more.");
                }

                found = items[i];
                hasFound = true;
            }
        }

        return hasFound ? found : throw new JsonataException("D3139", "The $single() function expected exactly 1 matching result.  Instead it matched 0.");
    }

    private static object? Reduce(JsonataEvaluator e, List<object?> a)
    {
        if (Arg(a, 0) is null)
        {
            return null;
        }

        var items = AsArray(Arg(a, 0));
        var fn = Fn(a, 1, "reduce");
        if (fn.Arity < 2)
        {
            throw new JsonataException("D3050", "The second argument of reduce function must be a function with at least two arguments");
        }

        var index = 0;
        object? result;
        if (a.Count > 2)
        {
            result = Arg(a, 2);
        }
        else
        {
            result = items.Count > 0 ? items[0] : null;
            index = 1;
        }

        for (; index < items.Count; index++)
        {
            result = fn.Invoke(e, [.. new[] { result, items[index], (double)index, items }.Take(Math.Max(2, fn.Arity))], null);
        }

        return result;
    }

    private static object? Keys(object? value)
    {
        var result = new JArr { Sequence = true };
        foreach (var item in AsArray(value))
        {
            if (item is JObj obj)
            {
                foreach (var key in obj.Keys.Where(k => !result.Contains(k)))
                {
                    result.Add(key);
                }
            }
        }

        return result;
    }

    private static object? Merge(object? value)
    {
        if (value is null)
        {
            return null;
        }

        var result = new JObj();
        foreach (var item in AsArray(value))
        {
            if (item is not JObj obj)
            {
                throw new JsonataException("T0412", "Argument 1 of function \"merge\" must be an array of objects");
            }

            foreach (var (k, v) in obj)
            {
                result[k] = v;
            }
        }

        return result;
    }

    private static object? Spread(object? value)
    {
        var result = new JArr { Sequence = true };
        foreach (var item in AsArray(value))
        {
            if (item is JObj obj)
            {
                foreach (var (k, v) in obj)
                {
                    result.Add(new JObj { [k] = v });
                }
            }
            else
            {
                result.Add(item);
            }
        }

        return result;
    }

    private static object? Each(JsonataEvaluator e, List<object?> a)
    {
        if (Arg(a, 0) is not JObj obj)
        {
            return null;
        }

        var fn = Fn(a, 1, "each");
        var result = new JArr { Sequence = true };
        foreach (var (k, v) in obj)
        {
            var r = fn.Invoke(e, CallbackArgs(fn, v, k, obj), null);
            if (r is not null)
            {
                result.Add(r);
            }
        }

        return result;
    }

    private static object? Sift(JsonataEvaluator e, List<object?> a)
    {
        if (Arg(a, 0) is not JObj obj)
        {
            return null;
        }

        var fn = Fn(a, 1, "sift");
        var result = new JObj();
        foreach (var (k, v) in obj)
        {
            if (JValues.Boolean(fn.Invoke(e, CallbackArgs(fn, v, k, obj), null)) == true)
            {
                result[k] = v;
            }
        }

        return result.Count == 0 ? null : result;
    }

    private static object? ToMillis(string text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)
            ? (double)t.ToUnixTimeMilliseconds()
            : throw new JsonataException("D3110", $"The timestamp \"{text}\" is not in ISO 8601 format");

    public static object DeepCopy(object value) => value switch
    {
        JArr arr => new JArr(arr.Select(x => x is null ? null : DeepCopy(x))) { Sequence = arr.Sequence, Cons = arr.Cons },
        JObj obj => CopyObject(obj),
        _ => value,
    };

    private static JObj CopyObject(JObj obj)
    {
        var copy = new JObj();
        foreach (var (k, v) in obj)
        {
            copy[k] = v is null ? null : DeepCopy(v);
        }

        return copy;
    }

    private static object? Partition(List<object?> a)
    {
        var items = Arg(a, 0) as JArr ?? throw new JsonataException("T0410", "Argument 1 of function \"partition\" must be an array");
        var size = Arg(a, 1) is double d && d == Math.Floor(d) && d > 0 ? (int)d
            : throw new JsonataException("T0410", "Argument 2 of function \"partition\" must be a positive integer");
        var result = new JArr();
        for (var i = 0; i < items.Count; i += size)
        {
            result.Add(new JArr(items.Skip(i).Take(size)));
        }

        return result;
    }

    private static object? StatesRange(List<object?> a)
    {
        if (Arg(a, 0) is not double start || Arg(a, 1) is not double end || Arg(a, 2) is not double step || step == 0)
        {
            throw new JsonataException("T0410", "Arguments of function \"range\" must be numbers: start, end and a non-zero step");
        }

        // A sequence, as Step Functions returns it: a single value is not wrapped in an array (recorded: $range(1, 1, 1) is 1).
        var result = new JArr { Sequence = true };
        for (var v = start; step > 0 ? v <= end : v >= end; v += step)
        {
            result.Add(v);
            if (result.Count > 1000)
            {
                throw new JsonataException("D3140", "The range function returns at most 1000 items");
            }
        }

        return result;
    }

    private static object? Hash(List<object?> a)
    {
        var data = Encoding.UTF8.GetBytes(Str(a, 0, "hash"));
        byte[] digest = Str(a, 1, "hash") switch
        {
#pragma warning disable CA5351, CA5350 // The algorithms Step Functions' $hash offers; not used for security here.
            "MD5" => MD5.HashData(data),
            "SHA-1" => SHA1.HashData(data),
#pragma warning restore CA5351, CA5350
            "SHA-256" => SHA256.HashData(data),
            "SHA-384" => SHA384.HashData(data),
            "SHA-512" => SHA512.HashData(data),
            var other => throw new JsonataException("T0410", $"The hash algorithm '{other}' is not one of MD5, SHA-1, SHA-256, SHA-384, SHA-512"),
        };
        return Convert.ToHexStringLower(digest);
    }

    private static object? Parse(List<object?> a)
    {
        try
        {
            return JValues.FromJson(System.Text.Json.Nodes.JsonNode.Parse(Str(a, 0, "parse")));
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new JsonataException("D3140", $"The argument of function \"parse\" is not valid JSON: {e.Message}");
        }
    }
}
