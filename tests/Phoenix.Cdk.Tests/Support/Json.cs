using System.Text.Json.Nodes;

namespace Phoenix.Cdk.Tests.Support;

/// <summary>Small helpers over synthesized templates.</summary>
public static class Json
{
    public static IEnumerable<(string LogicalId, JsonObject Resource)> Resources(JsonObject template, string type) =>
        template["Resources"]!.AsObject()
            .Where(r => (string?)r.Value!["Type"] == type)
            .Select(r => (r.Key, r.Value!.AsObject()));

    /// <summary>A value that may be a single item or a list, as IAM allows for Action and Resource.</summary>
    public static IReadOnlyList<JsonNode> Many(JsonNode? node) => node switch
    {
        null => [],
        JsonArray array => array.Select(n => n!).ToList(),
        _ => [node],
    };

    /// <summary>
    /// Renders a string built with Fn::Join (tokens inside a JSON document) with each intrinsic replaced by a marker,
    /// so the document can be parsed.
    /// </summary>
    public static string Flatten(JsonNode value, string marker = "TOKEN") => value switch
    {
        JsonValue v => v.GetValue<string>(),
        JsonObject o when o["Fn::Join"] is JsonArray join =>
            string.Join((string?)join[0], join[1]!.AsArray().Select(p => Flatten(p!, marker))),
        _ => marker,
    };
}
