using System.CommandLine;

namespace Phoenix.Cli.Tests;

/// <summary>
/// The command line as a person meets it: what bare <c>phoenix</c>, a typo or a missing argument answers, by exact message
/// and exit code. Every such answer is exit 2 with nothing on stdout, and nothing runs.
/// </summary>
public class PhoenixCliTests
{
    [Fact]
    public async Task Run_NoCommand_ListsEveryCommandAndExitsTwo()
    {
        var (exit, output, error) = await RunAsync();

        Assert.Equal((2, string.Empty), (exit, output));
        var lines = error.TrimEnd('\n').Split('\n');
        Assert.Equal(["phoenix: missing command.", "Commands:"], lines[..2]);
        var commands = PhoenixCli.CreateRoot().Subcommands;
        Assert.Equal(commands.Count, lines.Length - 3);
        Assert.All(commands, c => Assert.Single(lines, l => l.StartsWith($"  {c.Name} ", StringComparison.Ordinal) && l.EndsWith(c.Description!, StringComparison.Ordinal)));
        Assert.Equal("Run 'phoenix COMMAND --help' for a command's options.", lines[^1]);
    }

    [Theory]
    [InlineData("simulte", "phoenix: unknown command 'simulte'. Did you mean 'simulate'?")]
    [InlineData("histroy", "phoenix: unknown command 'histroy'. Did you mean 'history'?")]
    [InlineData("unlok", "phoenix: unknown command 'unlok'. Did you mean 'unlock'?")]
    [InlineData("frobnicate", "phoenix: unknown command 'frobnicate'.")]
    public async Task Run_UnknownCommand_SuggestsTheNearestAndListsTheCommands(string typed, string first)
    {
        var (exit, output, error) = await RunAsync(typed, "--app", "web");

        Assert.Equal((2, string.Empty), (exit, output));
        var lines = error.TrimEnd('\n').Split('\n');
        Assert.Equal([first, "Commands:"], lines[..2]);
        Assert.Contains("  simulate  Run a whole blue/green deployment on the embedded simulated AWS region (virtual time).", lines);
    }

    [Theory]
    [InlineData(new[] { "asl" }, "phoenix asl: missing command.")]
    [InlineData(new[] { "asl", "rnu" }, "phoenix asl: unknown command 'rnu'. Did you mean 'run'?")]
    public async Task Run_GroupWithoutItsCommand_ListsWhatItHolds(string[] args, string first)
    {
        var (exit, _, error) = await RunAsync(args);

        Assert.Equal(2, exit);
        Assert.Equal(
            $"{first}\nCommands:\n  run       Run a state machine definition locally; Task states answer from --mocks.\n"
            + "  validate  Check a state machine definition and list every problem with its location.\n"
            + "  graph     Print a Mermaid flowchart of a state machine definition.\nRun 'phoenix asl COMMAND --help' for a command's options.\n",
            error);
    }

    [Theory]
    [InlineData(new[] { "asl", "run" }, "phoenix asl run: missing DEFINITION: an existing file (a state machine definition, ASL JSON).")]
    [InlineData(new[] { "asl", "run", "/" }, "phoenix asl run: DEFINITION: expected an existing file (a state machine definition, ASL JSON), got '/': that is a directory.")]
    [InlineData(new[] { "status" }, "phoenix status: missing EXECUTION_ARN: an execution ARN (arn:aws:states:REGION:ACCOUNT:execution:STATE_MACHINE:NAME).")]
    [InlineData(new[] { "status", "web-20260101T000000Z" }, "phoenix status: EXECUTION_ARN: expected an execution ARN (arn:aws:states:REGION:ACCOUNT:execution:STATE_MACHINE:NAME), got 'web-20260101T000000Z'.")]
    [InlineData(new[] { "history" }, "phoenix history: missing --app NAME: an application name (a letter or digit, then letters, digits, '-', '_' or '.', at most 64).")]
    [InlineData(new[] { "history", "--app" }, "phoenix history: --app: expected an application name (a letter or digit, then letters, digits, '-', '_' or '.', at most 64), got nothing.")]
    [InlineData(new[] { "history", "--app", "web", "--limit", "lots" }, "phoenix history: --limit: expected a whole number from 1 to 1000, got 'lots'.")]
    [InlineData(new[] { "history", "--app", "web", "--table", " " }, "phoenix history: --table: expected TABLE (not blank), got ' '.")]
    [InlineData(new[] { "deploy", "--app", "web", "--input", "/" }, "phoenix deploy: --input: expected a JSON file or JSON text, got '/': that is a directory.")]
    [InlineData(new[] { "history", "--app", "web", "--endpoint-url", "localhost:4566" }, "phoenix history: --endpoint-url: expected an http(s) URL (e.g. http://localhost:4566), got 'localhost:4566'.")]
    [InlineData(new[] { "history", "--app", "web", "--region", "mars-1" }, "phoenix history: --region: expected an AWS region (e.g. us-east-1), got 'mars-1'.")]
    [InlineData(new[] { "deploy", "--app", "web", "--state-machine-arn", "x" }, "phoenix deploy: --state-machine-arn: expected a state machine ARN (arn:aws:states:REGION:ACCOUNT:stateMachine:NAME), got 'x'.")]
    [InlineData(new[] { "drift" }, "phoenix drift: missing --events FILE: an existing file (JSON Lines, one EventBridge event per line).")]
    public async Task Run_BadArgument_OneLineNamingTheOptionAndItsFormExitTwo(string[] args, string message)
    {
        var (exit, output, error) = await RunAsync(args);

        Assert.Equal((2, string.Empty, message + "\n"), (exit, output, error));
    }

    [Fact]
    public async Task Run_Help_ShowsTheCommandsOptionsWhateverElseIsGiven()
    {
        // Without --help this command line is refused (--instances does not go with --list).
        var (exit, output, error) = await RunAsync("simulate", "--list", "--instances", "3", "--help");

        Assert.Equal((0, string.Empty), (exit, error));
        Assert.Contains("simulate [options]", output, StringComparison.Ordinal);
        Assert.Contains("--instances <N>", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_InputFileThatIsNotJson_NamesTheFileAndThePosition()
    {
        var file = Path.Combine(Path.GetTempPath(), $"phoenix-input-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, "{\"application\": web}");
        try
        {
            var (exit, _, error) = await RunAsync("deploy", "--input", file);

            Assert.Equal(2, exit);
            Assert.Equal(
                $"phoenix deploy: --input: expected a JSON file or JSON text, got '{file}': file '{file}' is not valid JSON: "
                + "'w' is an invalid start of a value. LineNumber: 0 | BytePositionInLine: 16.\n",
                error);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData("simulate", "simulate", 0)]
    [InlineData("simulte", "simulate", 1)]
    [InlineData("histroy", "history", 1)]
    [InlineData("", "run", 3)]
    [InlineData("deploy", "drift", 5)]
    public void Distance_CountsInsertionsDeletionsSubstitutionsAndSwaps(string a, string b, int expected) =>
        Assert.Equal(expected, PhoenixCli.Distance(a, b));

    private static async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await PhoenixCli.RunAsync(args, new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }
}
