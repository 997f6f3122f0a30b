using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Phoenix.Asl.Model;

namespace Phoenix.Asl;

/// <summary>Evaluates Choice rules. Type mismatches are false, as in Step Functions; a missing Variable is a runtime error except for IsPresent.</summary>
internal static class ChoiceEvaluator
{
    public static bool Evaluate(ChoiceRule rule, JsonNode? input, Func<JsonNode> context, Func<string, AslFailure> fail)
    {
        if (rule.And is { } and)
        {
            foreach (var r in and)
            {
                if (!Evaluate(r, input, context, fail))
                {
                    return false;
                }
            }

            return true;
        }

        if (rule.Or is { } or)
        {
            foreach (var r in or)
            {
                if (Evaluate(r, input, context, fail))
                {
                    return true;
                }
            }

            return false;
        }

        if (rule.Not is { } not)
        {
            return !Evaluate(not, input, context, fail);
        }

        var op = rule.Operator!;
        var present = AslPaths.TrySelect(rule.Variable!, input, context, out var value);
        if (op == "IsPresent")
        {
            return present == IsTrue(rule.Operand);
        }

        if (!present)
        {
            throw fail($"Invalid path '{rule.Variable}': The choice state's condition path references an invalid value.");
        }

        var operand = rule.Operand;
        if (op.EndsWith("Path", StringComparison.Ordinal))
        {
            var path = operand!.GetValue<string>();
            if (!AslPaths.TrySelect(path, input, context, out operand))
            {
                throw fail($"Invalid path '{path}': The choice state's condition path references an invalid value.");
            }

            op = op[..^4];
        }

        return op switch
        {
            "IsNull" => (value is null) == IsTrue(operand),
            "IsNumeric" => (Kind(value) == JsonValueKind.Number) == IsTrue(operand),
            "IsString" => (Kind(value) == JsonValueKind.String) == IsTrue(operand),
            "IsBoolean" => (Kind(value) is JsonValueKind.True or JsonValueKind.False) == IsTrue(operand),
            "IsTimestamp" => (TryTimestamp(value, out _)) == IsTrue(operand),
            "StringMatches" => TryString(value, out var s) && TryString(operand, out var pattern) && Matches(s, pattern),
            "BooleanEquals" => Kind(value) is JsonValueKind.True or JsonValueKind.False
                && Kind(operand) is JsonValueKind.True or JsonValueKind.False && Kind(value) == Kind(operand),
            _ when op.StartsWith("String", StringComparison.Ordinal) =>
                TryString(value, out var a) && TryString(operand, out var b) && Compare(op["String".Length..], string.CompareOrdinal(a, b)),
            _ when op.StartsWith("Numeric", StringComparison.Ordinal) =>
                TryNumber(value, out var x) && TryNumber(operand, out var y) && Compare(op["Numeric".Length..], x.CompareTo(y)),
            _ when op.StartsWith("Timestamp", StringComparison.Ordinal) =>
                TryTimestamp(value, out var t1) && TryTimestamp(operand, out var t2) && Compare(op["Timestamp".Length..], t1.CompareTo(t2)),
            _ => throw new InvalidOperationException($"Unknown comparison operator '{op}'."),
        };
    }

    private static bool Compare(string relation, int comparison) => relation switch
    {
        "Equals" => comparison == 0,
        "LessThan" => comparison < 0,
        "GreaterThan" => comparison > 0,
        "LessThanEquals" => comparison <= 0,
        "GreaterThanEquals" => comparison >= 0,
        _ => throw new InvalidOperationException($"Unknown comparison '{relation}'."),
    };

    private static JsonValueKind Kind(JsonNode? node) => node is null ? JsonValueKind.Null : node.GetValueKind();

    private static bool IsTrue(JsonNode? node) => Kind(node) == JsonValueKind.True;

    private static bool TryString(JsonNode? node, out string value)
    {
        if (Kind(node) == JsonValueKind.String)
        {
            value = node!.GetValue<string>();
            return true;
        }

        value = "";
        return false;
    }

    private static bool TryNumber(JsonNode? node, out decimal value)
    {
        value = 0;
        if (Kind(node) != JsonValueKind.Number)
        {
            return false;
        }

        var v = node!.AsValue();
        if (v.TryGetValue(out decimal d))
        {
            value = d;
            return true;
        }

        if (v.TryGetValue(out double dbl))
        {
            value = dbl > (double)decimal.MaxValue ? decimal.MaxValue : dbl < (double)decimal.MinValue ? decimal.MinValue : (decimal)dbl;
            return true;
        }

        return decimal.TryParse(v.ToJsonString(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out value);
    }

    private static bool TryTimestamp(JsonNode? node, out DateTimeOffset value)
    {
        value = default;
        return TryString(node, out var s) && AslTimestamp.TryParse(s, out value);
    }

    // StringMatches: '*' is any run of characters; '\*' and '\\' escape.
    internal static bool Matches(string value, string pattern)
    {
        var parts = new List<string>();
        var current = new StringBuilder();
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '\\' && i + 1 < pattern.Length && pattern[i + 1] is '*' or '\\')
            {
                current.Append(pattern[++i]);
            }
            else if (c == '*')
            {
                parts.Add(current.ToString());
                current.Clear();
            }
            else
            {
                current.Append(c);
            }
        }

        parts.Add(current.ToString());
        if (parts.Count == 1)
        {
            return value == parts[0];
        }

        if (!value.StartsWith(parts[0], StringComparison.Ordinal))
        {
            return false;
        }

        var position = parts[0].Length;
        for (var i = 1; i < parts.Count - 1; i++)
        {
            var found = value.IndexOf(parts[i], position, StringComparison.Ordinal);
            if (found < 0)
            {
                return false;
            }

            position = found + parts[i].Length;
        }

        var last = parts[^1];
        return value.Length - position >= last.Length && value.EndsWith(last, StringComparison.Ordinal);
    }
}
