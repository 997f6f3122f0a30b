using Phoenix.Core.Domain;
using Phoenix.Core.Ports;

namespace Phoenix.Core.Workflow;

/// <summary><see cref="By"/> is who asks (the caller's AWS identity); <see cref="Reason"/> goes into the ledger and chat.</summary>
public sealed record ManualRollbackRequest(string Application, string By, string? Reason = null);

/// <summary>
/// What a manual rollback did. <see cref="TookOverExecution"/> is the deployment it stopped because it still held the lock
/// while keeping the previous colour warm (null when no deployment was running).
/// </summary>
public sealed record ManualRollbackReport(
    string Application,
    string DeploymentId,
    string From,
    string To,
    string? ImageId,
    string? ReplacedImageId,
    string? TookOverExecution,
    IReadOnlyList<string> Changed);

/// <summary>Stops a running deployment and returns once Step Functions no longer reports it RUNNING (its final status).</summary>
public interface IExecutionStopper
{
    Task<string> StopAsync(string executionArn, string errorName, string cause, CancellationToken cancellationToken);
}

/// <summary>
/// <c>phoenix rollback --app NAME</c>: traffic back to the other colour while it is still warm, i.e. it has the live
/// colour's full desired capacity healthy (ASG InService+Healthy and healthy targets), on the image the last deployment
/// replaced. That is the window between a deployment reaching DEPLOYED and ScaleDownPrevious emptying the previous colour,
/// or any time the other colour was left warm. It works under the application's lock, so it never races a deployment:
/// when a deployment holds the lock only to keep the previous colour warm (its ledger entry already says DEPLOYED), it is
/// stopped (error <see cref="DeploymentCleanup.ManualRollbackError"/>, which tells the event-driven cleanup to leave it to
/// us) and the rollback continues in its name; any other holder is refused, naming it. Once traffic is on the other colour,
/// the colour it left goes to min = max = desired = 0 (the idle colour between deployments), what the stopped deployment
/// suspended is resumed, the ledger gets a ROLLED_BACK entry saying who did it, and chat is told.
/// </summary>
public sealed class ManualRollback(WorkflowPorts ports, TimeProvider time, WorkflowSettings settings)
{
    public const string Trigger = "manual-rollback";

    /// <summary>A rollback takes seconds; the lock outlives a crashed run only this long.</summary>
    public static readonly TimeSpan LockDuration = TimeSpan.FromMinutes(15);

    public async Task<ManualRollbackReport> RunAsync(ManualRollbackRequest request, IExecutionStopper? stopper, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var application = request.Application;
        var topology = await ports.Topologies.GetAsync(application, cancellationToken)
            ?? throw new ApplicationNotFound($"No topology is stored for application '{application}'.");
        var started = time.GetUtcNow();
        var deploymentId = $"rollback-{started:yyyyMMddTHHmmssfffZ}";

        // The checks run once before anything is stopped or locked (a refusal changes nothing), and again under the lock.
        var holder = await ports.Locks.GetAsync(application, cancellationToken);
        DeploymentRecord? warm = null;
        if (holder is not null && holder.ExpiresAt > started)
        {
            warm = await KeepingWarmAsync(application, holder, cancellationToken);
            if (warm is null || stopper is null)
            {
                throw new DeploymentLocked(
                    $"Application '{application}' is locked by {holder.Owner} (since {holder.AcquiredAt:O}, expires {holder.ExpiresAt:O})"
                    + (warm is null
                        ? ": wait for that deployment to end, or stop it with `phoenix abort`."
                        : ": it has reached DEPLOYED and keeps the previous colour warm; it can only be stopped from the phoenix CLI."));
            }
        }

        await CheckAsync(topology, warm, cancellationToken);

        var owner = $"{Trigger}:{request.By}:{deploymentId}";
        var changed = new List<string>();
        if (warm is not null)
        {
            var status = await stopper!.StopAsync(holder!.Owner, DeploymentCleanup.ManualRollbackError, $"Manual rollback by {request.By}.", cancellationToken);
            changed.Add($"Stopped deployment {holder.Owner} ({status}).");
            owner = holder.Owner;
        }

        var attempt = await ports.Locks.TryAcquireAsync(application, owner, time.GetUtcNow() + LockDuration, cancellationToken);
        if (!attempt.Acquired)
        {
            throw new DeploymentLocked($"Application '{application}' was just locked by {attempt.Holder.Owner}; nothing was changed.");
        }

        try
        {
            Plan plan;
            try
            {
                plan = await CheckAsync(topology, warm, cancellationToken);
            }
            catch (RollbackRefused ex) when (warm is not null)
            {
                // The fleet changed between the first check and the stop: the stopped deployment still needs its own
                // ending, which is finishing forward (its new colour is live).
                await new DeploymentCleanup(ports, time).CleanupAsync(
                    new ExecutionEnding(owner, application, "ABORTED", "Aborted", $"Manual rollback by {request.By} refused: {ex.Message}"), cancellationToken);
                throw;
            }

            await Listener.SetWeightsAsync(ports.LoadBalancer, topology, plan.To, 100, cancellationToken);
            changed.Add($"Traffic: 100% to {plan.To.ToWire()} (was 100% to {plan.From.ToWire()}).");

            if (warm?.Restore is { } restore)
            {
                await FleetRestore.RestoreAsync(ports.AutoScaling, topology, restore, cancellationToken);
                changed.AddRange(restore.SuspendedProcesses.Where(p => p.Value.Count > 0).Select(p => $"Resumed {string.Join(", ", p.Value)} on {p.Key}."));
            }

            var left = topology.For(plan.From);
            await ports.AutoScaling.UpdateAutoScalingGroupAsync(new UpdateAutoScalingGroup(left.AutoScalingGroupName, MinSize: 0, MaxSize: 0, DesiredCapacity: 0), cancellationToken);
            changed.Add($"{plan.From.ToWire()} ({left.AutoScalingGroupName}) -> 0/0/0.");

            var finished = time.GetUtcNow();
            var cause = request.Reason ?? $"Manual rollback by {request.By}.";
            await ports.Ledger.PutAsync(
                new DeploymentRecord(
                    application,
                    deploymentId,
                    DeploymentResults.RolledBack,
                    plan.ImageId,
                    plan.ReplacedImageId,
                    plan.To.ToWire(),
                    Commit: null,
                    Repository: null,
                    Trigger,
                    request.By,
                    started,
                    finished,
                    Error: "ManualRollback",
                    Cause: cause),
                cancellationToken);
            changed.Add($"Ledger entry {deploymentId}: ROLLED_BACK by {request.By}.");
            if (warm is not null)
            {
                await ports.Ledger.PutAsync(
                    warm with { Warning = $"Rolled back by {request.By} at {finished:O} ({deploymentId}): traffic is on {plan.To.ToWire()} again." },
                    cancellationToken);
            }

            var report = new ManualRollbackReport(
                application, deploymentId, plan.From.ToWire(), plan.To.ToWire(), plan.ImageId, plan.ReplacedImageId, warm is null ? null : holder!.Owner, changed);
            await NotifyAsync(topology, report, request, cancellationToken);
            return report;
        }
        finally
        {
            await ports.Locks.ReleaseAsync(application, owner, CancellationToken.None);
        }
    }

    /// <summary>The holder's ledger entry when the holder is a deployment that reached DEPLOYED and only keeps the previous colour warm.</summary>
    private async Task<DeploymentRecord?> KeepingWarmAsync(string application, DeploymentLockRecord holder, CancellationToken cancellationToken)
    {
        var deploymentId = holder.Owner[(holder.Owner.LastIndexOf(':') + 1)..];
        var record = await ports.Ledger.GetAsync(application, deploymentId, cancellationToken);
        return record is { Result: DeploymentResults.Deployed } && record.StartedBy == holder.Owner ? record : null;
    }

    private async Task<Plan> CheckAsync(FleetTopology topology, DeploymentRecord? warm, CancellationToken cancellationToken)
    {
        var weights = await ports.LoadBalancer.DescribeListenerWeightsAsync(topology.ListenerArn, cancellationToken);
        var blue = weights.Where(w => w.TargetGroupArn == topology.Blue.TargetGroupArn).Sum(w => w.Weight);
        var green = weights.Where(w => w.TargetGroupArn == topology.Green.TargetGroupArn).Sum(w => w.Weight);
        Colour from = (blue, green) switch
        {
            ( > 0, 0) => Colour.Blue,
            (0, > 0) => Colour.Green,
            _ => throw new RollbackRefused(
                $"The listener sends blue {blue} / green {green}: a rollback needs all traffic on one colour. Nothing was changed."),
        };
        var to = from.Other();

        var live = await ColourHealth.ReadAsync(ports.AutoScaling, ports.LoadBalancer, topology.For(from), cancellationToken);
        var other = await ColourHealth.ReadAsync(ports.AutoScaling, ports.LoadBalancer, topology.For(to), cancellationToken);
        var needed = Math.Max(1, live.Desired);
        if (other.Ready < needed)
        {
            throw new RollbackRefused(
                $"{to.ToWire()} is not warm: {other}, and the live {from.ToWire()} has desired {live.Desired}. "
                + "Roll back by deploying the previous image instead. Nothing was changed.");
        }

        var image = await ImageOfAsync(other, cancellationToken);
        var replaced = await ImageOfAsync(live, cancellationToken);
        var previousImage = warm?.PreviousImageId ?? await LastReplacedImageAsync(topology.Application, cancellationToken);
        if (previousImage is not null && image is not null && image != previousImage)
        {
            throw new RollbackRefused(
                $"{to.ToWire()} runs {image}, not {previousImage}, the image the last deployment replaced. Nothing was changed.");
        }

        return new Plan(from, to, image, replaced);
    }

    private async Task<string?> ImageOfAsync(ColourHealth colour, CancellationToken cancellationToken)
    {
        if (colour.LaunchTemplate is not { } template)
        {
            return null;
        }

        var version = await ports.Ec2.DescribeLaunchTemplateVersionAsync(template.LaunchTemplateId, template.Version, cancellationToken);
        return version?.ImageId;
    }

    private async Task<string?> LastReplacedImageAsync(string application, CancellationToken cancellationToken)
    {
        var recent = await ports.Ledger.ListAsync(application, 20, cancellationToken);
        return recent.FirstOrDefault(r => r.Result is DeploymentResults.Deployed or DeploymentResults.LegacySucceeded)?.PreviousImageId;
    }

    private async Task NotifyAsync(FleetTopology topology, ManualRollbackReport report, ManualRollbackRequest request, CancellationToken cancellationToken)
    {
        var topic = topology.DeploymentTopicArn ?? settings.DeploymentTopicArn;
        if (string.IsNullOrEmpty(topic))
        {
            return;
        }

        var title = $"{report.Application}: rolled back to {report.To} by hand";
        var description = $"*{report.Application}*: {request.By} moved traffic back to {report.To} (`{report.ImageId ?? "unknown image"}`) "
            + $"from {report.From} (`{report.ReplacedImageId ?? "unknown image"}`).\n"
            + (request.Reason is null ? "" : $"Reason: {request.Reason}\n")
            + string.Join("\n", report.Changed);
        var notification = DeploymentChat.Message(
            title,
            description,
            ["Fix the image that was rolled back and deploy again."],
            DeploymentChat.Thread(report.Application, report.DeploymentId),
            title,
            "PhoenixDeploymentManualRollback",
            [topology.For(ColourExtensions.ParseColour(report.To)).AutoScalingGroupName, topology.ListenerArn]);
        await ports.Notifier.PublishAsync(topic, [new OutgoingMessage("rollback", notification.ToJson(), Subject.Limit("Phoenix: " + title))], cancellationToken);
    }

    private sealed record Plan(Colour From, Colour To, string? ImageId, string? ReplacedImageId);
}
