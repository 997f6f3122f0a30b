using System.CommandLine;
using System.Text.Json.Nodes;

namespace Phoenix.Cli.Tests.AslRun;

/// <summary><c>--mocks</c> given an AWS Step Functions Local MockConfigFile, recognised by its top-level keys.</summary>
public sealed class MockConfigFileTests : IDisposable
{
    // A Lambda task retried on two errors (IntervalSeconds 1, BackoffRate 2), then an SQS task.
    private const string Definition = """
        {"StartAt":"LambdaState","States":{
          "LambdaState":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
            "Parameters":{"FunctionName":"HelloWorld","Payload.$":"$"},"ResultSelector":{"body.$":"$.Payload.body","status.$":"$.StatusCode"},
            "Retry":[{"ErrorEquals":["Lambda.ResourceNotReadyException","Lambda.TimeoutException"],"MaxAttempts":3}],
            "Next":"SQSState"},
          "SQSState":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage",
            "Parameters":{"QueueUrl":"https://sqs.us-east-1.amazonaws.com/123456789012/q","MessageBody.$":"$"},"ResultPath":"$.sent","End":true}}}
        """;

    private const string MockConfig = """
        {
          "StateMachines": {
            "LambdaSQSIntegration": {
              "TestCases": {
                "HappyPath": {"LambdaState": "MockedLambdaSuccess", "SQSState": "MockedSQSSuccess"},
                "RetryPath": {"LambdaState": "MockedLambdaRetry", "SQSState": "MockedSQSSuccess"},
                "HybridPath": {"LambdaState": "MockedLambdaSuccess"},
                "TooFewPath": {"LambdaState": "MockedLambdaNotReady", "SQSState": "MockedSQSSuccess"}
              }
            }
          },
          "MockedResponses": {
            "MockedLambdaSuccess": {"0": {"Return": {"StatusCode": 200, "Payload": {"StatusCode": 200, "body": "Hello from Lambda!"}}}},
            "MockedLambdaNotReady": {"0": {"Throw": {"Error": "Lambda.ResourceNotReadyException", "Cause": "Lambda resource is not ready."}}},
            "MockedSQSSuccess": {"0": {"Return": {"MD5OfMessageBody": "3bcb6e8e", "MessageId": "3bcb6e8e-8b51"}}},
            "MockedLambdaRetry": {
              "0": {"Throw": {"Error": "Lambda.ResourceNotReadyException", "Cause": "Lambda resource is not ready."}},
              "1-2": {"Throw": {"Error": "Lambda.TimeoutException", "Cause": "Lambda timed out."}},
              "3": {"Return": {"StatusCode": 200, "Payload": {"StatusCode": 200, "body": "Hello from Lambda!"}}}
            }
          }
        }
        """;

    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("phoenix-mock-config-");

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public async Task Run_HappyPath_ReturnsEachIntegrationResponse()
    {
        var (exit, stdout, stderr) = await RunAsync("HappyPath");

        Assert.Equal((0, ""), (exit, stderr));
        var expected = JsonNode.Parse("""{"body":"Hello from Lambda!","status":200,"sent":{"MD5OfMessageBody":"3bcb6e8e","MessageId":"3bcb6e8e-8b51"}}""");
        Assert.True(JsonNode.DeepEquals(expected, JsonNode.Parse(stdout)), stdout);
    }

    [Fact]
    public async Task Run_RetryPath_RangeKeysAnswerInvocationsOneAndTwo()
    {
        var (exit, stdout, stderr) = await RunAsync("RetryPath", "--history");

        Assert.Equal(0, exit);
        Assert.Equal("Hello from Lambda!", JsonNode.Parse(stdout)!["body"]!.GetValue<string>());
        var failures = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonNode.Parse(l)!)
            .Where(e => e["type"]!.GetValue<string>() == "TaskFailed")
            .Select(e => e["taskFailedEventDetails"]!["error"]!.GetValue<string>());
        Assert.Equal(["Lambda.ResourceNotReadyException", "Lambda.TimeoutException", "Lambda.TimeoutException"], failures);
    }

    [Fact]
    public async Task Run_TestCaseWithoutAStateTheRunReaches_ExitTwoNamingStateAndTestCase()
    {
        var (exit, stdout, stderr) = await RunAsync("HybridPath");

        Assert.Equal((2, ""), (exit, stdout));
        Assert.Equal(
            $"phoenix asl run: --mocks: test case 'HybridPath' in file '{Path.Combine(_dir.FullName, "MockConfigFile.json")}' does not mock Task state 'SQSState', which the execution reached; add \"SQSState\": \"<mocked response>\" to it.\n",
            stderr);
    }

    [Fact]
    public async Task Run_MoreInvocationsThanResponses_ExitTwoNamingTheInvocation()
    {
        var (exit, _, stderr) = await RunAsync("TooFewPath");

        Assert.Equal(2, exit);
        Assert.Contains("has no response for invocation 1 (counting from 0) of Task state 'LambdaState'", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_SeveralTestCasesAndNoneChosen_ExitTwoListingThem()
    {
        var (exit, _, stderr) = await RunAsync(null);

        Assert.Equal(2, exit);
        Assert.Contains("has test cases 'HappyPath', 'RetryPath', 'HybridPath', 'TooFewPath'; choose one with --mock-test-case.", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_UnknownTestCase_ExitTwoNamingIt()
    {
        var (exit, _, stderr) = await RunAsync("SadPath");

        Assert.Equal(2, exit);
        Assert.Contains("--mock-test-case 'SadPath': state machine 'LambdaSQSIntegration'", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"0":{"Return":1},"2":{"Return":2}}""", "invocation 1 has no response")]
    [InlineData("""{"0-1":{"Return":1},"1":{"Return":2}}""", "invocation 1 is given twice")]
    [InlineData("""{"first":{"Return":1}}""", "key 'first' must be an invocation number")]
    [InlineData("""{"0":{"Return":1,"Throw":{"Error":"X"}}}""", "\"0\" must be {\"Return\": <json>}")]
    public async Task Run_MalformedMockedResponse_ExitTwoNamingIt(string response, string message)
    {
        var config = $$$$$"""{"StateMachines":{"m":{"TestCases":{"t":{"LambdaState":"r"}}}},"MockedResponses":{"r":{{{{{response}}}}}}}""";

        var (exit, _, stderr) = await RunWithConfigAsync(null, config);

        Assert.Equal(2, exit);
        Assert.Contains(message, stderr, StringComparison.Ordinal);
        Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task Run_TestCaseWithPhoenixMocksFile_ExitTwo()
    {
        var (exit, _, stderr) = await RunWithConfigAsync("HappyPath", """{"LambdaState":[{"return":{"body":"x"}}]}""");

        Assert.Equal(2, exit);
        Assert.Contains("is not a Step Functions Local MockConfigFile", stderr, StringComparison.Ordinal);
    }

    private async Task<(int Exit, string Stdout, string Stderr)> RunAsync(string? testCase, params string[] more) =>
        await RunWithConfigAsync(testCase, MockConfig, more);

    private async Task<(int Exit, string Stdout, string Stderr)> RunWithConfigAsync(string? testCase, string config, params string[] more)
    {
        var definition = Path.Combine(_dir.FullName, "LambdaSQSIntegration.asl.json");
        var mocks = Path.Combine(_dir.FullName, "MockConfigFile.json");
        await File.WriteAllTextAsync(definition, Definition);
        await File.WriteAllTextAsync(mocks, config);
        string[] args = ["asl", "run", definition, "--mocks", mocks, "--virtual-clock", .. more];
        if (testCase is not null)
        {
            args = [.. args, "--mock-test-case", testCase];
        }

        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await PhoenixCli.RunAsync(args, new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }
}
