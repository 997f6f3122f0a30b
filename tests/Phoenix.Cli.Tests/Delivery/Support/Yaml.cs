using YamlDotNet.RepresentationModel;

namespace Phoenix.Cli.Tests.Delivery.Support;

/// <summary>Small readers over a YAML document (the action's metadata, workflows).</summary>
public static class Yaml
{
    public static YamlMappingNode Load(string relativePath)
    {
        var stream = new YamlStream();
        using var reader = new StringReader(Repository.Read(relativePath));
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    public static YamlNode? Get(this YamlNode node, string key) =>
        node is YamlMappingNode map && map.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    public static YamlMappingNode Map(this YamlNode node, string key) =>
        node.Get(key) as YamlMappingNode ?? throw new KeyNotFoundException($"no mapping '{key}' at line {node.Start.Line}");

    public static string? Text(this YamlNode node, string key) => (node.Get(key) as YamlScalarNode)?.Value;

    public static IEnumerable<string> Keys(this YamlMappingNode map) => map.Children.Keys.Select(k => ((YamlScalarNode)k).Value!);

    public static IEnumerable<YamlMappingNode> Items(this YamlNode node, string key) =>
        (node.Get(key) as YamlSequenceNode)?.Children.OfType<YamlMappingNode>() ?? [];
}
