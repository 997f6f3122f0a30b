using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Phoenix.Cli.Simulation;

namespace Phoenix.Cli.Tests.Simulation;

public class SimulateCommandTests
{
    private static async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await PhoenixCli.RunAsync(["simulate", .. args], new InvocationConfiguration { Output = output, Error = error });
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
        Assert.Contains("Result: FAILED (ROLLED_BACK) — 0 of 2 green instances passed health checks within 10 min", output, StringComparison.Ordinal);
        Assert.Contains("Rolled back at", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "--instances", "abc" }, "--instances: expected a whole number from 1 to 10000, got 'abc'.")]
    [InlineData(new[] { "--instances", "0" }, "--instances: expected a whole number from 1 to 10000, got '0'.")]
    [InlineData(new[] { "--instances", "-3" }, "--instances: expected a whole number from 1 to 10000, got '-3'.")]
    [InlineData(new[] { "--instances", "10001" }, "--instances: expected a whole number from 1 to 10000, got '10001'.")]
    [InlineData(new[] { "--instances" }, "--instances: expected a whole number from 1 to 10000, got nothing.")]
    [InlineData(new[] { "--image", "ami-XYZ" }, "--image: expected an AMI id (ami- followed by 8 or 17 lowercase hex digits), got 'ami-XYZ'.")]
    [InlineData(new[] { "--steps", "10,abc,100" }, "--steps: expected traffic percentages from 1 to 100, strictly increasing and ending at 100 (e.g. 10,50,100), got '10,abc,100': 'abc' is not a whole percentage.")]
    [InlineData(new[] { "--steps", "50,10,100" }, "--steps: expected traffic percentages from 1 to 100, strictly increasing and ending at 100 (e.g. 10,50,100), got '50,10,100': strategy.trafficSteps [50,10,100] must be strictly increasing: 10 follows 50.")]
    [InlineData(new[] { "--steps", "10,50" }, "--steps: expected traffic percentages from 1 to 100, strictly increasing and ending at 100 (e.g. 10,50,100), got '10,50': strategy.trafficSteps [10,50] must end at 100, not 50.")]
    [InlineData(new[] { "--scenario", "helthy" }, "--scenario: expected a scenario name (phoenix simulate --list), got 'helthy'. Did you mean 'healthy'? Known: ")]
    [InlineData(new[] { "--json", "--list", "--instances", "3" }, "--instances does not go with --list, which lists the scenarios and runs none.")]
    [InlineData(new[] { "--scenario", "bake-fails", "--image", "ami-0123456789abcdef0" }, "--image does not apply to scenario 'bake-fails': it is about the bake failing, and --image skips the bake.")]
    [InlineData(new[] { "--scenario", "bake-fails", "--steps", "10,100" }, "--steps does not apply to scenario 'bake-fails': the bake fails before any traffic moves.")]
    [InlineData(new[] { "--scenario", "drift", "--instances", "3" }, "--instances does not apply to scenario 'drift': it runs its own fleet of 4 instances and no deployment.")]
    [InlineData(new[] { "--scenario", "drift", "--instances", "abc" }, "--instances: expected a whole number from 1 to 10000, got 'abc'.")]
    [InlineData(new[] { "--scenario", "drift", "--image", "ami-0123456789abcdef0" }, "--image does not apply to scenario 'drift': it runs no deployment; its images are part of the story.")]
    [InlineData(new[] { "--scenario", "bad-image", "--steps", "10,100" }, "--steps does not apply to scenario 'bad-image': green never passes its health checks, so no traffic moves.")]
    [InlineData(new[] { "--report", "/nonexistent-dir-15c/r.html" }, "--report: expected a file to write (HTML) in an existing directory, got '/nonexistent-dir-15c/r.html': no directory /nonexistent-dir-15c.")]
    [InlineData(new[] { "--report", "/tmp" }, "--report: expected a file to write (HTML) in an existing directory, got '/tmp': that is a directory.")]
    [InlineData(new[] { "--scenario", "drift", "--report", "r.html" }, "--report does not apply to scenario 'drift': it runs no deployment to chart.")]
    [InlineData(new[] { "--list", "--report", "r.html" }, "--report does not go with --list, which lists the scenarios and runs none.")]
    [InlineData(new[] { "--jsn" }, "unknown option '--jsn'. Did you mean '--json'? Its options: --scenario, --instances, --image, --steps, --json, --list, --report.")]
    [InlineData(new[] { "healthy" }, "unexpected argument 'healthy' (phoenix simulate takes options only).")]
    public async Task Simulate_BadArgument_ExitsTwoWithOneLineNamingItAndRunsNothing(string[] args, string message)
    {
        var (exit, output, error) = await RunAsync(args);

        Assert.Equal((2, string.Empty), (exit, output));
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        var known = message.EndsWith("Known: ", StringComparison.Ordinal) ? $"{string.Join(", ", ScenarioCatalog.All.Select(s => s.Name))}." : string.Empty;
        Assert.Equal($"phoenix simulate: {message}{known}", line);
    }

    [Fact]
    public async Task Simulate_ListJson_NamesEveryScenarioAndTheOptionsItRefuses()
    {
        var (exit, output, _) = await RunAsync("--list", "--json");

        Assert.Equal(0, exit);
        var scenarios = JsonNode.Parse(output)!["scenarios"]!.AsArray();
        Assert.Equal(ScenarioCatalog.All.Select(s => s.Name), scenarios.Select(s => s!["name"]!.GetValue<string>()));
        var bakeFails = scenarios.Single(s => s!["name"]!.GetValue<string>() == "bake-fails")!;
        Assert.Equal("it is about the bake failing, and --image skips the bake", bakeFails["notApplicable"]!["--image"]!.GetValue<string>());
    }

    public static TheoryData<string> ScenarioNames => [.. ScenarioCatalog.All.Select(s => s.Name)];

    [Theory]
    [MemberData(nameof(ScenarioNames))]
    public async Task Simulate_JsonForAnyScenario_PrintsOneJsonDocumentAndNothingElse(string scenario)
    {
        var (exit, output, error) = await RunAsync("--scenario", scenario, "--json");

        Assert.InRange(exit, 0, 1);
        Assert.Equal(string.Empty, error);
        using var document = JsonDocument.Parse(output);
        Assert.Equal(JsonValueKind.Object, document.RootElement.ValueKind);
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
