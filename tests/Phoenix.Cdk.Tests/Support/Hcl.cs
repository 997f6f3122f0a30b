namespace Phoenix.Cdk.Tests.Support;

/// <summary>
/// Just enough HCL to check a Packer template's structure offline (<c>packer validate</c> needs the network for its
/// plugins): blocks with labels, and attributes whose values are kept as raw text (lists and maps may span lines).
/// </summary>
public sealed record HclBlock(string Type, IReadOnlyList<string> Labels, IReadOnlyDictionary<string, string> Attributes, IReadOnlyList<HclBlock> Blocks)
{
    public IEnumerable<HclBlock> All(string type) => Blocks.Where(b => b.Type == type);

    public HclBlock One(string type, params string[] labels) =>
        Blocks.Single(b => b.Type == type && b.Labels.SequenceEqual(labels));

    public static HclBlock Parse(string text)
    {
        var lines = text.Split('\n').Select(l => StripComment(l).Trim()).Where(l => l.Length > 0).ToList();
        var index = 0;
        var root = ParseBody(lines, ref index, "file", []);
        if (index != lines.Count)
        {
            throw new FormatException($"Unbalanced braces near line '{lines[index]}'.");
        }

        return root;
    }

    private static HclBlock ParseBody(List<string> lines, ref int index, string type, IReadOnlyList<string> labels)
    {
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        var blocks = new List<HclBlock>();
        while (index < lines.Count)
        {
            var line = lines[index++];
            if (line == "}")
            {
                return new HclBlock(type, labels, attributes, blocks);
            }

            var equals = line.IndexOf('=', StringComparison.Ordinal);
            var brace = line.IndexOf('{', StringComparison.Ordinal);
            if (equals > 0 && (brace < 0 || equals < brace))
            {
                var name = line[..equals].Trim();
                var value = line[(equals + 1)..].Trim();
                // A value that opens a list or map runs until its brackets balance.
                while (Depth(value) > 0 && index < lines.Count)
                {
                    value += "\n" + lines[index++];
                }

                attributes[name] = value;
            }
            else if (line.EndsWith('{'))
            {
                var head = line[..^1].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
                blocks.Add(ParseBody(lines, ref index, head[0], head.Skip(1).Select(l => l.Trim('"')).ToList()));
            }
            else
            {
                throw new FormatException($"Unexpected HCL line '{line}'.");
            }
        }

        return type == "file" ? new HclBlock(type, labels, attributes, blocks) : throw new FormatException($"Block '{type}' is not closed.");
    }

    private static int Depth(string value) =>
        value.Count(c => c is '[' or '{') - value.Count(c => c is ']' or '}');

    private static string StripComment(string line)
    {
        var inString = false;
        for (var i = 0; i < line.Length; i++)
        {
            if (line[i] == '"')
            {
                inString = !inString;
            }
            else if (!inString && line[i] == '#')
            {
                return line[..i];
            }
        }

        return line;
    }
}
