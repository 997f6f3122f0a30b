using System.Text;
using System.Text.Json.Nodes;

namespace Phoenix.Asl.Paths;

/// <summary>
/// A compiled JSONPath as Step Functions understands it (Jayway JsonPath syntax): <c>$</c>, <c>$.a.b</c>,
/// <c>$['a b']</c>, <c>$.a[0]</c>, <c>$.a[-1]</c>, <c>$.a[0,2]</c>, <c>$.a[1:3]</c>, <c>$.a[*]</c>, <c>$.*</c>,
/// <c>$.a['b','c']</c> (as the last step: one object holding those keys, as Jayway merges them),
/// <c>$..name</c>, filters <c>[?(@.x &gt; 1 &amp;&amp; @.s == 'v' || !@.y)]</c> (<c>== != &lt; &lt;= &gt; &gt;= =~ in nin</c>,
/// existence <c>[?(@.x)]</c>), and a trailing <c>.length()</c>. A path starting with <c>$$</c> is a Context Object
/// path: evaluate it against the context node (the caller chooses the root; <see cref="IsContextPath"/> says which).
/// </summary>
/// <remarks>
/// Bracketed names are taken verbatim between their quotes: a backslash only stops the next character from
/// closing the name and is kept (AWS resolves <c>$['Test\""Name"']</c> to the key <c>Test\""Name"</c>).
/// Instances are immutable and thread-safe; parse once and reuse (see <see cref="JsonPathEvaluator.Compile"/>).
/// </remarks>
public sealed class JsonPath
{
    private readonly Segment[] _segments;
    private readonly bool _length;

    private JsonPath(string text, bool isContextPath, Segment[] segments, bool length, string? variable)
    {
        Text = text;
        IsContextPath = isContextPath;
        Variable = variable;
        _segments = segments;
        _length = length;
        IsDefinite = length || Array.TrueForAll(segments, s => s.IsDefinite);
        IsReferencePath = !length && Array.TrueForAll(segments, s => s is PropertySegment { Names.Count: 1 } or IndexSegment { Indexes.Count: 1 });
    }

    /// <summary>The path as written.</summary>
    public string Text { get; }

    /// <summary>Starts with <c>$$</c>: evaluate it against the Context Object.</summary>
    public bool IsContextPath { get; }

    /// <summary>The workflow variable a <c>$name…</c> path starts from (evaluate it against that variable's value), or null.</summary>
    public string? Variable { get; }

    /// <summary>Selects at most one node (no wildcard, slice, filter, union or recursive descent).</summary>
    public bool IsDefinite { get; }

    /// <summary>
    /// Only names and single indexes (AWS's "reference path": no <c>@ .. , : ? *</c>, no functions). ResultPath,
    /// Choice <c>Variable</c> and the <c>…Path</c> fields require one.
    /// </summary>
    public bool IsReferencePath { get; }

    /// <summary>The root alone (<c>$</c> or <c>$$</c>).</summary>
    public bool IsRoot => _segments.Length == 0 && !_length && Variable is null;

    internal IReadOnlyList<Segment> Segments => _segments;

    /// <summary>Parses a path; <see cref="JsonPathSyntaxException"/> names the path and what is wrong with it.</summary>
    public static JsonPath Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parser = new PathParser(text, 0, inFilter: false);
        var path = parser.ParsePath();
        if (parser.Position != text.Length)
        {
            throw new JsonPathSyntaxException(text, $"unexpected '{text[parser.Position]}' at position {parser.Position}");
        }

        return path;
    }

    internal static JsonPath Create(string text, bool isContextPath, Segment[] segments, bool length, string? variable = null) =>
        new(text, isContextPath, segments, length, variable);

    /// <summary>
    /// What AWS puts in place of the path: for a definite path the selected node (a deep copy; JSON null is
    /// returned as <c>null</c>), for an indefinite path a new array of copies of every match (empty when nothing
    /// matches — AWS does not fail then). A definite path that selects nothing throws <see cref="JsonPathException"/>.
    /// </summary>
    public JsonNode? Select(JsonNode? root)
    {
        if (_length)
        {
            return SelectLength(root, throwIfMissing: true);
        }

        if (IsDefinite)
        {
            return Resolve(root)?.DeepClone();
        }

        return CopyAll(root);
    }

    /// <summary>
    /// <see cref="Select"/> without the copy of a definite path's node: the node inside <paramref name="root"/> itself
    /// (do not attach or modify it). Misses throw as <see cref="Select"/> does.
    /// </summary>
    internal JsonNode? Read(JsonNode? root)
    {
        if (_length)
        {
            return SelectLength(root, throwIfMissing: true);
        }

        return IsDefinite ? Resolve(root) : CopyAll(root);
    }

    /// <summary>Every match, copied, in document order; a definite path gives zero or one element. Never throws for missing data.</summary>
    public JsonArray SelectAll(JsonNode? root)
    {
        if (_length)
        {
            return [SelectLength(root, throwIfMissing: false)];
        }

        return CopyAll(root);
    }

    /// <summary>Like <see cref="Select"/> but reports "not found" as false instead of throwing.</summary>
    public bool TrySelect(JsonNode? root, out JsonNode? value)
    {
        if (!TryRead(root, out value))
        {
            return false;
        }

        // TryRead builds fresh nodes for indefinite paths and length(); only a definite selection points into root.
        if (IsDefinite && !_length)
        {
            value = value?.DeepClone();
        }

        return true;
    }

    /// <summary>
    /// Reads without copying: the node inside <paramref name="root"/> itself (do not attach or modify it). For an
    /// indefinite path the value is a new array of copies. False when a definite path selects nothing.
    /// </summary>
    internal bool TryRead(JsonNode? root, out JsonNode? value)
    {
        if (_length)
        {
            value = SelectLength(root, throwIfMissing: false);
            return value is not null;
        }

        if (!IsDefinite)
        {
            value = CopyAll(root);
            return true;
        }

        var node = root;
        foreach (var segment in _segments)
        {
            if (!TryStep(segment, node, out node))
            {
                value = null;
                return false;
            }
        }

        value = node;
        return true;
    }

    /// <summary>Every match without copying, for callers that only read.</summary>
    internal List<JsonNode?> ReadAll(JsonNode? root)
    {
        var current = new List<JsonNode?> { root };
        var next = new List<JsonNode?>();
        foreach (var segment in _segments)
        {
            next.Clear();
            foreach (var node in current)
            {
                segment.Select(node, root, next);
            }

            (current, next) = (next, current);
        }

        return current;
    }

    public override string ToString() => Text;

    private JsonArray CopyAll(JsonNode? root)
    {
        var result = new JsonArray();
        foreach (var match in ReadAll(root))
        {
            result.Add(match?.DeepClone());
        }

        return result;
    }

    private JsonValue? SelectLength(JsonNode? root, bool throwIfMissing)
    {
        int length;
        if (Array.TrueForAll(_segments, s => s.IsDefinite))
        {
            JsonNode? node;
            if (throwIfMissing)
            {
                node = Resolve(root);
            }
            else if (!TryReadSegments(root, out node))
            {
                return null;
            }

            switch (node)
            {
                case JsonArray array:
                    length = array.Count;
                    break;
                case JsonObject obj:
                    length = obj.Count;
                    break;
                default:
                    if (JsonValues.TryGetString(node, out var s))
                    {
                        length = s.Length;
                        break;
                    }

                    if (throwIfMissing)
                    {
                        throw new JsonPathException(Text, $"length() applies to an array, object or string, but found '{JsonValues.KindName(node)}'");
                    }

                    return null;
            }
        }
        else
        {
            length = ReadAll(root).Count;
        }

        return JsonValue.Create(length);
    }

    private bool TryReadSegments(JsonNode? root, out JsonNode? node)
    {
        node = root;
        foreach (var segment in _segments)
        {
            if (!TryStep(segment, node, out node))
            {
                return false;
            }
        }

        return true;
    }

    private static bool TryStep(Segment segment, JsonNode? node, out JsonNode? child)
    {
        switch (segment)
        {
            case PropertySegment { Merge: true } merge when node is JsonObject obj:
                child = merge.MergeFrom(obj);
                return true;
            case PropertySegment property when node is JsonObject obj:
                return obj.TryGetPropertyValue(property.Names[0], out child);
            case IndexSegment index when node is JsonArray array:
                var i = index.Indexes[0] < 0 ? array.Count + index.Indexes[0] : index.Indexes[0];
                if (i >= 0 && i < array.Count)
                {
                    child = array[i];
                    return true;
                }

                break;
        }

        child = null;
        return false;
    }

    /// <summary>Walks a definite path, failing with the message Jayway (and so AWS) gives at the first miss.</summary>
    private JsonNode? Resolve(JsonNode? root)
    {
        var node = root;
        for (var i = 0; i < _segments.Length; i++)
        {
            var segment = _segments[i];
            if (TryStep(segment, node, out var child))
            {
                node = child;
                continue;
            }

            var last = i == _segments.Length - 1;
            throw segment switch
            {
                PropertySegment when node is JsonObject && last =>
                    new JsonPathException(Text, $"No results for path: {Render(_segments.Length)}"),
                PropertySegment when node is JsonObject =>
                    new JsonPathException(Text, $"Missing property in path {Render(i + 1)}"),
                PropertySegment =>
                    new JsonPathException(Text, $"Expected to find an object with property {RenderOne(segment)} in path {Render(i)} but found '{JsonValues.KindName(node)}'. This is not a json object."),
                _ when node is JsonArray =>
                    new JsonPathException(Text, $"No results for path: {Render(_segments.Length)}"),
                _ when node is null =>
                    new JsonPathException(Text, $"The path {Render(i)} is null"),
                _ => new JsonPathException(Text, $"Filter: {RenderOne(segment)} can only be applied to arrays. Current context is: {node.ToJsonString()}"),
            };
        }

        return node;
    }

    private string Render(int segmentCount)
    {
        var text = new StringBuilder(IsContextPath ? "$$" : "$" + Variable);
        for (var i = 0; i < segmentCount; i++)
        {
            _segments[i].Render(text);
        }

        return text.ToString();
    }

    private static string RenderOne(Segment segment)
    {
        var text = new StringBuilder();
        segment.Render(text);
        return text.ToString();
    }
}
