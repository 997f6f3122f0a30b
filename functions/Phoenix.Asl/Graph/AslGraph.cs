using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Phoenix.Asl.Graph;

/// <summary>A state of a definition; <see cref="Container"/> is the Map or Parallel state whose branch holds it.</summary>
public sealed record AslGraphNode(string Id, string Name, string Type, string? Container, int Branch);

/// <summary>A transition: <c>Next</c>, <c>Default</c>, <c>Choice</c> (with its rule as <see cref="Label"/>) or <c>Catch</c> (error names).</summary>
public sealed record AslGraphEdge(string From, string To, string Kind, string? Label);

/// <summary>
/// The shape of an ASL definition: its states (including those inside Map and Parallel branches) and every transition
/// between them, read from the JSON itself so a picture of the workflow cannot drift from the file it is drawn from.
/// </summary>
public sealed class AslGraph
{
    private AslGraph(string startAt, IReadOnlyList<AslGraphNode> nodes, IReadOnlyList<AslGraphEdge> edges)
    {
        StartAt = startAt;
        Nodes = nodes;
        Edges = edges;
    }

    public string StartAt { get; }

    public IReadOnlyList<AslGraphNode> Nodes { get; }

    public IReadOnlyList<AslGraphEdge> Edges { get; }

    public static AslGraph Parse(string json)
    {
        var root = JsonNode.Parse(json) as JsonObject ?? throw new AslDefinitionException(["The definition is not a JSON object."]);
        var nodes = new List<AslGraphNode>();
        var edges = new List<AslGraphEdge>();
        var startAt = Read(root, container: null, branch: 0, prefix: "", nodes, edges);
        return new AslGraph(startAt, nodes, edges);
    }

    /// <summary>
    /// The top-level states that lie on a cycle of Next/Default/Choice transitions (Catch edges only lead to the failure
    /// path): the states a report may see many times in one execution, such as a poll-and-wait loop.
    /// </summary>
    public IReadOnlySet<string> LoopStates()
    {
        var top = Nodes.Where(n => n.Container is null).Select(n => n.Id).ToHashSet(StringComparer.Ordinal);
        var next = top.ToDictionary(n => n, _ => new List<string>(), StringComparer.Ordinal);
        foreach (var e in Edges.Where(e => e.Kind != "Catch" && top.Contains(e.From) && top.Contains(e.To)))
        {
            next[e.From].Add(e.To);
        }

        // A state is on a cycle when it can reach itself; the definitions are small (tens of states), so a search per state is enough.
        var onCycle = new HashSet<string>(StringComparer.Ordinal);
        foreach (var state in top)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var stack = new Stack<string>(next[state]);
            while (stack.Count > 0)
            {
                var current = stack.Pop();
                if (current == state)
                {
                    onCycle.Add(state);
                    break;
                }

                if (seen.Add(current))
                {
                    foreach (var n in next[current])
                    {
                        stack.Push(n);
                    }
                }
            }
        }

        return onCycle.Select(id => Nodes.First(n => n.Id == id).Name).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>A Mermaid flowchart: Tasks as boxes, Choices as diamonds, Waits as stadiums, Catch edges dotted, branches as subgraphs.</summary>
    public string ToMermaid()
    {
        var text = new StringBuilder();
        text.Append("flowchart TD\n");
        text.Append("  start((start)) --> ").Append(Nodes.First(n => n.Container is null && n.Name == StartAt).Id).Append('\n');
        WriteNodes(text, container: null, indent: "  ");
        foreach (var edge in Edges)
        {
            var arrow = edge.Kind == "Catch" ? "-.->" : "-->";
            text.Append("  ").Append(edge.From).Append(' ').Append(arrow);
            if (edge.Label is { } label)
            {
                text.Append("|\"").Append(Escape(label)).Append("\"|");
            }

            text.Append(' ').Append(edge.To).Append('\n');
        }

        return text.ToString();
    }

    private void WriteNodes(StringBuilder text, string? container, string indent)
    {
        foreach (var node in Nodes.Where(n => n.Container == container))
        {
            text.Append(indent).Append(node.Id).Append(Shape(node)).Append('\n');
            if (node.Type is "Map" or "Parallel")
            {
                foreach (var branch in Nodes.Where(n => n.Container == node.Id).Select(n => n.Branch).Distinct())
                {
                    text.Append(indent).Append("subgraph ").Append(node.Id).Append("_b").Append(branch.ToString(CultureInfo.InvariantCulture))
                        .Append(" [\"").Append(Escape(node.Name)).Append(node.Type == "Map" ? " (each item)" : $" branch {branch + 1}").Append("\"]\n");
                    WriteNodes(text, node.Id, indent + "  ");
                    text.Append(indent).Append("end\n");
                }
            }
        }
    }

    private static string Shape(AslGraphNode node)
    {
        var label = Escape(node.Name);
        return node.Type switch
        {
            "Choice" => $"{{\"{label}\"}}",
            "Wait" => $"([\"{label} (wait)\"])",
            "Succeed" => $"([\"{label} ✓\"])",
            "Fail" => $"([\"{label} ✗\"])",
            "Pass" => $"[/\"{label}\"/]",
            "Map" or "Parallel" => $"[[\"{label} ({node.Type})\"]]",
            _ => $"[\"{label}\"]",
        };
    }

    private static string Escape(string text) => text.Replace("\"", "#quot;", StringComparison.Ordinal);

    /// <summary>Reads one States block; returns the id of its StartAt state.</summary>
    private static string Read(JsonObject machine, string? container, int branch, string prefix, List<AslGraphNode> nodes, List<AslGraphEdge> edges)
    {
        var states = machine["States"] as JsonObject ?? throw new AslDefinitionException(["A state machine has no States object."]);
        var startAt = machine[nameof(StartAt)]?.GetValue<string>() ?? throw new AslDefinitionException(["A state machine has no StartAt."]);
        string Id(string name) => prefix + Sanitize(name);
        foreach (var (name, value) in states)
        {
            var state = value as JsonObject ?? throw new AslDefinitionException([$"State '{name}' is not an object."]);
            var type = state["Type"]?.GetValue<string>() ?? throw new AslDefinitionException([$"State '{name}' has no Type."]);
            var id = Id(name);
            nodes.Add(new AslGraphNode(id, name, type, container, branch));
            if (state["Next"]?.GetValue<string>() is { } next)
            {
                edges.Add(new AslGraphEdge(id, Id(next), "Next", null));
            }

            foreach (var choice in (state["Choices"] as JsonArray ?? []).OfType<JsonObject>())
            {
                edges.Add(new AslGraphEdge(id, Id(choice["Next"]!.GetValue<string>()), "Choice", Rule(choice)));
            }

            if (state["Default"]?.GetValue<string>() is { } fallback)
            {
                edges.Add(new AslGraphEdge(id, Id(fallback), "Default", "otherwise"));
            }

            foreach (var c in (state["Catch"] as JsonArray ?? []).OfType<JsonObject>())
            {
                var errors = (c["ErrorEquals"] as JsonArray ?? []).Select(e => e?.GetValue<string>()).Where(e => e is not null);
                edges.Add(new AslGraphEdge(id, Id(c["Next"]!.GetValue<string>()), "Catch", "catch " + string.Join(", ", errors)));
            }

            var branches = type switch
            {
                "Parallel" => (state["Branches"] as JsonArray ?? []).OfType<JsonObject>().ToList(),
                "Map" => new[] { state["ItemProcessor"] ?? state["Iterator"] }.OfType<JsonObject>().ToList(),
                _ => [],
            };
            for (var b = 0; b < branches.Count; b++)
            {
                var inner = Read(branches[b], id, b, $"{id}_{b}_", nodes, edges);
                edges.Add(new AslGraphEdge(id, inner, "Branch", null));
            }
        }

        return Id(startAt);
    }

    private static string Sanitize(string name)
    {
        var id = new StringBuilder();
        foreach (var c in name)
        {
            id.Append(char.IsAsciiLetterOrDigit(c) ? c : '_');
        }

        return id.ToString();
    }

    /// <summary>A Choice rule in a few words: <c>$.x == true</c>, <c>not (…)</c>, <c>… and …</c>.</summary>
    private static string Rule(JsonObject rule)
    {
        if (rule["And"] is JsonArray all)
        {
            return string.Join(" and ", all.OfType<JsonObject>().Select(Rule));
        }

        if (rule["Or"] is JsonArray any)
        {
            return string.Join(" or ", any.OfType<JsonObject>().Select(Rule));
        }

        if (rule["Not"] is JsonObject not)
        {
            return $"not ({Rule(not)})";
        }

        var variable = rule["Variable"]?.GetValue<string>() ?? "?";
        foreach (var (key, value) in rule)
        {
            if (key is "Variable" or "Next" or "Comment")
            {
                continue;
            }

            var op = key.EndsWith("Path", StringComparison.Ordinal) ? key[..^4] : key;
            var symbol = op switch
            {
                "StringEquals" or "NumericEquals" or "BooleanEquals" or "TimestampEquals" => "==",
                "NumericLessThan" or "StringLessThan" or "TimestampLessThan" => "<",
                "NumericGreaterThan" or "StringGreaterThan" or "TimestampGreaterThan" => ">",
                "NumericLessThanEquals" or "StringLessThanEquals" or "TimestampLessThanEquals" => "<=",
                "NumericGreaterThanEquals" or "StringGreaterThanEquals" or "TimestampGreaterThanEquals" => ">=",
                _ => op,
            };
            return $"{variable} {symbol} {value?.ToJsonString()}";
        }

        return variable;
    }
}
