using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Phoenix.Asl;

/// <summary>The UTF-8 size of a value's compact JSON text, computed without writing it, stopping at a limit.</summary>
internal static class JsonSize
{
    public static bool Exceeds(JsonNode? node, long limit) => Measure(node, limit) > limit;

    /// <summary>The size in bytes, counted up to just past <see cref="int.MaxValue"/>.</summary>
    public static int Of(JsonNode? node) => (int)Math.Min(Measure(node, int.MaxValue), int.MaxValue);

    private static long Measure(JsonNode? node, long limit)
    {
        switch (node)
        {
            case null:
                return 4;
            case JsonObject obj:
            {
                // Indexed, not enumerated: JsonObject's enumerator is boxed, and this runs on every state's output.
                long size = 2;
                for (var i = 0; i < obj.Count; i++)
                {
                    var (key, value) = obj.GetAt(i);
                    size += Encoding.UTF8.GetByteCount(key) + 4 + Measure(value, limit);
                    if (size > limit)
                    {
                        return size;
                    }
                }

                return size;
            }

            case JsonArray array:
            {
                long size = 2;
                for (var i = 0; i < array.Count; i++)
                {
                    size += Measure(array[i], limit) + 1;
                    if (size > limit)
                    {
                        return size;
                    }
                }

                return size;
            }

            default:
                var leaf = node.AsValue();
                return leaf.GetValueKind() switch
                {
                    JsonValueKind.String => Encoding.UTF8.GetByteCount(leaf.GetValue<string>()) + 2,
                    JsonValueKind.True => 4,
                    JsonValueKind.False => 5,
                    JsonValueKind.Null => 4,
                    _ => NumberLength(leaf),
                };
        }
    }

    // Whole numbers (what States.MathAdd and most inputs hold) are counted without printing them.
    private static long NumberLength(JsonValue number)
    {
        if (number.TryGetValue(out long whole))
        {
            return whole < 0 ? Digits((ulong)-(whole + 1) + 1) + 1 : Digits((ulong)whole);
        }

        return number.ToJsonString().Length;
    }

    private static int Digits(ulong value)
    {
        var digits = 1;
        while (value >= 10)
        {
            value /= 10;
            digits++;
        }

        return digits;
    }
}