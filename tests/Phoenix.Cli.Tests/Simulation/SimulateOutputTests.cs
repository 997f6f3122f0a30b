using System.CommandLine;
using System.Text.RegularExpressions;
using Phoenix.Cli.Simulation;

namespace Phoenix.Cli.Tests.Simulation;

/// <summary>The words and rows of <c>phoenix simulate</c>, held exactly: what a reader takes in at a glance.</summary>
public class SimulateOutputTests
{
    private const string Image = "ami-0123456789abcdef0";
    private const string Start = "| blue  100%  desired 4   in service 4   healthy 4   | green   0%  desired 0   in service 0   healthy 0";

    private static async Task<string[]> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        await PhoenixCli.RunAsync(["simulate", .. args], new InvocationConfiguration { Output = output, Error = error });
        Assert.Equal("", error.ToString());
        return [.. output.ToString().Split('\n').Select(l => l.TrimEnd())];
    }

    [Fact]
    public async Task Simulate_GivenImage_RowsShowTheFleetEachStateLeftAndLoopsAsOneRow()
    {
        var lines = await RunAsync("--image", Image);

        Assert.Equal($"phoenix simulate: scenario 'healthy' — Deploy blue→green (an image baked from the commit, or the --image given); everything passes", lines[0]);
        Assert.Equal($"Deploying {Image} (given: no bake)", lines[2]);
        var rows = lines.Where(l => l.StartsWith("00:", StringComparison.Ordinal)).ToList();
        Assert.Equal(
        [
            $"00:00:00  Validate                           {Start}",
            $"00:00:00  IsDryRun                           {Start}",
            $"00:00:00  AcquireLock                        {Start}",
            $"00:00:00  ResolveFleet                       {Start}",
            $"00:00:00  HasImage                           {Start}",
            $"00:00:00  UseGivenImage                      {Start}",
            $"00:00:00  UpdateLaunchTemplate               {Start}",
            // After the state ran: green is already sized to 4 on the ScaleUpGreen row.
            "00:00:00  ScaleUpGreen                       | blue  100%  desired 4   in service 4   healthy 4   | green   0%  desired 4   in service 0   healthy 0",
            "00:02:00  CheckHealth ×8 over 2 min          | blue  100%  desired 4   in service 4   healthy 4   | green   0%  desired 4   in service 4   healthy 4    (green 0→4 healthy)",
            "00:02:00  IsApprovalPending                  | blue  100%  desired 4   in service 4   healthy 4   | green   0%  desired 4   in service 4   healthy 4",
            "00:02:00  SwapTraffic                        | blue    0%  desired 4   in service 4   healthy 4   | green 100%  desired 4   in service 4   healthy 4",
            "00:02:00  IsTrafficStepDone                  | blue    0%  desired 4   in service 4   healthy 4   | green 100%  desired 4   in service 4   healthy 4",
            "00:02:00  StartBakeTimeWatch                 | blue    0%  desired 4   in service 4   healthy 4   | green 100%  desired 4   in service 4   healthy 4",
            "00:07:00  WatchAlarms ×5 over 5 min          | blue    0%  desired 4   in service 4   healthy 4   | green 100%  desired 4   in service 4   healthy 4    (fleet unchanged)",
            "00:07:00  Finalize                           | blue    0%  desired 4   in service 4   healthy 4   | green 100%  desired 4   in service 4   healthy 4",
            "00:12:00  KeepPreviousWarm                   | blue    0%  desired 4   in service 4   healthy 4   | green 100%  desired 4   in service 4   healthy 4",
            // The issue's example: ScaleDownPrevious used to show blue still at 4.
            "00:12:00  ScaleDownPrevious                  | blue    0%  desired 0   in service 0   healthy 0   | green 100%  desired 4   in service 4   healthy 4",
            "00:12:00  ReleaseLock                        | blue    0%  desired 0   in service 0   healthy 0   | green 100%  desired 4   in service 4   healthy 4",
            "00:12:00  NotifyDeployed                     | blue    0%  desired 0   in service 0   healthy 0   | green 100%  desired 4   in service 4   healthy 4",
            "00:12:00  Deployed                           | blue    0%  desired 0   in service 0   healthy 0   | green 100%  desired 4   in service 4   healthy 4",
        ],
            rows);
        Assert.Contains("Safety invariant: held at all 20 recorded moments (every colour with traffic had its desired capacity healthy, up to 4 targets).", lines);
        Assert.Contains("Lock: released.", lines);
    }

    [Fact]
    public async Task Simulate_Canary_TrafficLoopSaysEveryStep()
    {
        var lines = await RunAsync("--scenario", "canary", "--image", Image);

        Assert.Contains(
            "00:04:00  SwapTraffic ×3 over 2 min          | blue    0%  desired 4   in service 4   healthy 4   | green 100%  desired 4   in service 4   healthy 4    "
            + "(blue traffic 100%→90%→50%→0%, green traffic 0%→10%→50%→100%)",
            lines);
    }

    [Fact]
    public async Task Simulate_BadImage_BlamesFailedHealthChecksInElapsedTime()
    {
        var lines = await RunAsync("--scenario", "bad-image");

        const string Why = "0 of 4 green instances passed health checks within 10 min; the group replaced 8 of them after failed ELB health checks.";
        Assert.Contains($"Result: FAILED (ROLLED_BACK) — {Why}", lines);
        Assert.Contains($"Rolled back at 00:10:00: traffic back to blue, the new colour scaled to 0, because {Why}", lines);
        Assert.Contains(lines, l => l.StartsWith("  Workflow error: HealthCheckFailed: Group 'phoenix-web-green' was not healthy by T+00:10:00: 0 of 4 instances ready", StringComparison.Ordinal));
        Assert.Contains(
            "00:10:00  CheckHealth ×40 over 10 min        | blue  100%  desired 4   in service 4   healthy 4   | green   0%  desired 4   in service 0   healthy 0    (fleet unchanged)",
            lines);
    }

    [Theory]
    [InlineData("bad-image")]
    [InlineData("concurrent")]
    [InlineData("bake-fails")]
    [InlineData("rollback-fails")]
    public async Task Simulate_AnyScenario_NoAbsoluteTimestampBeyondTheHeader(string scenario)
    {
        var lines = await RunAsync("--scenario", scenario);

        var stamped = lines.Skip(1).Where(l => !l.StartsWith("Virtual clock starts", StringComparison.Ordinal) && Regex.IsMatch(l, @"\d{4}-\d\d-\d\dT\d\d:\d\d")).ToList();
        Assert.Empty(stamped);
        Assert.DoesNotContain(lines, l => l.StartsWith("Result: FAILED (FAILED)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Simulate_BakeFails_LedgerWordNotRepeated()
    {
        var lines = await RunAsync("--scenario", "bake-fails");

        Assert.Contains(lines, l => l.StartsWith("Result: FAILED — BakeFailed: ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Simulate_DryRun_SaysNothingWasBakedOrLocked()
    {
        var lines = await RunAsync("--scenario", "dry-run");

        Assert.Equal("Planning a deployment of commit 9f2c1ab of github.com/acme/web (dry run: nothing is baked, locked, written or changed)", lines[2]);
        Assert.Contains("  Plan: deploy to green at 4 instance(s); previous colour blue running ami-0a1b2c3d4e5f60718; the image would be baked from the commit first.", lines);
        Assert.Contains("Lock: never taken (a dry run does not lock).", lines);
        Assert.Contains("Ledger: no entry (a dry run writes none).", lines);
        Assert.DoesNotContain(lines, l => l.Contains("baked first", StringComparison.Ordinal) || l == "Lock: released.");
    }

    [Fact]
    public async Task Simulate_ValidateRefuses_LockNeverTaken()
    {
        var lines = await RunAsync("--scenario", "warm-pool");

        Assert.Contains("Lock: never taken (the execution ended before AcquireLock).", lines);
    }

    [Fact]
    public async Task Simulate_FirstDeploy_InvariantSaysWhatItChecked()
    {
        var lines = await RunAsync("--scenario", "first-deploy", "--image", Image);

        Assert.Contains(
            "Safety invariant: held at all 11 recorded moments; at 1 of them a colour with traffic needed healthy targets (up to 4), "
            + "at the other 10 the listener pointed only at a colour with no desired capacity (the empty fleet before the first swap).",
            lines);
    }

    [Fact]
    public async Task Simulate_Concurrent_RefusalIsTheSecondExecutionsAndNamedAsSuch()
    {
        var lines = await RunAsync("--scenario", "concurrent", "--image", Image);

        Assert.Contains(
            "Second deployment (started at 00:02:00): refused by the lock, nothing changed — DeploymentLocked: Application 'web' is locked by another deployment: "
            + "arn:aws:states:us-east-1:000000000000:execution:phoenix-deploy:web-20260105T090000 (since T+00:00:00, expires T+03:34:20).",
            lines);
        // The refused execution posts its own outcome (AcquireLock's DeploymentLocked Catch leads to NotifyRefused), not
        // "deployment failed"; the report attributes it to the second execution.
        Assert.Contains(
            "Notifications published: 00:02:00 [2nd] \"Phoenix: web: deployment refused, another deployment is running\"; 00:12:00 \"Phoenix: web: ami-0123456789abcdef0 is live\"",
            lines);
        Assert.Contains(lines, l => l.StartsWith("00:02:00  [2nd] AcquireLock ", StringComparison.Ordinal));
        Assert.Contains("Result: DEPLOYED — ami-0123456789abcdef0 is live on green (4/4 healthy, 100% of traffic); blue scaled to 0.", lines);
    }

    [Fact]
    public async Task Simulate_Approval_ShowsTheMessageAndTheTaskToken()
    {
        var lines = await RunAsync("--scenario", "approval", "--image", Image);

        var at = Array.IndexOf(lines, "Approval requested at 00:02:00: \"Phoenix: approve web\"");
        Assert.True(at > 0, string.Join('\n', lines));
        const string Execution = "arn:aws:states:us-east-1:000000000000:execution:phoenix-deploy:web-20260105T090000";
        Assert.Contains($"  next step: Approve: `phoenix approve {Execution}`", lines);
        Assert.Contains(lines, l => Regex.IsMatch(l, @"^  Task token the execution waited on: [A-Za-z0-9+/]{22}[0-9a-f]{32} \(kept in the ledger entry, where phoenix approve/reject find it\)$"));
        Assert.Contains("  Answered at 00:12:00: approved.", lines);
    }

    [Fact]
    public void ProgressRows_LoopThenExit_OneSummaryRowThenTheNextState()
    {
        using var output = new StringWriter();
        var rows = new ProgressRows(output, new HashSet<string> { "Wait", "Poll", "Done?" }, new HashSet<string> { "Poll" });
        var fleet = Fleet(0);

        rows.Entered("x", "", "Start", TimeSpan.Zero, fleet);
        for (var i = 0; i < 3; i++)
        {
            rows.Entered("x", "", "Wait", TimeSpan.FromSeconds(30 * i), Fleet(i));
            rows.Entered("x", "", "Poll", TimeSpan.FromSeconds((30 * i) + 30), Fleet(i + 1));
            rows.Entered("x", "", "Done?", TimeSpan.FromSeconds((30 * i) + 30), Fleet(i + 1));
        }

        rows.Entered("x", "", "End", TimeSpan.FromSeconds(90), Fleet(3));
        rows.Ended("x", TimeSpan.FromSeconds(90), Fleet(3));

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd()).ToList();
        Assert.Equal(3, lines.Count);
        Assert.StartsWith("00:00:00  Start ", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("00:01:30  Poll ×3 over 1 min 30 s ", lines[1], StringComparison.Ordinal);
        Assert.EndsWith("(green 0→3 healthy)", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("00:01:30  End ", lines[2], StringComparison.Ordinal);
    }

    private static FleetObservation Fleet(int greenHealthy) => new(
        DateTimeOffset.UnixEpoch,
        new ColourObservation(100, 4, 4, 4, 0, 4, 0, 4, 0, "1", "ami-0a1b2c3d4e5f60718"),
        new ColourObservation(0, 4, 4, 4, 0, greenHealthy, 0, greenHealthy, 0, "2", "ami-0123456789abcdef0"));
}
