using Phoenix.Cli.Tests.Delivery.Support;
using Xunit.Abstractions;

namespace Phoenix.Cli.Tests.Delivery;

/// <summary>
/// The `phoenix` CLI as users get it: one Native AOT executable (the container image and the GitHub Action ship this
/// file). Published once, then run as an unprivileged user from a read-only folder holding nothing but the binary.
/// </summary>
public sealed class AotCliTests(ITestOutputHelper log) : IAsyncLifetime
{
    private const int Nobody = 65534;
    private DirectoryInfo _readOnly = null!;
    private string _binary = null!;

    public async Task InitializeAsync()
    {
        var published = await CliAotPublish.GetAsync();
        log.WriteLine($"AOT publish {published.PublishTime.TotalSeconds:0} s; {published.Path}: {new FileInfo(published.Path).Length:N0} bytes");

        // The binary alone in a folder nobody can write to: no runtime, no phoenix.dll, no statemachines/ beside it.
        _readOnly = Directory.CreateTempSubdirectory("phoenix-aot-ro-");
        _binary = Path.Combine(_readOnly.FullName, "phoenix");
        File.Copy(published.Path, _binary);
        var readExecute = UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
        File.SetUnixFileMode(_binary, readExecute);
        File.SetUnixFileMode(_readOnly.FullName, readExecute);
    }

    public Task DisposeAsync()
    {
        File.SetUnixFileMode(_readOnly.FullName, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        _readOnly.Delete(recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Publish_NativeAot_NoTrimOrAotWarnings()
    {
        var published = await CliAotPublish.GetAsync();

        // Warnings are errors in this build (IlcTreatWarningsAsErrors), so one fails the publish; this also catches any
        // the compiler prints without failing.
        Assert.DoesNotContain("warning", published.Output, StringComparison.OrdinalIgnoreCase);
        var header = new byte[4];
        await using (var file = File.OpenRead(published.Path))
        {
            await file.ReadExactlyAsync(header);
        }

        Assert.Equal("\u007fELF"u8.ToArray(), header);
        Assert.False(File.Exists(Path.Combine(published.PublishDirectory, "phoenix.dll")), "a Native AOT publish leaves no IL assembly");
    }

    [ToolFact("setpriv")]
    public async Task Help_AsNobodyInReadOnlyFolder_ListsEveryCommand()
    {
        var run = await RunAsync("--help");

        Assert.True(run.Exit == 0, run.ToString());
        foreach (var command in new[] { "simulate", "deploy", "status", "history", "approve", "reject", "abort", "rollback", "drift", "asl" })
        {
            Assert.Matches($@"(?m)^\s+{command}\b", run.Output);
        }
    }

    [ToolFact("setpriv")]
    public async Task DeployHelp_AsNobody_OffersTheReportOptions()
    {
        var run = await RunAsync("deploy", "--help");

        Assert.True(run.Exit == 0, run.ToString());
        Assert.Contains("--summary-file", run.Output, StringComparison.Ordinal);
        Assert.Contains("--result-file", run.Output, StringComparison.Ordinal);
    }

    [ToolFact("setpriv")]
    public async Task Simulate_AsNobodyInReadOnlyFolder_DeploysFromTheEmbeddedWorkflow()
    {
        var run = await RunAsync("simulate");

        Assert.True(run.Exit == 0, run.ToString());
        Assert.Contains("Result: DEPLOYED", run.Output, StringComparison.Ordinal);
        Assert.Contains("Safety invariant: held", run.Output, StringComparison.Ordinal);
    }

    [ToolFact("setpriv")]
    public async Task Simulate_BadImageScenario_ExitsOne()
    {
        var run = await RunAsync("simulate", "--scenario", "bad-image", "--json");

        Assert.True(run.Exit == 1, run.ToString());
    }

    [ToolFact("setpriv")]
    public async Task Deploy_BadImageId_ExitsTwoNamingIt()
    {
        var run = await RunAsync("deploy", "--app", "web", "--image", "ami-nope", "--state-machine-arn", "arn:aws:states:us-east-1:123456789012:stateMachine:x");

        Assert.Equal(2, run.Exit);
        Assert.Equal("phoenix deploy: --image: expected an AMI id (ami- followed by 8 or 17 lowercase hex digits), got 'ami-nope'.", run.Error.Trim());
    }

    [ToolFact("setpriv")]
    public async Task Deploy_InputNotJson_SaysWhatTheParserSaysInOneLine()
    {
        // The published binary must word the parser's complaint as the tests see it, not as a resource key ("ExpectedNull, …").
        var run = await RunAsync("deploy", "--app", "web", "--input", "{\"application\": web}");

        Assert.Equal(2, run.Exit);
        Assert.Equal(
            "phoenix deploy: --input: expected a JSON file or JSON text, got '{\"application\": web}': not valid JSON: "
            + "'w' is an invalid start of a value. LineNumber: 0 | BytePositionInLine: 16.\n",
            run.Error);
    }

    /// <summary>
    /// As uid/gid 65534 when this process is root (CI here runs as root), otherwise as the current non-root user; the
    /// working directory and the binary's folder are read-only and HOME points nowhere.
    /// </summary>
    private Task<ProcessResult> RunAsync(params string[] arguments)
    {
        var environment = new Dictionary<string, string?> { ["HOME"] = "/nonexistent", ["DOTNET_ROOT"] = null };
        var asRoot = Environment.UserName == "root";
        Assert.True(asRoot || !File.GetUnixFileMode(_readOnly.FullName).HasFlag(UnixFileMode.UserWrite));
        return asRoot
            ? ChildProcess.RunAsync(
                ToolFactAttribute.Find("setpriv")!,
                [$"--reuid={Nobody}", $"--regid={Nobody}", "--clear-groups", "--", _binary, .. arguments],
                environment,
                _readOnly.FullName)
            : ChildProcess.RunAsync(_binary, arguments, environment, _readOnly.FullName);
    }
}
