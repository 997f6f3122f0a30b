using System.CommandLine;
using System.Text.Json;

namespace Phoenix.Cli.Tests.Drift;

public class DriftCommandTests
{
    private static string Events => Path.Combine(AppContext.BaseDirectory, "Drift", "Fixtures", "events.jsonl");

    private static async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await PhoenixCli.RunAsync(args, new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Drift_SampleEvents_PrintsTheChatTranscriptAndFailsForRejectedEvents()
    {
        var (exit, output, _) = await RunAsync("drift", "--events", Events);

        Assert.Equal(1, exit);
        Assert.Contains("line-1: Alerted", output, StringComparison.Ordinal);
        Assert.Contains("┌ Drift: i-0abc1234def567890 no longer matches its image  [PhoenixDriftDetected, thread phoenix-drift-i-0abc1234def567890]", output, StringComparison.Ordinal);
        Assert.Contains("line-2: Duplicate", output, StringComparison.Ordinal);
        Assert.Contains("┌ Drift: stack phoenix-fleet-web has drifted", output, StringComparison.Ordinal);
        Assert.Contains("┌ Deployment of web ABORTED", output, StringComparison.Ordinal);
        Assert.Contains("line-5: Ignored", output, StringComparison.Ordinal);
        Assert.Contains("line-6: Failed - Unsupported event: source 'aws.ec2'", output, StringComparison.Ordinal);
        Assert.Contains("┌ Resolved: i-0abc1234def567890", output, StringComparison.Ordinal);
        Assert.Contains("┌ Resolved: stack phoenix-fleet-web", output, StringComparison.Ordinal);
        Assert.Contains("line-10: Failed", output, StringComparison.Ordinal);
        Assert.Contains("9 event(s): 5 chat message(s) in 1 SNS PublishBatch call(s); 2 rejected.", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Drift_Json_PrintsExactChatbotNotifications()
    {
        var (_, output, _) = await RunAsync("drift", "--events", Events, "--json");

        using var document = JsonDocument.Parse(output);
        var events = document.RootElement.GetProperty("events");
        Assert.Equal(9, events.GetArrayLength());
        var alert = events[0].GetProperty("notifications")[0];
        Assert.Equal("1.0", alert.GetProperty("version").GetString());
        Assert.Equal("custom", alert.GetProperty("source").GetString());
        Assert.Equal("client-markdown", alert.GetProperty("content").GetProperty("textType").GetString());
        Assert.Equal("phoenix-drift-i-0abc1234def567890", alert.GetProperty("metadata").GetProperty("threadId").GetString());
        Assert.Equal("Failed", events[5].GetProperty("disposition").GetString());
        Assert.Equal(1, document.RootElement.GetProperty("publishCalls").GetInt32());
    }

    [Fact]
    public async Task Drift_MissingFile_ExitsBadInputNamingIt()
    {
        var (exit, _, error) = await RunAsync("drift", "--events", "/no/such/events.jsonl");

        Assert.Equal(2, exit);
        Assert.Contains("/no/such/events.jsonl", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"not\":\"an event\"", "line 2: not valid JSON at column 18")]
    [InlineData("{\"source\":\"aws.config\",\"source\":\"aws.ec2\"}", "line 2: duplicate key 'source' at column 24")]
    [InlineData("[{\"source\":\"aws.config\"}]", "line 2: a JSON array, not an object")]
    [InlineData("\"aws.config\"", "line 2: a JSON string, not an object")]
    [InlineData("null", "line 2: a JSON null, not an object")]
    public async Task Drift_LineThatIsNotAnEventObject_ExitsBadInputNamingFileLineAndWhatIsWrong(string bad, string expected)
    {
        var path = Path.GetTempFileName();
        try
        {
            // A good event first: nothing of the file runs when any line is not an event.
            await File.WriteAllTextAsync(path, (await File.ReadAllLinesAsync(Events))[0] + "\n" + bad + "\n");

            var (exit, output, error) = await RunAsync("drift", "--events", path);

            Assert.Equal((2, string.Empty), (exit, output));
            Assert.Equal($"phoenix drift: events file '{path}' {expected} (expected one EventBridge event, a JSON object, per line).\n", error.ReplaceLineEndings("\n"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Drift_EmptyFile_ExitsBadInput()
    {
        var path = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(path, "\n\n");
            var (exit, _, error) = await RunAsync("drift", "--events", path);

            Assert.Equal(2, exit);
            Assert.Contains("holds no events", error, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
