using System.Text.RegularExpressions;
using Phoenix.Cdk.Tests.Support;

namespace Phoenix.Cdk.Tests;

/// <summary>
/// The README's tables of stack outputs and of what <c>cdk destroy</c> leaves behind, held to the synthesized templates of the
/// whole app (every optional stack on): a new output or a resource newly retained fails here until the README says so.
/// </summary>
[Collection(SynthesizedAppGroup.Name)]
public sealed partial class ReadmeTests(SynthesizedApp app)
{
    private static readonly string[] Readme = File.ReadAllLines(Path.Combine(PhoenixSettings.RepositoryRoot, "README.md"));

    [Fact]
    public void StackOutputsTable_ListsEveryOutputButCdksCrossStackExports()
    {
        var synthesized = app.AllStacks
            .SelectMany(stack => app.JsonOf(stack)["Outputs"]?.AsObject().Select(o => $"{stack.StackName} {o.Key}") ?? [])
            .Where(output => !output.Contains(" ExportsOutput", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);

        var documented = Rows("### Stack outputs → environment variables")
            .Select(cells => $"{cells[0]} {cells[1].Trim('`')}")
            .Order(StringComparer.Ordinal);

        Assert.Equal(synthesized, documented);
    }

    [Fact]
    public void TeardownTable_ListsEveryRetainedResourceByStackAndType()
    {
        var synthesized = app.AllStacks
            .SelectMany(stack => app.JsonOf(stack)["Resources"]!.AsObject()
                .Where(r => (string?)r.Value!["DeletionPolicy"] == "Retain")
                .GroupBy(r => (string)r.Value!["Type"]!)
                .Select(g => $"{stack.StackName} {g.Count()} × {g.Key}"))
            .Order(StringComparer.Ordinal);

        var documented = Rows("### Teardown")
            .Where(cells => RetainedCount().IsMatch(cells[1]))
            .Select(cells => $"{cells[0]} {cells[1]}")
            .Order(StringComparer.Ordinal);

        Assert.Equal(synthesized, documented);
    }

    /// <summary>The cells of every data row of the first table under <paramref name="heading"/>.</summary>
    private static IEnumerable<string[]> Rows(string heading)
    {
        var start = Array.IndexOf(Readme, heading);
        Assert.True(start >= 0, $"README has no '{heading}' section.");
        return Readme
            .Skip(start + 1)
            .SkipWhile(line => !line.StartsWith('|'))
            .TakeWhile(line => line.StartsWith('|'))
            .Skip(2)
            .Select(line => line.Trim('|').Split('|').Select(cell => cell.Trim()).ToArray());
    }

    [GeneratedRegex(@"^\d+ × AWS::\w+::\w+$")]
    private static partial Regex RetainedCount();
}
