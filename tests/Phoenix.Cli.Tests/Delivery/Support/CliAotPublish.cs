using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace Phoenix.Cli.Tests.Delivery.Support;

/// <summary>
/// Publishes functions/Phoenix.Cli with Native AOT once per test run (minutes on two cores) into a scratch folder of
/// its own, so it never touches the bin/obj of the build running the tests. Every AOT test shares the one binary.
/// </summary>
public static class CliAotPublish
{
    private static readonly Lazy<Task<CliAotBinary>> Published = new(PublishAsync);

    public static Task<CliAotBinary> GetAsync() => Published.Value;

    private static async Task<CliAotBinary> PublishAsync()
    {
        // One folder per checkout keeps incremental publishes fast across runs without mixing checkouts.
        var key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(Repository.Root)))[..12];
        var scratch = Path.Combine(Path.GetTempPath(), "phoenix-cli-aot", key);
        var publishDir = Path.Combine(scratch, "publish");
        var environment = new Dictionary<string, string?>
        {
            // The test host's MSBuild variables would point the nested build at the wrong SDK pieces.
            ["MSBuildSDKsPath"] = null,
            ["MSBUILD_EXE_PATH"] = null,
            ["MSBuildExtensionsPath"] = null,
            ["MSBuildLoadMicrosoftTargetsReadOnly"] = null,
        };
        var clock = Stopwatch.StartNew();
        var run = await ChildProcess.RunAsync(
            "dotnet",
            [
                "publish", Repository.PathOf("functions/Phoenix.Cli/Phoenix.Cli.csproj"), "-c", "Release", "-r", "linux-x64",
                "--artifacts-path", Path.Combine(scratch, "artifacts"), "-o", publishDir, "--disable-build-servers", "-nodeReuse:false",
            ],
            environment,
            timeout: TimeSpan.FromMinutes(25));
        if (run.Exit != 0)
        {
            throw new InvalidOperationException($"dotnet publish (Native AOT) of the CLI failed:\n{run}");
        }

        return new CliAotBinary(Path.Combine(publishDir, "phoenix"), publishDir, run.Output, clock.Elapsed);
    }
}

public sealed record CliAotBinary(string Path, string PublishDirectory, string Output, TimeSpan PublishTime);
