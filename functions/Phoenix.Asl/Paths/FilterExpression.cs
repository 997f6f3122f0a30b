using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Phoenix.Asl.Paths;

/// <summary>A boolean test inside <c>[?( )]</c>, evaluated against the current element (<c>@</c>) and the root (<c>$</c>).</summary>
internal abstract class FilterExpression
{
    public abstract bool Test(JsonNode? current, JsonNode? root);
}

internal sealed class OrExpression(FilterExpression left, FilterExpression right) : FilterExpression
{
    public override bool Test(JsonNode? current, JsonNode? root) => left.Test(current, root) || right.Test(current, root);
}

internal sealed class AndExpression(FilterExpression left, FilterExpression right) : FilterExpression
{
    public override bool Test(JsonNode? current, JsonNode? root) => left.Test(current, root) && right.Test(current, root);
}

internal sealed class NotExpression(FilterExpression inner) : FilterExpression
{
    public override bool Test(JsonNode? current, JsonNode? root) => !inner.Test(current, root);
}

/// <summary>
/// <c>[?(@.x)]</c>: the path exists, whatever its value (null and false included); an indefinite path
/// (<c>[?(@.tags[*])]</c>) must match at least once.
/// </summary>
internal sealed class ExistsExpression(FilterOperand operand) : FilterExpression
{
    public override bool Test(JsonNode? current, JsonNode? root) =>
        operand.TryEvaluate(current, root, out var value)
        && (operand is not PathOperand { IsDefinite: false } || value is JsonArray { Count: > 0 });
}

internal enum FilterOperator
{
    Equal,
    NotEqual,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
    Matches,
    In,
    NotIn,
}

internal sealed class ComparisonExpression(FilterOperand left, FilterOperator op, FilterOperand right) : FilterExpression
{
    public override bool Test(JsonNode? current, JsonNode? root)
    {
        // A side that selects nothing makes every comparison false, as in Jayway.
        if (!left.TryEvaluate(current, root, out var l) || !right.TryEvaluate(current, root, out var r))
        {
            return false;
        }

        return op switch
        {
            FilterOperator.Equal => LooselyEqual(l, r),
            FilterOperator.NotEqual => !LooselyEqual(l, r),
            FilterOperator.Less => Compare(l, r) is < 0,
            FilterOperator.LessOrEqual => Compare(l, r) is <= 0,
            FilterOperator.Greater => Compare(l, r) is > 0,
            FilterOperator.GreaterOrEqual => Compare(l, r) is >= 0,
            FilterOperator.Matches => right is RegexOperand regex && JsonValues.TryGetString(l, out var s) && regex.Pattern.IsMatch(s),
            FilterOperator.In => r is JsonArray inList && inList.Any(item => LooselyEqual(l, item)),
            _ => r is JsonArray notInList && !notInList.Any(item => LooselyEqual(l, item)),
        };
    }

    // Jayway compares a number with a string holding a number by value ("1" == 1).
    private static bool LooselyEqual(JsonNode? left, JsonNode? right)
    {
        var lk = JsonValues.KindOf(left);
        var rk = JsonValues.KindOf(right);
        if (lk == JsonValueKind.Number && rk == JsonValueKind.String)
        {
            return NumberEqualsText(left, right!.GetValue<string>());
        }

        if (lk == JsonValueKind.String && rk == JsonValueKind.Number)
        {
            return NumberEqualsText(right, left!.GetValue<string>());
        }

        return JsonValues.DeepEquals(left, right);
    }

    private static bool NumberEqualsText(JsonNode? number, string text) =>
        decimal.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var parsed)
        && JsonValues.TryGetDecimal(number, out var value) && value == parsed;

    private static int? Compare(JsonNode? left, JsonNode? right)
    {
        if (JsonValues.TryGetString(left, out var ls) && JsonValues.TryGetString(right, out var rs))
        {
            return string.CompareOrdinal(ls, rs);
        }

        return JsonValues.CompareNumbers(left, right);
    }
}

internal abstract class FilterOperand
{
    /// <summary>False when the operand selects nothing (a missing property), which is not the same as null.</summary>
    public abstract bool TryEvaluate(JsonNode? current, JsonNode? root, out JsonNode? value);
}

internal sealed class LiteralOperand(JsonNode? value) : FilterOperand
{
    public override bool TryEvaluate(JsonNode? current, JsonNode? root, out JsonNode? result)
    {
        result = value;
        return true;
    }
}

internal sealed class RegexOperand(Regex pattern) : FilterOperand
{
    public Regex Pattern { get; } = pattern;

    public override bool TryEvaluate(JsonNode? current, JsonNode? root, out JsonNode? result)
    {
        result = null;
        return true;
    }
}

/// <summary><c>@…</c> or <c>$…</c> inside a filter. An indefinite path yields the array of its matches.</summary>
internal sealed class PathOperand(JsonPath path, bool relative) : FilterOperand
{
    public bool IsDefinite => path.IsDefinite;

    public override bool TryEvaluate(JsonNode? current, JsonNode? root, out JsonNode? value)
    {
        var start = relative ? current : root;
        if (path.IsDefinite)
        {
            return path.TryRead(start, out value);
        }

        var matches = new JsonArray();
        foreach (var match in path.ReadAll(start))
        {
            matches.Add(match?.DeepClone());
        }

        value = matches;
        return true;
    }
}
