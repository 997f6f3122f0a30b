using System.CommandLine;
using System.Text.Json.Nodes;
using Phoenix.Cli.Commands;
using Phoenix.Cli.Simulation;

namespace Phoenix.Cli.Tests.Simulation;

public class SimulateCommandTests
{
    private static async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
    {
        var root = new RootCommand { SimulateCommand.Create() };
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await root.Parse(["simulate", .. args]).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Simulate_NoArguments_HealthyBlueGreenDeploymentExitsZero()
    {
        var (exit, output, _) = await RunAsync();

        Assert.Equal(0, exit);
        Assert.Contains("scenario 'healthy'", output, StringComparison.Ordinal);
        Assert.Contains("SwapTraffic", output, StringComparison.Ordinal);
        Assert.Contains("Result: DEPLOYED", output, StringComparison.Ordinal);
        Assert.Contains("Traffic timeline:", output, StringComparison.Ordinal);
        Assert.Contains("Safety invariant: held", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Simulate_List_OneLinePerScenario()
    {
        var (exit, output, _) = await RunAsync("--list");

        Assert.Equal(0, exit);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.All(ScenarioCatalog.BuiltIn, s => Assert.Single(lines, l => l.StartsWith(s.Name + " ", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Simulate_BadImageScenario_ExitsOneWithRollback()
    {
        var (exit, output, _) = await RunAsync("--scenario", "bad-image", "--instances", "2");

        Assert.Equal(1, exit);
        Assert.Contains("Result: FAILED (ROLLED_BACK) — HealthCheckFailed", output, StringComparison.Ordinal);
        Assert.Contains("Rolled back at", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--scenario", "nope", "'nope'")]
    [InlineData("--instances", "0", "--instances 0")]
    [InlineData("--instances", "-3", "--instances -3")]
    [InlineData("--image", "ami-XYZ", "'ami-XYZ'")]
    [InlineData("--steps", "10,abc,100", "'abc'")]
    public async Task Simulate_BadArgument_ExitsTwoNamingTheValueAndRunsNothing(string option, string value, string named)
    {
        var (exit, output, error) = await RunAsync(option, value);

        Assert.Equal(2, exit);
        Assert.Contains(named, error, StringComparison.Ordinal);
        Assert.Equal("", output);
    }

    [Fact]
    public async Task Simulate_StepsNotEndingAt100_ValidateRejectsExitTwo()
    {
        var (exit, output, _) = await RunAsync("--steps", "10,50", "--instances", "2");

        Assert.Equal(2, exit);
        Assert.Contains("InvalidDeploymentRequest", output, StringComparison.Ordinal);
        Assert.Contains("Nothing to roll back", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Simulate_Json_HistoryAndTimeline()
    {
        var (exit, output, _) = await RunAsync("--json", "--instances", "2", "--image", "ami-0123456789abcdef0");

        Assert.Equal(0, exit);
        var document = JsonNode.Parse(output)!;
        Assert.Equal("Deployed", document["outcome"]!.GetValue<string>());
        var events = document["execution"]!["events"]!.AsArray();
        Assert.Equal("ExecutionStarted", events[0]!["type"]!.GetValue<string>());
        Assert.Equal("ExecutionSucceeded", events[^1]!["type"]!.GetValue<string>());
        Assert.True(document["timeline"]!.AsArray().Count > 3);
        Assert.True(document["safetyInvariant"]!["held"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Simulate_RollbackFails_ReportsTheFailedRollbackNotARollBackAndExitsOne()
    {
        var (exit, output, _) = await RunAsync("--scenario", "rollback-fails", "--instances", "2");

        Assert.Equal(1, exit);
        Assert.Contains("FAILED: manual action needed", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Rolled back at", output, StringComparison.Ordinal);
        Assert.Contains("call(s) refused by an outage", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Simulate_JsonAborted_RunsCarryTheStatusChangeCleanupAndFaultCounts()
    {
        var (exit, output, _) = await RunAsync("--scenario", "aborted", "--json", "--instances", "2");

        Assert.Equal(1, exit);
        var document = JsonNode.Parse(output)!;
        Assert.Equal("Aborted", document["outcome"]!.GetValue<string>());
        var run = Assert.Single(document["runs"]!.AsArray())!;
        Assert.Equal("Aborted", run["status"]!.GetValue<string>());
        Assert.Equal("ABORTED", run["cleanup"]!["status"]!.GetValue<string>());
        Assert.Equal(0, document["faults"]!["lostResponses"]!.GetValue<int>());
    }
}
