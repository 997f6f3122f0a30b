using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Phoenix.Asl.Paths;

/// <summary>
/// Value-level helpers shared by paths and intrinsics: kind tests, numbers whatever their backing type,
/// and JSON equality by value (so <c>1</c> equals <c>1.0</c> and key order does not matter).
/// </summary>
internal static class JsonValues
{
    public static JsonValueKind KindOf(JsonNode? node) => node is null ? JsonValueKind.Null : node.GetValueKind();

    public static string KindName(JsonNode? node) => KindOf(node) switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        _ => "null",
    };

    public static bool TryGetString(JsonNode? node, out string value)
    {
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.String)
        {
            value = v.GetValue<string>();
            return true;
        }

        value = string.Empty;
        return false;
    }

    public static bool TryGetBoolean(JsonNode? node, out bool value)
    {
        var kind = KindOf(node);
        value = kind == JsonValueKind.True;
        return kind is JsonValueKind.True or JsonValueKind.False;
    }

    public static bool TryGetDouble(JsonNode? node, out double value)
    {
        value = 0;
        if (node is not JsonValue v || v.GetValueKind() != JsonValueKind.Number)
        {
            return false;
        }

        if (v.TryGetValue(out value))
        {
            return true;
        }

        return double.TryParse(v.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    public static bool TryGetDecimal(JsonNode? node, out decimal value)
    {
        value = 0;
        if (node is not JsonValue v || v.GetValueKind() != JsonValueKind.Number)
        {
            return false;
        }

        if (v.TryGetValue(out value))
        {
            return true;
        }

        return decimal.TryParse(v.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>Numeric comparison that stays exact for decimals and falls back to doubles beyond their range.</summary>
    public static int? CompareNumbers(JsonNode? left, JsonNode? right)
    {
        if (TryGetDecimal(left, out var l) && TryGetDecimal(right, out var r))
        {
            return l.CompareTo(r);
        }

        if (TryGetDouble(left, out var ld) && TryGetDouble(right, out var rd))
        {
            return ld.CompareTo(rd);
        }

        return null;
    }

    public static bool DeepEquals(JsonNode? left, JsonNode? right)
    {
        var kind = KindOf(left);
        if (kind != KindOf(right))
        {
            return false;
        }

        switch (kind)
        {
            case JsonValueKind.Null:
            case JsonValueKind.True:
            case JsonValueKind.False:
                return true;
            case JsonValueKind.Number:
                return CompareNumbers(left, right) == 0;
            case JsonValueKind.String:
                return string.Equals(left!.GetValue<string>(), right!.GetValue<string>(), StringComparison.Ordinal);
            case JsonValueKind.Array:
                var la = (JsonArray)left!;
                var ra = (JsonArray)right!;
                if (la.Count != ra.Count)
                {
                    return false;
                }

                for (var i = 0; i < la.Count; i++)
                {
                    if (!DeepEquals(la[i], ra[i]))
                    {
                        return false;
                    }
                }

                return true;
            default:
                var lo = (JsonObject)left!;
                var ro = (JsonObject)right!;
                if (lo.Count != ro.Count)
                {
                    return false;
                }

                foreach (var (key, value) in lo)
                {
                    if (!ro.TryGetPropertyValue(key, out var other) || !DeepEquals(value, other))
                    {
                        return false;
                    }
                }

                return true;
        }
    }

    /// <summary>
    /// Parses JSON text into a fully built tree where a repeated key keeps its last value, as Jackson (and so AWS)
    /// does. <see cref="JsonNode.Parse(string, JsonNodeOptions?, JsonDocumentOptions)"/> defers building objects and
    /// then fails on a duplicate key at first access, far from the parse.
    /// </summary>
    public static JsonNode? ParseLastWins(string json)
    {
        using var document = JsonDocument.Parse(json);
        return Build(document.RootElement);
    }

    private static JsonNode? Build(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var obj = new JsonObject();
                foreach (var property in element.EnumerateObject())
                {
                    obj[property.Name] = Build(property.Value);
                }

                return obj;
            case JsonValueKind.Array:
                var array = new JsonArray();
                foreach (var item in element.EnumerateArray())
                {
                    array.Add(Build(item));
                }

                return array;
            case JsonValueKind.Null:
                return null;
            default:
                return JsonValue.Create(element.Clone());
        }
    }

    /// <summary>A node that may be attached to a new parent: the same node if it has none, else a deep copy.</summary>
    public static JsonNode? Detached(JsonNode? node) => node is null || node.Parent is null ? node : node.DeepClone();
}
