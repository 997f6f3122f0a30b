using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Phoenix.Asl.Model;
using Phoenix.Asl.Paths;

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

        var comparison = rule.Comparison;
        var variable = comparison.Variable;
        var present = AslPaths.TryRead(variable, input, context, out var value);
        if (comparison.Test == Test.IsPresent)
        {
            return present == comparison.Literal.IsTrue;
        }

        if (!present)
        {
            throw fail($"Invalid path '{rule.Variable}': The choice state's condition path references an invalid value.");
        }

        var operand = comparison.Literal;
        if (comparison.OperandPath is { } operandPath)
        {
            if (!AslPaths.TryRead(operandPath, input, context, out var read))
            {
                throw fail($"Invalid path '{operandPath.Text}': The choice state's condition path references an invalid value.");
            }

            operand = new Operand(read);
        }

        return comparison.Test switch
        {
            Test.IsNull => (value is null) == operand.IsTrue,
            Test.IsNumeric => (Kind(value) == JsonValueKind.Number) == operand.IsTrue,
            Test.IsString => (Kind(value) == JsonValueKind.String) == operand.IsTrue,
            Test.IsBoolean => (Kind(value) is JsonValueKind.True or JsonValueKind.False) == operand.IsTrue,
            Test.IsTimestamp => TryTimestamp(value, out _) == operand.IsTrue,
            Test.StringMatches => TryString(value, out var s) && operand.String is { } pattern && Matches(s, pattern),
            Test.BooleanEquals => Kind(value) is JsonValueKind.True or JsonValueKind.False
                && operand.Kind is JsonValueKind.True or JsonValueKind.False && Kind(value) == operand.Kind,
            Test.String => TryString(value, out var a) && operand.String is { } b && Compare(comparison.Relation, string.CompareOrdinal(a, b)),
            Test.Numeric => TryNumber(value, out var x) && operand.Number is { } y && Compare(comparison.Relation, x.CompareTo(y)),
            _ => TryTimestamp(value, out var t1) && operand.Timestamp is { } t2 && Compare(comparison.Relation, t1.CompareTo(t2)),
        };
    }

    private static bool Compare(Relation relation, int comparison) => relation switch
    {
        Relation.Equals => comparison == 0,
        Relation.LessThan => comparison < 0,
        Relation.GreaterThan => comparison > 0,
        Relation.LessThanEquals => comparison <= 0,
        _ => comparison >= 0,
    };

    internal enum Test
    {
        IsPresent,
        IsNull,
        IsNumeric,
        IsString,
        IsBoolean,
        IsTimestamp,
        StringMatches,
        BooleanEquals,
        String,
        Numeric,
        Timestamp,
    }

    internal enum Relation
    {
        Equals,
        LessThan,
        GreaterThan,
        LessThanEquals,
        GreaterThanEquals,
    }

    /// <summary>An operand's readings, taken once for a literal (per evaluation for a <c>…Path</c> operand).</summary>
    internal readonly struct Operand
    {
        public Operand(JsonNode? node)
        {
            Kind = ChoiceEvaluator.Kind(node);
            String = TryString(node, out var s) ? s : null;
            Number = TryNumber(node, out var n) ? n : null;
            Timestamp = TryTimestamp(node, out var t) ? t : null;
        }

        public JsonValueKind Kind { get; }

        public bool IsTrue => Kind == JsonValueKind.True;

        public string? String { get; }

        public decimal? Number { get; }

        public DateTimeOffset? Timestamp { get; }
    }

    /// <summary>A comparison rule compiled once: its paths parsed, its operator split into a test and a relation.</summary>
    internal sealed class Comparison
    {
        public Comparison(ChoiceRule rule)
        {
            var op = rule.Operator!;
            Variable = JsonPathEvaluator.Compile(rule.Variable!);
            if (op.EndsWith("Path", StringComparison.Ordinal))
            {
                OperandPath = JsonPathEvaluator.Compile(rule.Operand!.GetValue<string>());
                op = op[..^4];
            }
            else
            {
                Literal = new Operand(rule.Operand);
            }

            foreach (var (prefix, test) in Families)
            {
                if (op.StartsWith(prefix, StringComparison.Ordinal) && Enum.TryParse<Relation>(op[prefix.Length..], out var relation))
                {
                    Test = test;
                    Relation = relation;
                    return;
                }
            }

            Test = Enum.TryParse<Test>(op, out var named) && named is not (Test.String or Test.Numeric or Test.Timestamp)
                ? named
                : throw new InvalidOperationException($"Unknown comparison operator '{rule.Operator}'.");
        }

        private static readonly (string Prefix, Test Test)[] Families =
            [("String", Test.String), ("Numeric", Test.Numeric), ("Timestamp", Test.Timestamp)];

        public JsonPath Variable { get; }

        public JsonPath? OperandPath { get; }

        public Operand Literal { get; }

        public Test Test { get; }

        public Relation Relation { get; }
    }

    private static JsonValueKind Kind(JsonNode? node) => node is null ? JsonValueKind.Null : node.GetValueKind();

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

        // What States.MathAdd and other engine-made numbers hold; read directly rather than by printing and parsing.
        if (v.TryGetValue(out long l))
        {
            value = l;
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
