using System.CommandLine;
using System.Text.Json.Nodes;

namespace Phoenix.Cli.Tests.AslRun;

public sealed class AslValidateCommandTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("phoenix-asl-validate-");

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public async Task Validate_TheShippedWorkflow_IsOkExitZero()
    {
        var workflow = Path.Combine(AslGraph.AslGraphTests.RepositoryRoot(), "statemachines", "deploy.asl.json");

        var (exit, stdout, stderr) = await RunAsync(workflow);

        Assert.Equal((0, "deploy.asl.json: OK\n", ""), (exit, stdout, stderr));
    }

    [Fact]
    public async Task Validate_SeveralProblems_ListsEveryOneWithCodeAndPointerExitOne()
    {
        var definition = Write("bad.json", """
            {"StartAt":"A","States":{
              "A":{"Type":"Pass","Next":"Nowhere"},
              "B":{"Type":"Wait","Seconds":-1,"End":true},
              "C":{"Type":"Choice","Choices":[{"Not":{"Variable":"$.x","IsPresent":true},"Variable":"$.y","Next":"A"}]}}}
            """);

        var (exit, stdout, stderr) = await RunAsync(definition);

        Assert.Equal((1, ""), (exit, stderr));
        var lines = stdout.TrimEnd('\n').Split('\n');
        Assert.Contains("bad.json: ERROR MISSING_TRANSITION_TARGET at /States/A/Next: State 'A': field 'Next' refers to state 'Nowhere', which does not exist in the same scope.", lines);
        Assert.Contains(lines, l => l.StartsWith("bad.json: ERROR SCHEMA_VALIDATION_FAILED at /States/B/Seconds: ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("bad.json: ERROR SCHEMA_VALIDATION_FAILED at /States/C/Choices/0: ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("bad.json: ERROR SCHEMA_VALIDATION_FAILED at /States/B: ", StringComparison.Ordinal) && l.Contains("not reachable", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Validate_Json_PrintsValidateStateMachineDefinitionShape()
    {
        var definition = Write("dup.json", "{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Succeed\"},\n\"A\":{\"Type\":\"Succeed\"}}}");

        var (exit, stdout, _) = await RunAsync(definition, "--json");

        Assert.Equal(1, exit);
        var expected = JsonNode.Parse("""
            {"result":"FAIL","diagnostics":[{"severity":"ERROR","code":"DUPLICATE_STATE_NAME",
              "message":"The definition has a duplicate key 'A' at /States/A (line 2, column 1).","location":"/States/A"}],
             "truncated":false}
            """);
        Assert.True(JsonNode.DeepEquals(expected, JsonNode.Parse(stdout)), stdout);
    }

    [Fact]
    public async Task Validate_JsonOfAValidDefinition_ResultOkExitZero()
    {
        var definition = Write("ok.json", """{"StartAt":"A","States":{"A":{"Type":"Succeed"}}}""");

        var (exit, stdout, _) = await RunAsync(definition, "--json");

        Assert.Equal(0, exit);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"result":"OK","diagnostics":[],"truncated":false}"""), JsonNode.Parse(stdout)), stdout);
    }

    [Fact]
    public async Task Validate_NotJson_OneInvalidJsonDiagnosticExitOne()
    {
        var definition = Write("broken.json", "{\"StartAt\": ");

        var (exit, stdout, _) = await RunAsync(definition);

        Assert.Equal(1, exit);
        Assert.StartsWith("broken.json: ERROR INVALID_JSON_DESCRIPTION at /: The definition is not valid JSON at line 1", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_MissingFile_UsageErrorExitTwo()
    {
        var missing = Path.Combine(_dir.FullName, "missing.json");

        var (exit, stdout, stderr) = await RunAsync(missing);

        Assert.Equal((2, ""), (exit, stdout));
        Assert.Equal($"phoenix asl validate: DEFINITION: expected an existing file (a state machine definition, ASL JSON), got '{missing}': no such file.\n", stderr);
    }

    private string Write(string name, string content)
    {
        var path = Path.Combine(_dir.FullName, name);
        File.WriteAllText(path, content);
        return path;
    }

    private static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await PhoenixCli.RunAsync(["asl", "validate", .. args], new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }
}
