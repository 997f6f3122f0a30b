using System.Globalization;
using System.Text.Json;
using Phoenix.Core.Drift;
using Phoenix.Core.Ports;
using Phoenix.Core.Notifications;

namespace Phoenix.Cli.Simulation.Drift;

/// <summary>One line of the drift scenario's story, at its virtual instant.</summary>
public sealed record DriftStoryLine(DateTimeOffset At, string Text);

/// <summary>What the drift scenario did: its story, every chat message (in publish order) and what drift decided.</summary>
public sealed record DriftScenarioResult(
    IReadOnlyList<DriftStoryLine> Story,
    IReadOnlyList<(DateTimeOffset At, ChatNotification Message)> Chat,
    IReadOnlyList<DriftOutcome> Outcomes,
    int Replaced,
    int HeldBack,
    bool StaleLockReleased);

/// <summary>
/// <c>phoenix simulate --scenario drift</c>: detection → alert → replacement on the virtual clock. A four-instance
/// fleet (minimum healthy 50%, replacement on, at most 3 an hour) has its live group's launch template changed by hand
/// and a server launched outside its groups. Config flags five instances; drift alerts on each, replaces two (the
/// minimum-healthy guardrail holds the other two back), the group relaunches them from its image, and the replaced
/// instances' alerts resolve in their threads. Finally an aborted deployment's stale lock is released.
/// </summary>
public sealed class DriftScenario(TimeProvider time, Action<TimeSpan> advance)
{
    public const string Name = "drift";
    public const string Application = "web";
    public const string StartImage = "ami-0000000000000000a";

    private readonly List<DriftStoryLine> _story = [];
    private readonly List<DriftOutcome> _outcomes = [];

    public async Task<DriftScenarioResult> RunAsync(CancellationToken cancellationToken)
    {
        var region = new SimulatedRegion(time);
        var topology = region.CreateFleet(new FleetSpec(Application, 4, StartImage));
        region.PutTopology(topology with { MinHealthyPercentage = 50 });
        var lab = new DriftLab(region, [Application]);
        lab.Policies.Put(Application, new DriftPolicy(Enabled: true, MaxPerHour: 3));
        var blue = topology.Blue.AutoScalingGroupName;
        Tell($"Fleet {Application}: {blue} runs 4 instances of {StartImage}; minimum healthy 50%; drift replacement on (at most 3 an hour).");

        var original = await InstancesAsync(region, blue, cancellationToken);
        await DeliverAsync(lab, await lab.RecordAsync(original, cancellationToken), cancellationToken);
        Tell($"Config: {original.Count} instances recorded, all {Compliance.Compliant}.");

        advance(TimeSpan.FromMinutes(10));
        var handEdited = region.RegisterImage(name: "web-hotfix-by-hand");
        var version = await region.Ec2.CreateLaunchTemplateVersionAsync(topology.Blue.LaunchTemplateId, "1", handEdited, "console-edit", cancellationToken);
        await region.AutoScaling.UpdateAutoScalingGroupAsync(
            new UpdateAutoScalingGroup(blue, LaunchTemplate: new LaunchTemplateSpecification(topology.Blue.LaunchTemplateId, version.VersionNumber.ToString(CultureInfo.InvariantCulture))),
            cancellationToken);
        Tell($"Someone points {blue} at launch template version {version.VersionNumber} ({handEdited}) in the console; its 4 running instances still run {StartImage}.");
        var stray = region.LaunchUnmanagedInstance(StartImage, new Dictionary<string, string>(StringComparer.Ordinal) { [PhoenixTags.Application] = Application });
        Tell($"Someone launches {stray} by hand, tagged {PhoenixTags.Application}={Application}, outside both groups.");

        advance(TimeSpan.FromMinutes(2));
        var flagged = await lab.RecordAsync([.. original, stray], cancellationToken);
        Tell($"Config re-records them: {flagged.Count} compliance change(s) to {Compliance.NonCompliant} reach the drift queue.");
        var detected = await DeliverAsync(lab, flagged, cancellationToken);
        var replaced = detected.Count(o => o.Remediation?.Decision == RemediationDecision.Replaced);
        var heldBack = detected.Count(o => o.Remediation?.Decision == RemediationDecision.BelowMinHealthy);
        foreach (var outcome in detected.Where(o => o.Remediation is not null))
        {
            Tell($"  {outcome.Remediation!.InstanceId}: {outcome.Remediation.Decision} - {outcome.Remediation.Reason}");
        }

        advance(TimeSpan.FromMinutes(8));
        var now = await InstancesAsync(region, blue, cancellationToken);
        var launched = now.Except(original).ToList();
        Tell($"{blue} has launched {launched.Count} replacement(s) from {handEdited}: {string.Join(", ", launched)}.");
        var settled = await lab.RecordAsync([.. original, .. launched], cancellationToken);
        var resolved = await DeliverAsync(lab, settled, cancellationToken);
        Tell($"Config re-records: {resolved.Count(o => o.Disposition == DriftDisposition.Resolved)} replaced instance(s) resolved, {launched.Count} new instance(s) {Compliance.Compliant}; "
            + $"{heldBack} still drifted, left for the next deployment (the minimum-healthy guardrail held them back).");

        advance(TimeSpan.FromMinutes(5));
        var execution = $"arn:aws:states:{SimulatedRegion.RegionName}:{SimulatedRegion.AccountId}:execution:phoenix-deploy:{Application}-{region.Now:yyyyMMddTHHmmssZ}";
        var started = region.Now;
        await region.Locks.TryAcquireAsync(Application, execution, started + TimeSpan.FromHours(2), cancellationToken);
        Tell($"A deployment of {Application} takes the lock ({execution[(execution.LastIndexOf(':') + 1)..]}).");
        advance(TimeSpan.FromMinutes(3));
        Tell("An operator aborts it from the console: ReleaseLock never runs, so the lock would block deployments for 2 hours.");
        var aborted = ConfigEvents.ExecutionStatusChange(1, SimulatedRegion.AccountId, SimulatedRegion.RegionName, execution, "ABORTED",
            JsonSerializer.Serialize(new DeploymentInputHead(Application), DriftJsonContext.Default.DeploymentInputHead), started, region.Now, null, null);
        var cleanup = await DeliverAsync(lab, [aborted], cancellationToken);
        var lockReleased = cleanup.Single().LockCleanup?.Released == true;
        Tell($"Step Functions reports ABORTED: {cleanup.Single().LockCleanup?.Reason}");

        var chat = region.Published
            .Where(p => p.TopicArn == lab.Options.TopicArn)
            .Select(p => (p.At, JsonSerializer.Deserialize(p.Message, DriftJsonContext.Default.ChatNotification)!))
            .ToList();
        return new DriftScenarioResult(_story, chat, _outcomes, replaced, heldBack, lockReleased);
    }

    /// <summary>Writes the story and the chat as a terminal transcript.</summary>
    public static void Write(DriftScenarioResult result, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(output);
        output.WriteLine("Drift scenario (virtual clock)");
        foreach (var line in result.Story)
        {
            output.WriteLine($"{line.At:HH:mm:ss}  {line.Text}");
        }

        output.WriteLine();
        output.WriteLine($"Chat ({result.Chat.Count} message(s) to the drift topic):");
        foreach (var (at, message) in result.Chat)
        {
            output.WriteLine($"{at:HH:mm:ss}");
            output.Write(ChatRenderer.Render(message));
        }

        output.WriteLine($"Replaced {result.Replaced}, held back {result.HeldBack}, stale lock released: {(result.StaleLockReleased ? "yes" : "no")}.");
    }

    private async Task<IReadOnlyList<DriftOutcome>> DeliverAsync(DriftLab lab, IReadOnlyList<string> events, CancellationToken cancellationToken)
    {
        var outcomes = await lab.DeliverAsync(events, cancellationToken);
        _outcomes.AddRange(outcomes);
        return outcomes;
    }

    private static async Task<List<string>> InstancesAsync(SimulatedRegion region, string group, CancellationToken cancellationToken)
    {
        var described = await region.AutoScaling.DescribeAutoScalingGroupAsync(group, cancellationToken)
            ?? throw new InvalidOperationException($"Group {group} is missing from the simulated region.");
        return [.. described.Instances.Select(i => i.InstanceId)];
    }

    private void Tell(string text) => _story.Add(new DriftStoryLine(time.GetUtcNow(), text));
}

/// <summary>The drift scenario on a virtual clock, for <c>phoenix simulate --scenario drift</c>.</summary>
public static class DriftScenarioRunner
{
    public static DateTimeOffset Start { get; } = new(2026, 11, 26, 9, 0, 0, TimeSpan.Zero);

    public static Task<DriftScenarioResult> RunAsync(CancellationToken cancellationToken)
    {
        var clock = new Phoenix.Asl.VirtualClock(Start);
        return new DriftScenario(clock, clock.Advance).RunAsync(cancellationToken);
    }
}
