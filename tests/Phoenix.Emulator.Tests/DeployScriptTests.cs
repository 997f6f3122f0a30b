using System.Diagnostics;
using Phoenix.Emulator.Tests.Support;
using Xunit.Abstractions;

namespace Phoenix.Emulator.Tests;

/// <summary>
/// The GitHub action's deployment step (.github/actions/phoenix-deploy/deploy.sh) as a job would run it, with
/// PHOENIX_LOCAL=true so the workflow runs in the CLI's process against a whole fleet on moto (moto runs no Lambda, so
/// the Step Functions path is exercised by the Cli tests' loopback fake instead): the job passes on a deployment and
/// fails, with the summary and outputs written, on a rollback.
/// </summary>
public sealed class DeployScriptTests(MotoServer moto, ITestOutputHelper output) : DeploymentFleetTest(moto)
{
    private static readonly TimeSpan Guard = TimeSpan.FromMinutes(4);

    private readonly DirectoryInfo _scratch = Directory.CreateTempSubdirectory("phoenix-deploy-script-moto-");

    private string SummaryFile => Path.Combine(_scratch.FullName, "summary.md");

    private string OutputFile => Path.Combine(_scratch.FullName, "output.txt");

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _scratch.Delete(recursive: true);
        }

        base.Dispose(disposing);
    }

    [EmulatorFact]
    public async Task Script_HealthyImage_DeploysAndSetsOutputs()
    {
        using var script = Start(Fleet.NewImageId, """{"strategy":{"bakeTimeSeconds":0,"keepPreviousSeconds":0,"stepWaitSeconds":0,"healthTimeoutSeconds":60}}""");

        var (exit, stdout, stderr) = await script.FinishAsync();

        Assert.True(exit == 0, stdout + stderr);
        Assert.Equal((0, 100), ((await Fleet.ObserveAsync()).Blue.Weight, (await Fleet.ObserveAsync()).Green.Weight));
        var summary = await File.ReadAllTextAsync(SummaryFile);
        Assert.StartsWith($"## Phoenix: {Fleet.Application} ✅ DEPLOYED", summary, StringComparison.Ordinal);
        Assert.Contains($"| Image | `{Fleet.NewImageId}` |", summary, StringComparison.Ordinal);
        Assert.Contains($"| Previous image | `{Fleet.InitialImageId}` |", summary, StringComparison.Ordinal);
        Assert.Matches(@"\| \d+m\d\ds \| SwapTraffic \| TaskStateEntered \|", summary);
        var outputs = await File.ReadAllLinesAsync(OutputFile);
        Assert.Contains("status=SUCCEEDED", outputs);
        Assert.Contains("result=DEPLOYED", outputs);
        Assert.Contains($"image-id={Fleet.NewImageId}", outputs);
    }

    [EmulatorFact]
    public async Task Script_AlarmDuringBakeTimeWatch_RollsBackAndFailsTheJob()
    {
        // The bake-time watch checks the alarms a minute after the swap; the alarm fires once traffic is on green.
        using var script = Start(Fleet.NewImageId, """{"strategy":{"bakeTimeSeconds":120,"keepPreviousSeconds":0,"stepWaitSeconds":0,"healthTimeoutSeconds":60}}""");
        await script.WhenAsync(async () => (await Fleet.ObserveAsync()).Green.Weight == 100);
        await Fleet.SetAlarmStateAsync("ALARM", "5xx above threshold after the swap");

        var (exit, stdout, stderr) = await script.FinishAsync();

        Assert.True(exit == 1, stdout + stderr);
        var fleet = await Fleet.ObserveAsync();
        Assert.Equal((100, 0), (fleet.Blue.Weight, fleet.Green.Weight));
        Assert.Equal(0, fleet.Green.Desired);
        Assert.Contains($"phoenix-deploy: {Fleet.Application} ROLLED_BACK", stdout, StringComparison.Ordinal);
        var summary = await File.ReadAllTextAsync(SummaryFile);
        Assert.StartsWith($"## Phoenix: {Fleet.Application} ❌ ROLLED_BACK", summary, StringComparison.Ordinal);
        Assert.Contains("| Rollback | TaskStateEntered |", summary, StringComparison.Ordinal);
        Assert.Contains("| Result | ROLLED_BACK |", summary, StringComparison.Ordinal);
        var outputs = await File.ReadAllLinesAsync(OutputFile);
        Assert.Contains("status=FAILED", outputs);
        Assert.Contains("result=ROLLED_BACK", outputs);
    }

    private RunningScript Start(string image, string input)
    {
        var start = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(RepositoryRoot(), ".github", "actions", "phoenix-deploy", "deploy.sh"));
        foreach (var (name, value) in new Dictionary<string, string>
        {
            ["AWS_ACCESS_KEY_ID"] = "test",
            ["AWS_SECRET_ACCESS_KEY"] = "test",
            ["AWS_REGION"] = MotoServer.RegionName,
            ["AWS_EC2_METADATA_DISABLED"] = "true",
            ["AWS_CONFIG_FILE"] = Path.Combine(_scratch.FullName, "no-config"),
            ["AWS_SHARED_CREDENTIALS_FILE"] = Path.Combine(_scratch.FullName, "no-credentials"),
            ["PHOENIX_LOCAL"] = "true",
            ["PHOENIX_ENDPOINT_URL"] = Moto.Endpoint,
            ["PHOENIX_BIN"] = Path.Combine(AppContext.BaseDirectory, "phoenix"),
            ["PHOENIX_APP"] = Fleet.Application,
            ["PHOENIX_IMAGE_ID"] = image,
            ["PHOENIX_TABLE"] = Fleet.TableName,
            ["PHOENIX_INPUT"] = input,
            ["GITHUB_SHA"] = "0123456789abcdef0123456789abcdef01234567",
            ["GITHUB_REPOSITORY"] = "acme/web",
            ["GITHUB_STEP_SUMMARY"] = SummaryFile,
            ["GITHUB_OUTPUT"] = OutputFile,
        })
        {
            start.Environment[name] = value;
        }

        start.Environment.Remove("AWS_PROFILE");
        start.Environment.Remove("PHOENIX_STATE_MACHINE_ARN");
        return new RunningScript(Process.Start(start)!, output);
    }

    private static string RepositoryRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "Serverless.sln")))
        {
            folder = folder.Parent;
        }

        return folder?.FullName ?? throw new InvalidOperationException($"No Serverless.sln above {AppContext.BaseDirectory}.");
    }

    private sealed class RunningScript(Process process, ITestOutputHelper log) : IDisposable
    {
        private readonly Task<string> _stdout = process.StandardOutput.ReadToEndAsync();
        private readonly Task<string> _stderr = process.StandardError.ReadToEndAsync();

        public async Task WhenAsync(Func<Task<bool>> condition)
        {
            var clock = Stopwatch.StartNew();
            while (!await condition())
            {
                // The message reads the streams only once the script has ended: reading them earlier waits for its end.
                if (process.HasExited)
                {
                    Assert.Fail($"deploy.sh ended before the condition came true:\n{await _stdout}{await _stderr}");
                }

                Assert.True(clock.Elapsed < Guard, "The condition did not come true in time.");
                await Task.Delay(200);
            }
        }

        public async Task<(int Exit, string Output, string Error)> FinishAsync()
        {
            await process.WaitForExitAsync().WaitAsync(Guard);
            var (stdout, stderr) = (await _stdout, await _stderr);
            log.WriteLine($"deploy.sh -> {process.ExitCode}\n{stdout}{stderr}");
            return (process.ExitCode, stdout, stderr);
        }

        public void Dispose()
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            process.Dispose();
        }
    }
}
