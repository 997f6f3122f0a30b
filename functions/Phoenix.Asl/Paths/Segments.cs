using System.Text;
using System.Text.Json.Nodes;

namespace Phoenix.Asl.Paths;

/// <summary>One step of a compiled path. Each step maps a node to the nodes it selects, in document order.</summary>
internal abstract class Segment
{
    /// <summary>Selects at most one node and never fans out (a single name or index).</summary>
    public abstract bool IsDefinite { get; }

    /// <summary>The step as Jayway prints it in error messages, e.g. <c>['name']</c> or <c>[0]</c>.</summary>
    public abstract void Render(StringBuilder text);

    public abstract void Select(JsonNode? node, JsonNode? root, List<JsonNode?> results);
}

/// <summary>
/// <c>.name</c> or <c>['a','b']</c>. Several names as the last step merge into one new object holding the names
/// that exist (Jayway's "multi-property merge", a definite result); elsewhere they fan out.
/// </summary>
internal sealed class PropertySegment(IReadOnlyList<string> names, bool merge = false) : Segment
{
    public IReadOnlyList<string> Names { get; } = names;

    public bool Merge { get; } = merge && names.Count > 1;

    public override bool IsDefinite => Names.Count == 1 || Merge;

    public override void Render(StringBuilder text)
    {
        text.Append('[');
        for (var i = 0; i < Names.Count; i++)
        {
            text.Append(i == 0 ? "'" : ", '").Append(Names[i]).Append('\'');
        }

        text.Append(']');
    }

    public override void Select(JsonNode? node, JsonNode? root, List<JsonNode?> results)
    {
        if (node is not JsonObject obj)
        {
            return;
        }

        if (Merge)
        {
            results.Add(MergeFrom(obj));
            return;
        }

        foreach (var name in Names)
        {
            if (obj.TryGetPropertyValue(name, out var child))
            {
                results.Add(child);
            }
        }
    }

    public JsonObject MergeFrom(JsonObject obj)
    {
        var merged = new JsonObject();
        foreach (var name in Names)
        {
            if (obj.TryGetPropertyValue(name, out var child))
            {
                merged[name] = child?.DeepClone();
            }
        }

        return merged;
    }
}

internal sealed class IndexSegment(IReadOnlyList<int> indexes) : Segment
{
    public IReadOnlyList<int> Indexes { get; } = indexes;

    public override bool IsDefinite => Indexes.Count == 1;

    public override void Render(StringBuilder text) => text.Append('[').AppendJoin(',', Indexes).Append(']');

    public override void Select(JsonNode? node, JsonNode? root, List<JsonNode?> results)
    {
        if (node is not JsonArray array)
        {
            return;
        }

        foreach (var index in Indexes)
        {
            var effective = index < 0 ? array.Count + index : index;
            if (effective >= 0 && effective < array.Count)
            {
                results.Add(array[effective]);
            }
        }
    }
}

/// <summary><c>[start:end]</c> with either bound optional and negative bounds counted from the end, as Jayway does.</summary>
internal sealed class SliceSegment(int? start, int? end) : Segment
{
    public override bool IsDefinite => false;

    public override void Render(StringBuilder text) => text.Append('[').Append(start).Append(':').Append(end).Append(']');

    public override void Select(JsonNode? node, JsonNode? root, List<JsonNode?> results)
    {
        if (node is not JsonArray array)
        {
            return;
        }

        var count = array.Count;
        var from = Clamp(start ?? 0, count);
        var to = Clamp(end ?? count, count);
        for (var i = from; i < to; i++)
        {
            results.Add(array[i]);
        }
    }

    private static int Clamp(int bound, int count) => Math.Clamp(bound < 0 ? count + bound : bound, 0, count);
}

internal sealed class WildcardSegment : Segment
{
    public static readonly WildcardSegment Instance = new();

    public override bool IsDefinite => false;

    public override void Render(StringBuilder text) => text.Append("[*]");

    public override void Select(JsonNode? node, JsonNode? root, List<JsonNode?> results)
    {
        switch (node)
        {
            case JsonArray array:
                results.AddRange(array);
                break;
            case JsonObject obj:
                foreach (var (_, value) in obj)
                {
                    results.Add(value);
                }

                break;
        }
    }
}

/// <summary><c>..step</c>: applies the step to the node and to every descendant, pre-order.</summary>
internal sealed class RecursiveSegment(Segment step) : Segment
{
    public override bool IsDefinite => false;

    public override void Render(StringBuilder text)
    {
        text.Append("..");
        step.Render(text);
    }

    public override void Select(JsonNode? node, JsonNode? root, List<JsonNode?> results)
    {
        // Jayway scans with a filter by testing every node once (so an object inside an array is not
        // reported twice, once as an array element and once as itself).
        if (step is FilterSegment filter)
        {
            if (filter.Expression.Test(node, root))
            {
                results.Add(node);
            }
        }
        else
        {
            step.Select(node, root, results);
        }

        switch (node)
        {
            case JsonArray array:
                foreach (var item in array)
                {
                    Select(item, root, results);
                }

                break;
            case JsonObject obj:
                foreach (var (_, value) in obj)
                {
                    Select(value, root, results);
                }

                break;
        }
    }
}

/// <summary>
/// <c>[?(expression)]</c>. On an array it keeps the elements that pass; on an object it tests the object itself
/// (Jayway's behaviour, which AWS inherits).
/// </summary>
internal sealed class FilterSegment(FilterExpression expression, string source) : Segment
{
    public FilterExpression Expression { get; } = expression;

    public override bool IsDefinite => false;

    public override void Render(StringBuilder text) => text.Append("[?(").Append(source).Append(")]");

    public override void Select(JsonNode? node, JsonNode? root, List<JsonNode?> results)
    {
        switch (node)
        {
            case JsonArray array:
                foreach (var item in array)
                {
                    if (Expression.Test(item, root))
                    {
                        results.Add(item);
                    }
                }

                break;
            case JsonObject obj when Expression.Test(obj, root):
                results.Add(obj);
                break;
        }
    }
}
