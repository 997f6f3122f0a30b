using Phoenix.Cli.Tests.Delivery.Support;

namespace Phoenix.Cli.Tests.Delivery;

/// <summary>shellcheck (apt, installed by .ci/run) over the delivery scripts the action and the workflow run.</summary>
public sealed class ShellScriptTests
{
    private static readonly string[] Paths =
    [
        ".github/actions/phoenix-deploy/deploy.sh",
        ".github/scripts/push-image.sh",
        "tests/Phoenix.Benchmarks/aot-figures.sh",
        "tests/Phoenix.Benchmarks/asl-vs-peer/compare.sh",
    ];

    public static TheoryData<string> Scripts => [.. Paths];

    [ToolFact("shellcheck")]
    public async Task Shellcheck_DeliveryScripts_NoFindings()
    {
        var run = await ChildProcess.RunAsync(ToolFactAttribute.Find("shellcheck") ?? "shellcheck", ["--severity=style", "--shell=bash", .. Paths]);

        Assert.True(run.Exit == 0, run.ToString());
    }

    [ToolFact("shellcheck")]
    public async Task Shellcheck_UnquotedExpansion_Reported()
    {
        var script = Path.Combine(Directory.CreateTempSubdirectory("phoenix-shellcheck-").FullName, "bad.sh");
        await File.WriteAllTextAsync(script, "#!/usr/bin/env bash\nrm -rf $1/*\n");

        var run = await ChildProcess.RunAsync(ToolFactAttribute.Find("shellcheck") ?? "shellcheck", [script]);

        Assert.Equal(1, run.Exit);
        Assert.Contains("SC2086", run.Output, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Scripts))]
    public void Script_Executable_WithBashShebangAndStrictMode(string script)
    {
        var path = Repository.PathOf(script);
        Assert.True(File.GetUnixFileMode(path).HasFlag(UnixFileMode.UserExecute), $"{script} is not executable");
        var text = File.ReadAllText(path);
        Assert.StartsWith("#!/usr/bin/env bash\n", text, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^set -[eu]*o pipefail$", text);
    }
}
