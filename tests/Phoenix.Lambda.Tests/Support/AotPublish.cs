using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace Phoenix.Lambda.Tests.Support;

/// <summary>
/// Publishes functions/Phoenix.Lambda with Native AOT once per test run (it takes a minute or more) into a scratch
/// folder of its own, so it never touches the bin/obj of the build that is running the tests. The publish also
/// produces the Lambda asset zip, at <see cref="AotPublishResult.Zip"/>.
/// </summary>
public static class AotPublish
{
    private static readonly Lazy<Task<AotPublishResult>> Published = new(PublishAsync);

    public static Task<AotPublishResult> GetAsync() => Published.Value;

    private static async Task<AotPublishResult> PublishAsync()
    {
        // One folder per checkout keeps incremental publishes fast across runs without mixing checkouts.
        var key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(Repository.Root)))[..12];
        var scratch = Path.Combine(Path.GetTempPath(), "phoenix-lambda-aot", key);
        var publishDir = Path.Combine(scratch, "publish");
        var zip = Path.Combine(scratch, "bootstrap.zip");
        var start = new ProcessStartInfo(BootstrapProcess.DotnetHost)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "publish", Repository.PathOf("functions/Phoenix.Lambda/Phoenix.Lambda.csproj"),
            "-c", "Release", "-r", "linux-x64",
            "--artifacts-path", Path.Combine(scratch, "artifacts"),
            "-o", publishDir,
            $"-p:LambdaAssetPath={zip}",
            "--disable-build-servers", "-nodeReuse:false",
        })
        {
            start.ArgumentList.Add(argument);
        }

        // The test host's MSBuild variables would point the nested build at the wrong SDK pieces.
        foreach (var name in new[] { "MSBuildSDKsPath", "MSBUILD_EXE_PATH", "MSBuildExtensionsPath", "MSBuildLoadMicrosoftTargetsReadOnly" })
        {
            start.Environment.Remove(name);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"dotnet publish (Native AOT) failed with exit code {process.ExitCode}:\n{await stdout}\n{await stderr}");
        }

        return new AotPublishResult(Path.Combine(publishDir, "bootstrap"), zip, await stdout);
    }
}

public sealed record AotPublishResult(string Binary, string Zip, string Output);
