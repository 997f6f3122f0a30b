using System.Text.Json.Nodes;

namespace Phoenix.Asl.Paths;

/// <summary>
/// Reference paths (AWS: names and single indexes only; no <c>@ .. , : ? *</c> and no functions), as required by
/// ResultPath, Choice <c>Variable</c> and the <c>…Path</c> fields, and ResultPath's write semantics.
/// </summary>
public static class ReferencePath
{
    /// <summary>
    /// Null when <paramref name="path"/> is a valid reference path, else the reason (naming the path) — for
    /// definition validation. <paramref name="allowContext"/> admits <c>$$…</c> (Choice Variable and <c>…Path</c>
    /// fields may read the Context Object; ResultPath may not).
    /// </summary>
    public static string? Validate(string path, bool allowContext = true)
    {
        JsonPath compiled;
        try
        {
            compiled = JsonPathEvaluator.Compile(path);
        }
        catch (JsonPathSyntaxException e)
        {
            return e.Message;
        }

        if (!compiled.IsReferencePath)
        {
            return $"'{path}' is not a reference path: only names and single indexes are allowed (no wildcards, filters, slices, unions, '..' or functions)";
        }

        if (compiled.Variable is not null && !allowContext)
        {
            return $"'{path}' must start with '$.', not a variable";
        }

        return compiled.IsContextPath && !allowContext ? $"'{path}' must start with '$', not '$$'" : null;
    }

    /// <summary>
    /// Applies a ResultPath: <c>$</c> returns <paramref name="value"/>; <c>$.a.b</c> returns a copy of
    /// <paramref name="input"/> with <c>a.b</c> set to <paramref name="value"/>, creating missing intermediate objects;
    /// an index (<c>$.list[0]</c>) replaces an existing element. <paramref name="input"/> is never modified and
    /// <paramref name="value"/> is attached as is when it has no parent (copied otherwise).
    /// Writing through something that is not an object (or an index outside an array) throws
    /// <see cref="JsonPathException"/>, which the engine reports as States.Runtime. A null ResultPath (discard the
    /// result) is the caller's business: it simply keeps the input.
    /// </summary>
    public static JsonNode? Set(JsonNode? input, string resultPath, JsonNode? value)
    {
        var path = JsonPathEvaluator.Compile(resultPath);
        var invalid = Validate(resultPath, allowContext: false);
        if (invalid is not null)
        {
            throw new JsonPathSyntaxException(resultPath, invalid);
        }

        value = JsonValues.Detached(value);
        if (path.IsRoot)
        {
            return value;
        }

        var root = input?.DeepClone();
        var node = root;
        var segments = path.Segments;
        for (var i = 0; i < segments.Count; i++)
        {
            var last = i == segments.Count - 1;
            switch (segments[i])
            {
                case PropertySegment property when node is JsonObject obj:
                    var name = property.Names[0];
                    if (last)
                    {
                        obj[name] = value;
                        break;
                    }

                    if (!obj.TryGetPropertyValue(name, out var child))
                    {
                        child = new JsonObject();
                        obj[name] = child;
                    }

                    node = child;
                    break;
                case IndexSegment index when node is JsonArray array:
                    var at = index.Indexes[0] < 0 ? array.Count + index.Indexes[0] : index.Indexes[0];
                    if (at < 0 || at >= array.Count)
                    {
                        throw new JsonPathException(resultPath, $"Unable to set {Prefix(path, i + 1)}: index {index.Indexes[0]} is outside the array of {array.Count} items");
                    }

                    if (last)
                    {
                        array[at] = value;
                        break;
                    }

                    node = array[at];
                    break;
                default:
                    var wanted = segments[i] is PropertySegment ? "an object" : "an array";
                    throw new JsonPathException(resultPath, $"Unable to set {Prefix(path, i + 1)}: {Prefix(path, i)} is {JsonValues.KindName(node)}, not {wanted}");
            }
        }

        return root;
    }

    private static string Prefix(JsonPath path, int count)
    {
        var text = new System.Text.StringBuilder("$");
        for (var i = 0; i < count; i++)
        {
            path.Segments[i].Render(text);
        }

        return text.ToString();
    }
}
