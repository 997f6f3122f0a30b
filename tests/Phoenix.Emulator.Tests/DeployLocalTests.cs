using System.Diagnostics;
using System.Text.Json.Nodes;
using Phoenix.Aws.Adapters;
using Phoenix.Cli.Commands;
using Phoenix.Core.Domain;
using Phoenix.Emulator.Tests.Support;
using Xunit.Abstractions;

namespace Phoenix.Emulator.Tests;

/// <summary>
/// Whole deployments with <c>phoenix deploy --local</c>: statemachines/deploy.asl.json in-process on the real clock, the
/// Core steps and the AWS adapters, against a fleet provisioned in the emulator as the CDK fleet stack builds it.
/// </summary>
public sealed class DeployLocalTests(MotoServer moto, ITestOutputHelper output) : DeploymentFleetTest(moto)
{
    // No bake-time watch, keep-previous or canary waits: the real clock still runs WaitForGreen (15 s) once.
    private const string QuickStrategy = """{"strategy":{"bakeTimeSeconds":0,"keepPreviousSeconds":0,"stepWaitSeconds":0,"healthTimeoutSeconds":60}}""";

    private static readonly TimeSpan Guard = TimeSpan.FromMinutes(3);

    private ProcessEnvironment? _environment;

    public override async Task InitializeAsync()
    {
        _environment = CliRunner.Environment();
        await base.InitializeAsync();
        output.WriteLine($"moto gap: {MotoGap.InstanceLaunchTemplateVersion}");
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _environment?.Dispose();
        }

        base.Dispose(disposing);
    }

    [EmulatorFact]
    public async Task DeployLocal_HealthyImage_MovesTrafficToGreenOnTheNewImageAndScalesBlueToZero()
    {
        var (exit, text, error) = await DeployAsync(Fleet.NewImageId);

        Assert.Equal((0, string.Empty), (exit, error));
        var fleet = await Fleet.ObserveAsync();
        Assert.Equal((0, 100), (fleet.Blue.Weight, fleet.Green.Weight));
        Assert.Equal(Fleet.NewImageId, fleet.Green.ImageId);
        Assert.Equal((2, 2), (fleet.Green.Desired, fleet.Green.InService));
        Assert.Equal((0, 0), (fleet.Blue.Desired, fleet.Blue.Min));
        Assert.Contains($"Result: DEPLOYED — {Fleet.NewImageId} is live on green", text, StringComparison.Ordinal);
        Assert.Contains("Lock: released.", text, StringComparison.Ordinal);
        Assert.Matches(@"\d\d:\d\d:\d\d  CheckHealth\s+\| blue\s+100%", text);

        var ledger = Assert.Single(await LedgerAsync());
        Assert.Equal((DeploymentResults.Deployed, Fleet.NewImageId, Fleet.InitialImageId, "green"), (ledger.Result, ledger.ImageId, ledger.PreviousImageId, ledger.Colour));
        var notes = await Fleet.ReceiveNotificationsAsync();
        var result = Assert.Single(notes, n => n.Message["metadata"]?["threadId"]?.GetValue<string>() == $"phoenix-deploy-{Fleet.Application}-{ledger.DeploymentId}");
        Assert.Equal($"{Fleet.Application}: {Fleet.NewImageId} is live", result.Message["content"]!["title"]!.GetValue<string>());
    }

    [EmulatorFact]
    public async Task DeployLocal_SecondDeployment_GoesBackToBlueWithTheOtherImage()
    {
        Assert.Equal(0, (await DeployAsync(Fleet.NewImageId)).Exit);

        var (exit, text, error) = await DeployAsync(Fleet.InitialImageId);

        Assert.Equal((0, string.Empty), (exit, error));
        var fleet = await Fleet.ObserveAsync();
        Assert.Equal((100, 0), (fleet.Blue.Weight, fleet.Green.Weight));
        Assert.Equal(Fleet.InitialImageId, fleet.Blue.ImageId);
        Assert.Equal((2, 0), (fleet.Blue.Desired, fleet.Green.Desired));
        Assert.Contains($"Result: DEPLOYED — {Fleet.InitialImageId} is live on blue", text, StringComparison.Ordinal);
        var ledger = await LedgerAsync();
        Assert.Equal(2, ledger.Count);
        Assert.All(ledger, r => Assert.Equal(DeploymentResults.Deployed, r.Result));
        Assert.Equal("blue", ledger[0].Colour);
    }

    [EmulatorFact]
    public async Task History_AfterTwoDeploymentsAndARefusedImage_ListsThemNewestFirstWithTheError()
    {
        Assert.Equal(0, (await DeployAsync(Fleet.NewImageId)).Exit);
        Assert.Equal(0, (await DeployAsync(Fleet.InitialImageId)).Exit);
        const string missing = "ami-0000000000000dead";
        Assert.Equal(1, (await DeployAsync(missing)).Exit);

        var (exit, text, error) = await RunAsync("history", "--app", Fleet.Application, "--table", Fleet.TableName);

        // The README's sample history output is this test's output.
        Assert.Equal((0, string.Empty), (exit, error));
        var lines = text.TrimEnd('\n').Split('\n');
        Assert.Matches(@"^STARTED \(UTC\)\s+RESULT\s+IMAGE\s+PREVIOUS\s+COLOUR\s+DURATION\s+COMMIT\s+BY\s+DEPLOYMENT$", lines[0]);
        Assert.Matches($@"^\S+ \S+\s+FAILED\s+{missing}\s+", lines[1]);
        Assert.Matches($@"^\S+ \S+\s+DEPLOYED\s+{Fleet.InitialImageId}\s+{Fleet.NewImageId}\s+blue\s+\d+m\d\ds\s+-\s+arn:aws:states:", lines[2]);
        Assert.Matches($@"^\S+ \S+\s+DEPLOYED\s+{Fleet.NewImageId}\s+{Fleet.InitialImageId}\s+green\s+", lines[3]);
        Assert.Matches($@"^{Fleet.Application}-\d{{8}}T\d{{6}}Z: ImageNotAvailable: .*{missing}", lines[4]);
        Assert.Equal(5, lines.Length);
    }

    [EmulatorFact]
    public async Task DeployLocal_AlarmAlreadyFiring_RefusedByValidateWithExitOneAndNothingChanged()
    {
        await Fleet.SetAlarmStateAsync("ALARM", "5xx above threshold");
        var before = await Fleet.ObserveAsync();

        var (exit, text, _) = await DeployAsync(Fleet.NewImageId);

        Assert.Equal(1, exit);
        Assert.Equal(before, await Fleet.ObserveAsync());
        Assert.Contains("AlarmAlreadyFiring", text, StringComparison.Ordinal);
        Assert.Contains("strategy.ignoreAlarms", text, StringComparison.Ordinal);
        Assert.Contains("Lock: released.", text, StringComparison.Ordinal);
        Assert.Empty(await LedgerAsync());
    }

    [EmulatorTheory]
    [InlineData("""{"strategy":{"trafficSteps":[50]}}""", "trafficSteps")]
    [InlineData("""{"imageId":"ami-12"}""", "ami-12")]
    [InlineData("""{"colour":"green"}""", "colour")]
    public async Task DeployLocal_InputValidateRejects_ExitsTwoNamingItAndChangesNothing(string input, string named)
    {
        var before = await Fleet.ObserveAsync();

        var (exit, _, error) = await RunAsync("deploy", "--local", "--app", Fleet.Application, "--input", input, "--table", Fleet.TableName);

        Assert.Equal(2, exit);
        Assert.Contains(named, error, StringComparison.Ordinal);
        Assert.Equal(before, await Fleet.ObserveAsync());
        Assert.Empty(await LedgerAsync());
        Assert.Null(await LockAdapter().GetAsync(Fleet.Application, CancellationToken.None));
    }

    [EmulatorTheory]
    [InlineData("--image", "ami-XYZ", "'ami-XYZ'")]
    [InlineData("--app", "shop", "unknown application 'shop'")]
    [InlineData("--table", "no-such-table", "'no-such-table' does not exist")]
    [InlineData("--input", "no-such-file.json", "--input: expected a JSON file or JSON text, got 'no-such-file.json': no such file.")]
    public async Task DeployLocal_BadArgument_ExitsTwoWithOneLineAndChangesNothing(string option, string value, string named)
    {
        var before = await Fleet.ObserveAsync();
        var args = new List<string> { "deploy", "--local", "--app", Fleet.Application, "--image", Fleet.NewImageId, "--table", Fleet.TableName };
        var at = args.IndexOf(option);
        if (at >= 0)
        {
            args[at + 1] = value;
        }
        else
        {
            args.AddRange([option, value]);
        }

        var (exit, _, error) = await RunAsync([.. args]);

        Assert.Equal(2, exit);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(named, line, StringComparison.Ordinal);
        Assert.Equal(before, await Fleet.ObserveAsync());
    }

    [EmulatorFact]
    public async Task DeployLocal_AnotherExecutionHoldsTheLock_FailsWithoutTouchingTheFleetOrTheLock()
    {
        const string Other = "arn:aws:states:us-east-1:123456789012:execution:phoenix-deploy:web-other";
        var locks = LockAdapter();
        Assert.True((await locks.TryAcquireAsync(Fleet.Application, Other, DateTimeOffset.UtcNow.AddHours(1), CancellationToken.None)).Acquired);
        var before = await Fleet.ObserveAsync();

        var (exit, text, _) = await DeployAsync(Fleet.NewImageId);

        Assert.Equal(1, exit);
        Assert.Contains("DeploymentLocked", text, StringComparison.Ordinal);
        Assert.Equal(before, await Fleet.ObserveAsync());
        Assert.Equal(Other, (await locks.GetAsync(Fleet.Application, CancellationToken.None))?.Owner);
    }

    [EmulatorFact]
    public async Task DeployLocal_Json_PrintsHistoryAndFleetTimeline()
    {
        var (exit, text, _) = await RunAsync(
            "deploy", "--local", "--app", Fleet.Application, "--image", Fleet.NewImageId, "--input", QuickStrategy, "--table", Fleet.TableName, "--json");

        Assert.Equal(0, exit);
        var document = JsonNode.Parse(text)!.AsObject();
        Assert.Equal("SUCCEEDED", document["status"]!.GetValue<string>());
        var events = document["events"]!.AsArray();
        Assert.Equal("ExecutionStarted", events[0]!["type"]!.GetValue<string>());
        Assert.Equal("ExecutionSucceeded", events[^1]!["type"]!.GetValue<string>());
        var timeline = document["timeline"]!.AsArray();
        Assert.Equal("Validate", timeline[0]!["state"]!.GetValue<string>());
        Assert.Equal(100, timeline[0]!["blue"]!["weight"]!.GetValue<int>());
        Assert.Contains(timeline, p => p!["green"]!["weight"]!.GetValue<int>() == 100);
        Assert.Equal(100, document["finalFleet"]!["green"]!["weight"]!.GetValue<int>());
        Assert.Equal(DeploymentResults.Deployed, document["ledger"]!["result"]!.GetValue<string>());
    }

    [EmulatorFact]
    public async Task DeployLocal_InterruptedDuringTheBakeTimeWatch_RollsBackAndReleasesTheLock()
    {
        using var text = new StringWriter();
        using var error = new StringWriter();
        Action? interrupt = null;
        var input = JsonNode.Parse("""{"application":"web","strategy":{"bakeTimeSeconds":3600,"stepWaitSeconds":0}}""")!.AsObject();
        input["imageId"] = Fleet.NewImageId;
        var run = LocalDeployCommand.RunAsync(
            input, Fleet.TableName, Moto.Settings, json: false, new LocalDeployCommand.Terminal(text, error, TextReader.Null), CancellationToken.None, i => interrupt = i);

        // The hour-long watch starts once all traffic is on green; Ctrl-C then must end it and roll back at once.
        await WhenAsync(async () => run.IsCompleted || (await Fleet.ObserveAsync()).Green.Weight == 100);
        Assert.False(run.IsCompleted, $"The deployment ended before the watch: {text}{error}");
        interrupt!();
        var exit = await run.WaitAsync(Guard);
        output.WriteLine($"{text}{error}");

        Assert.Equal(1, exit);
        Assert.Contains("interrupted in ", error.ToString(), StringComparison.Ordinal);
        var fleet = await Fleet.ObserveAsync();
        Assert.Equal((100, 0), (fleet.Blue.Weight, fleet.Green.Weight));
        Assert.Equal((2, 0), (fleet.Blue.Desired, fleet.Green.Desired));
        Assert.Null(await LockAdapter().GetAsync(Fleet.Application, CancellationToken.None));
        var ledger = Assert.Single(await LedgerAsync());
        Assert.Equal((DeploymentResults.RolledBack, "DeploymentInterrupted"), (ledger.Result, ledger.Error));
    }

    [EmulatorFact]
    public async Task DeployLocal_SigtermInTheRealProcess_RollsBackAndReleasesTheLock()
    {
        // The signal wiring itself: the phoenix process gets a signal while it holds the lock and has moved traffic. SIGTERM
        // (handled as Ctrl-C is) rather than SIGINT: a process started without job control inherits SIGINT ignored.
        var cli = Path.Combine(AppContext.BaseDirectory, "phoenix.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var arg in (string[])["exec", cli, "deploy", "--local", "--app", Fleet.Application, "--image", Fleet.NewImageId, "--table", Fleet.TableName,
                     "--input", """{"strategy":{"bakeTimeSeconds":3600,"stepWaitSeconds":0}}""", "--endpoint-url", Moto.Endpoint])
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["AWS_ACCESS_KEY_ID"] = "test";
        start.Environment["AWS_SECRET_ACCESS_KEY"] = "test";
        start.Environment["AWS_REGION"] = MotoServer.RegionName;
        start.Environment["AWS_EC2_METADATA_DISABLED"] = "true";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await WhenAsync(async () => (await Fleet.ObserveAsync()).Green.Weight == 100 || process.HasExited);
            Assert.False(process.HasExited, "phoenix deploy --local ended before traffic moved.");
            Signal(process.Id);
            await process.WaitForExitAsync().WaitAsync(Guard);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        output.WriteLine($"{await stdout}{await stderr}");
        Assert.Equal(1, process.ExitCode);
        Assert.Contains("rolling back what was changed and releasing the lock", await stderr, StringComparison.Ordinal);
        Assert.Equal((100, 0), ((await Fleet.ObserveAsync()).Blue.Weight, (await Fleet.ObserveAsync()).Green.Weight));
        Assert.Null(await LockAdapter().GetAsync(Fleet.Application, CancellationToken.None));
    }

    private static void Signal(int pid)
    {
        using var kill = Process.Start("kill", ["-TERM", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    private static async Task WhenAsync(Func<Task<bool>> condition)
    {
        var deadline = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(deadline.Elapsed < Guard, "The condition did not come true in time.");
            await Task.Delay(200);
        }
    }

    private Task<(int Exit, string Output, string Error)> DeployAsync(string image) =>
        RunAsync("deploy", "--local", "--app", Fleet.Application, "--image", image, "--input", QuickStrategy, "--table", Fleet.TableName);

    private DeploymentLockAdapter LockAdapter() => new(Moto.Clients().DynamoDb(), Fleet.TableName, TimeProvider.System);

    private Task<IReadOnlyList<Core.Ports.DeploymentRecord>> LedgerAsync() =>
        new DeploymentLedgerAdapter(Moto.Clients().DynamoDb(), Fleet.TableName).ListAsync(Fleet.Application, 10, CancellationToken.None);

    private Task<(int Exit, string Output, string Error)> RunAsync(params string[] args) => CliRunner.RunAsync(Moto, output, args);
}
