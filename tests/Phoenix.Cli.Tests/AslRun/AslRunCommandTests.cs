using System.CommandLine;
using System.Text.Json.Nodes;

namespace Phoenix.Cli.Tests.AslRun;

public sealed class AslRunCommandTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("phoenix-asl-run-");

    public void Dispose() => _dir.Delete(recursive: true);

    public static IEnumerable<object[]> ReadmeExamples =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(ExamplesDir, "examples.json")))!["examples"]!.AsArray()
            .Select(e => new object[] { string.Join(' ', e!["args"]!.AsArray().Select(a => a!.GetValue<string>())) });

    private static string ExamplesDir => Path.Combine(AppContext.BaseDirectory, "Examples", "asl");

    [Theory]
    [MemberData(nameof(ReadmeExamples))]
    public async Task Run_ReadmeExample_PrintsDocumentedOutputAndExitCode(string commandLine)
    {
        var example = JsonNode.Parse(File.ReadAllText(Path.Combine(ExamplesDir, "examples.json")))!["examples"]!.AsArray()
            .Single(e => string.Join(' ', e!["args"]!.AsArray().Select(a => a!.GetValue<string>())) == commandLine)!;
        var args = example["args"]!.AsArray()
            .Select(a => a!.GetValue<string>())
            .Select(a => File.Exists(Path.Combine(ExamplesDir, a)) ? Path.Combine(ExamplesDir, a) : a)
            .ToArray();

        var (exit, stdout, stderr) = await RunAsync(args);

        Assert.Equal(example["exit"]!.GetValue<int>(), exit);
        Assert.True(JsonNode.DeepEquals(example["stdout"], JsonNode.Parse(stdout)), $"stdout: {stdout}");
        Assert.Equal("", stderr);
    }

    [Fact]
    public async Task Run_FailedExecution_PrintsOnlyErrorAndCauseAndExitsOne()
    {
        var definition = Write("fail.json", """{"StartAt":"F","States":{"F":{"Type":"Fail","Error":"Boom","Cause":"it broke"}}}""");

        var (exit, stdout, _) = await RunAsync(definition);

        Assert.Equal(1, exit);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"error":"Boom","cause":"it broke"}"""), JsonNode.Parse(stdout)));
    }

    [Fact]
    public async Task Run_History_WritesOneJsonEventPerLineToStderr()
    {
        var definition = Write("pass.json", """{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}""");

        var (exit, stdout, stderr) = await RunAsync(definition, "--history", "--input", """{"a":1}""");

        Assert.Equal(0, exit);
        Assert.Equal("""{"a":1}""", JsonNode.Parse(stdout)!.ToJsonString());
        var events = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToList();
        Assert.Equal(["ExecutionStarted", "PassStateEntered", "PassStateExited", "ExecutionSucceeded"], events.Select(e => e["type"]!.GetValue<string>()));
        Assert.Equal([1L, 2L, 3L, 4L], events.Select(e => e["id"]!.GetValue<long>()));
    }

    [Fact]
    public async Task Run_LoopPastTheHistoryQuota_FailsAsOnAws_RunsToTheEndWithExpress()
    {
        // 7,000 iterations of Pass + Choice: 28,004 events, past STANDARD's 25,000.
        var definition = Write("loop.json", """
            {"StartAt":"Inc","States":{
              "Inc":{"Type":"Pass","Parameters":{"n.$":"States.MathAdd($.n, 1)"},"Next":"Check"},
              "Check":{"Type":"Choice","Choices":[{"Variable":"$.n","NumericLessThan":7000,"Next":"Inc"}],"Default":"Done"},
              "Done":{"Type":"Succeed"}}}
            """);

        var standard = await RunAsync(definition, "--input", """{"n":0}""");
        var express = await RunAsync(definition, "--input", """{"n":0}""", "--express");

        Assert.Equal(1, standard.Exit);
        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse("""{"error":"States.Runtime","cause":"The execution reached the maximum number of history events (25000)."}"""),
            JsonNode.Parse(standard.Stdout)), standard.Stdout);
        Assert.Equal(0, express.Exit);
        Assert.Equal("""{"n":7000}""", JsonNode.Parse(express.Stdout)!.ToJsonString());
    }

    [Fact]
    public async Task Run_VirtualClock_LongWaitFinishesAtOnce()
    {
        var definition = Write("wait.json", """{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":86400,"End":true}}}""");

        var run = RunAsync(definition, "--virtual-clock");
        var finished = await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(20)));

        Assert.Same(run, finished);
        Assert.Equal(0, (await run).Exit);
    }

    [Fact]
    public async Task Run_MissingDefinitionFile_OneLineOnStderrExitTwo()
    {
        var (exit, stdout, stderr) = await RunAsync(Path.Combine(_dir.FullName, "missing.json"));

        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        AssertOneLine(stderr, "missing.json");
    }

    [Fact]
    public async Task Run_MalformedDefinitionJson_OneLineOnStderrExitTwo()
    {
        var (exit, _, stderr) = await RunAsync(Write("bad.json", "{\"StartAt\": "));

        Assert.Equal(2, exit);
        AssertOneLine(stderr, "not valid JSON");
    }

    [Fact]
    public async Task Run_InvalidDefinition_NamesStateAndFieldExitTwo()
    {
        var (exit, _, stderr) = await RunAsync(Write("invalid.json", """{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"Nowhere"}}}"""));

        Assert.Equal(2, exit);
        AssertOneLine(stderr, "State 'A': field 'Next' refers to state 'Nowhere'");
    }

    [Fact]
    public async Task Run_MalformedInput_OneLineOnStderrExitTwo()
    {
        var definition = Write("pass.json", """{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}""");

        var (exit, _, stderr) = await RunAsync(definition, "--input", "{oops");

        Assert.Equal(2, exit);
        AssertOneLine(stderr, "--input");
    }

    [Fact]
    public async Task Run_MocksNameAStateThatIsNoTask_ExitTwoNamingIt()
    {
        var definition = Write("pass.json", """{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}""");
        var mocks = Write("mocks.json", """{"P":[{"return":1}]}""");

        var (exit, _, stderr) = await RunAsync(definition, "--mocks", mocks);

        Assert.Equal(2, exit);
        AssertOneLine(stderr, "'P', which is not a Task state");
    }

    [Fact]
    public async Task Run_MockEntryWithoutReturnOrThrow_ExitTwoNamingIt()
    {
        var definition = Write("task.json", """{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:f","End":true}}}""");
        var mocks = Write("mocks.json", """{"T":[{"returns":1}]}""");

        var (exit, _, stderr) = await RunAsync(definition, "--mocks", mocks);

        Assert.Equal(2, exit);
        AssertOneLine(stderr, "'T'[0]");
    }

    [Fact]
    public async Task Run_TaskReachedWithoutAMock_StopsAndExitsTwoNamingTheStateEvenUnderACatch()
    {
        // A Catch on States.ALL must not turn a gap in the mocks into a handled failure of the state machine.
        var definition = Write("catch.json", """
            {"StartAt":"A","States":{
              "A":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:a","Next":"B"},
              "B":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:b","Catch":[{"ErrorEquals":["States.ALL"],"Next":"Handled"}],"End":true},
              "Handled":{"Type":"Succeed"}}}
            """);
        var mocks = Write("mocks.json", """{"A":[{"return":1}]}""");

        var (exit, stdout, stderr) = await RunAsync(definition, "--mocks", mocks, "--virtual-clock");

        Assert.Equal((2, string.Empty), (exit, stdout));
        Assert.Equal($"phoenix asl run: --mocks: file '{mocks}' has no answer for Task state 'B', which the execution reached; add \"B\": [{{\"return\": …}}] to it.\n", stderr);
    }

    [Fact]
    public async Task Run_TaskReachedWithoutAnyMocksFile_ExitsTwoAskingForOne()
    {
        var definition = Write("task.json", """{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:f","End":true}}}""");

        var (exit, stdout, stderr) = await RunAsync(definition, "--virtual-clock");

        Assert.Equal((2, string.Empty), (exit, stdout));
        Assert.Equal("phoenix asl run: the execution reached Task state 'T', but no --mocks FILE answers it (a JSON object with \"T\": [{\"return\": …}]).\n", stderr);
    }

    [Fact]
    public async Task Run_MissingMocksFile_ExitsTwoBeforeRunning()
    {
        var definition = Write("pass.json", """{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}""");
        var missing = Path.Combine(_dir.FullName, "no-mocks.json");

        var (exit, stdout, stderr) = await RunAsync(definition, "--mocks", missing);

        Assert.Equal((2, string.Empty), (exit, stdout));
        Assert.Equal($"phoenix asl run: --mocks: expected an existing file (Task mocks, JSON), got '{missing}': no such file.\n", stderr);
    }

    [Fact]
    public async Task Run_InputThatIsNeitherAFileNorJson_SaysNoSuchFile()
    {
        var definition = Write("pass.json", """{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}""");

        var (exit, _, stderr) = await RunAsync(definition, "--input", "nosuchfile.json");

        Assert.Equal(2, exit);
        Assert.Equal("phoenix asl run: --input: expected a JSON file or JSON text, got 'nosuchfile.json': no such file.\n", stderr);
    }

    [Fact]
    public async Task Run_MockList_LastEntryRepeats()
    {
        var definition = Write("loop.json", """
            {"StartAt":"T","States":{
              "T":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:f","ResultPath":"$.r","Next":"C"},
              "C":{"Type":"Choice","Choices":[{"Variable":"$.n","NumericLessThan":3,"Next":"Inc"}],"Default":"Done"},
              "Inc":{"Type":"Pass","Parameters":{"n.$":"States.MathAdd($.n, 1)"},"Next":"T"},
              "Done":{"Type":"Pass","OutputPath":"$.r","End":true}}}
            """);
        var mocks = Write("mocks.json", """{"T":[{"return":"first"},{"return":"later"}]}""");

        var (exit, stdout, _) = await RunAsync(definition, "--mocks", mocks, "--input", """{"n":0}""");

        Assert.Equal(0, exit);
        Assert.Equal("\"later\"", stdout.Trim());
    }

    [Fact]
    public async Task Run_DefinitionWithADuplicateKey_OneLineNamingKeyAndLocationExitTwo()
    {
        var definition = Write("dup.json", "{\"StartAt\":\"P\",\n \"StartAt\":\"P\",\"States\":{\"P\":{\"Type\":\"Pass\",\"End\":true}}}");

        var (exit, stdout, stderr) = await RunAsync(definition);

        Assert.Equal((2, string.Empty), (exit, stdout));
        AssertOneLine(stderr, "duplicate key 'StartAt' at /StartAt (line 2, column 2)");
    }

    [Fact]
    public async Task Run_InputWithADuplicateKey_OneLineNamingKeyAndLocationExitTwo()
    {
        var definition = Write("pass.json", """{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}""");

        var (exit, stdout, stderr) = await RunAsync(definition, "--input", """{"a":{"b":1,"b":2}}""");

        Assert.Equal((2, string.Empty), (exit, stdout));
        AssertOneLine(stderr, "--input: expected a JSON file or JSON text, got '{\"a\":{\"b\":1,\"b\":2}}': duplicate key 'b' at /a/b (line 1, column 13).");
    }

    [Fact]
    public async Task Run_MocksWithADuplicateKey_OneLineNamingKeyAndLocationExitTwo()
    {
        var definition = Write("task.json", """{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:f","End":true}}}""");
        var mocks = Write("mocks.json", """{"T":[{"return":1}],"T":[{"return":2}]}""");

        var (exit, stdout, stderr) = await RunAsync(definition, "--mocks", mocks);

        Assert.Equal((2, string.Empty), (exit, stdout));
        AssertOneLine(stderr, "duplicate key 'T' at /T (line 1, column 21)");
    }

    private string Write(string name, string content)
    {
        var path = Path.Combine(_dir.FullName, name);
        File.WriteAllText(path, content);
        return path;
    }

    private static void AssertOneLine(string stderr, string mentions)
    {
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("phoenix asl run: ", lines[0], StringComparison.Ordinal);
        Assert.Contains(mentions, lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    private static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await PhoenixCli.RunAsync(["asl", "run", .. args], new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }
}
