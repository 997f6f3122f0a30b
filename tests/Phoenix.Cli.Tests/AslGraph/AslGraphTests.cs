using System.CommandLine;
using System.Runtime.CompilerServices;

namespace Phoenix.Cli.Tests.AslGraph;

public class AslGraphTests
{
    [Fact]
    public async Task Graph_ShippedWorkflow_MatchesCheckedInDiagramAndReadme()
    {
        var root = RepositoryRoot();
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = await PhoenixCli.RunAsync(
            ["asl", "graph", Path.Combine(root, "statemachines", "deploy.asl.json")], new InvocationConfiguration { Output = output, Error = error });

        Assert.Equal((0, ""), (exit, error.ToString()));
        var checkedIn = await File.ReadAllTextAsync(Path.Combine(root, "docs", "workflow.mmd"));
        Assert.True(
            checkedIn == output.ToString(),
            "docs/workflow.mmd is out of date: run `dotnet run --project functions/Phoenix.Cli -- asl graph statemachines/deploy.asl.json > docs/workflow.mmd` and paste it into the README.");
        var readme = await File.ReadAllTextAsync(Path.Combine(root, "README.md"));
        Assert.Contains("```mermaid\n" + checkedIn + "```\n", readme, StringComparison.Ordinal);
    }

    [Fact]
    public void ToMermaid_EveryKindOfTransitionAndBranch_IsDrawn()
    {
        const string Definition = """
        {"StartAt": "Check", "States": {
          "Check": {"Type": "Task", "Resource": "arn:fn", "Next": "Ready?", "Catch": [{"ErrorEquals": ["Boom", "States.Timeout"], "Next": "Failed"}]},
          "Ready?": {"Type": "Choice", "Choices": [{"Variable": "$.ok", "BooleanEquals": true, "Next": "Fan"}, {"Not": {"Variable": "$.n", "NumericGreaterThanPath": "$.max"}, "Next": "Pause"}], "Default": "Failed"},
          "Pause": {"Type": "Wait", "Seconds": 5, "Next": "Check"},
          "Fan": {"Type": "Parallel", "Branches": [{"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}], "Next": "Each"},
          "Each": {"Type": "Map", "ItemProcessor": {"StartAt": "B", "States": {"B": {"Type": "Succeed"}}}, "End": true},
          "Failed": {"Type": "Fail", "Error": "X"}
        }}
        """;

        var graph = Phoenix.Asl.Graph.AslGraph.Parse(Definition);

        Assert.Equal(
            """
            flowchart TD
              start((start)) --> Check
              Check["Check"]
              Ready_{"Ready?"}
              Pause(["Pause (wait)"])
              Fan[["Fan (Parallel)"]]
              subgraph Fan_b0 ["Fan branch 1"]
                Fan_0_A[/"A"/]
              end
              Each[["Each (Map)"]]
              subgraph Each_b0 ["Each (each item)"]
                Each_0_B(["B ✓"])
              end
              Failed(["Failed ✗"])
              Check --> Ready_
              Check -.->|"catch Boom, States.Timeout"| Failed
              Ready_ -->|"$.ok == true"| Fan
              Ready_ -->|"not ($.n > "$.max")"| Pause
              Ready_ -->|"otherwise"| Failed
              Pause --> Check
              Fan --> Each
              Fan --> Fan_0_A
              Each --> Each_0_B

            """.Replace("\"$.max\"", "#quot;$.max#quot;", StringComparison.Ordinal),
            graph.ToMermaid());
        Assert.Equal(new[] { "Check", "Pause", "Ready?" }, graph.LoopStates().Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Graph_NotADefinition_ExitsTwoWithOneLine()
    {
        var file = Path.Combine(Path.GetTempPath(), $"not-asl-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, """{"States": {}}""");
        using var output = new StringWriter();
        using var error = new StringWriter();
        try
        {
            var exit = await PhoenixCli.RunAsync(["asl", "graph", file], new InvocationConfiguration { Output = output, Error = error });

            Assert.Equal((2, ""), (exit, output.ToString()));
            Assert.Equal($"phoenix asl graph: {Path.GetFileName(file)} is not a state machine definition: A state machine has no StartAt.\n", error.ToString());
        }
        finally
        {
            File.Delete(file);
        }
    }

    internal static string RepositoryRoot([CallerFilePath] string source = "")
    {
        for (var dir = new DirectoryInfo(Path.GetDirectoryName(source)!); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Serverless.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Serverless.sln above {source}.");
    }
}
