using Phoenix.Core.Domain;
using Phoenix.Core.Ports;

namespace Phoenix.Core.Workflow;

public sealed record ResolveFleetInput(DeploymentRequest Request);

public sealed record ResolveFleetOutput(DeploymentPlan Plan);

/// <summary>
/// Observes the fleet: which colour carries traffic (the listener's weights are the only source of truth), its
/// capacity and image, and checks a given image is available. The idle colour becomes the target, sized like the live
/// one (or the request's capacity, or the topology's default on a first deployment). Instances already in the idle group
/// (leftovers of a failed scale-down or an aborted execution, or launched by a scaling policy or scheduled action acting on
/// it) are listed in the plan, so a dry run shows them; ScaleUpGreen replaces them. Alarms the strategy ignores are
/// recorded with the time they went to ALARM, so the alarm checks skip exactly that ALARM and no later one. Reads only.
/// <para>
/// Describes can answer from before a change made seconds ago. Right after another deployment of the application ended
/// (within <see cref="ConsistencyWindow"/>), the listener's answer is checked against what that deployment's ledger entry
/// says is live; when they disagree the step fails with TransientFailure and the state machine retries it, so a deployment
/// never takes the colour that just stopped serving for the live one. Past the window the listener alone decides (someone
/// may have moved traffic by hand since).
/// </para>
/// </summary>
public sealed class ResolveFleetStep(WorkflowPorts ports, TimeProvider time)
{
    /// <summary>How long after a deployment ended its ledger entry is trusted over a listener describe that disagrees.</summary>
    public static readonly TimeSpan ConsistencyWindow = TimeSpan.FromMinutes(2);

    public async Task<ResolveFleetOutput> ExecuteAsync(ResolveFleetInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var request = input.Request;
        var topology = await ports.Topologies.GetAsync(request.Application, cancellationToken)
            ?? throw new ApplicationNotFound($"Unknown application '{request.Application}': no topology is stored for it.");

        var weights = await ports.LoadBalancer.DescribeListenerWeightsAsync(topology.ListenerArn, cancellationToken);
        var weighted = LiveColour(topology, weights);
        await RequireConsistentAsync(request.Application, weighted, cancellationToken);

        Colour? previousColour = null;
        Capacity? previousCapacity = null;
        string? previousImageId = null;
        if (weighted is { } live)
        {
            var liveGroup = await DescribeGroupAsync(topology.For(live), cancellationToken);
            if (liveGroup.DesiredCapacity > 0)
            {
                previousColour = live;
                previousCapacity = new Capacity(liveGroup.MinSize, liveGroup.MaxSize, liveGroup.DesiredCapacity);
                var template = liveGroup.RequireLaunchTemplate();
                var version = await ports.Ec2.DescribeLaunchTemplateVersionAsync(template.LaunchTemplateId, template.Version, cancellationToken);
                previousImageId = version?.ImageId;
            }
        }

        var targetColour = weighted?.Other() ?? Colour.Blue;
        var idleGroup = await DescribeGroupAsync(topology.For(targetColour), cancellationToken);
        var idleInstances = idleGroup.Instances
            .Where(i => !IdleGroup.IsGone(i))
            .Select(i => i.InstanceId)
            .ToList();
        var ignoredAlarms = await IgnoredAlarmsAsync(topology, request.Strategy, cancellationToken);

        if (request.ImageId is { } imageId)
        {
            await ImageCheck.RequireAvailableAsync(ports.Ec2, imageId, cancellationToken);
        }

        var targetCapacity = request.Capacity
            ?? previousCapacity
            ?? new Capacity(topology.DefaultCapacity, topology.DefaultCapacity, topology.DefaultCapacity);

        return new ResolveFleetOutput(new DeploymentPlan(
            request.Application,
            topology,
            previousColour,
            targetColour,
            previousCapacity,
            targetCapacity,
            previousImageId,
            request.ImageId,
            weights,
            ignoredAlarms.Count > 0 ? ignoredAlarms : null,
            idleInstances.Count > 0 ? idleInstances : null));
    }

    private async Task<List<IgnoredAlarm>> IgnoredAlarmsAsync(FleetTopology topology, DeploymentStrategy strategy, CancellationToken cancellationToken)
    {
        var names = (strategy.IgnoreAlarms ?? []).Where(topology.AlarmNames.Contains).ToList();
        if (names.Count == 0)
        {
            return [];
        }

        var alarms = await ports.Alarms.DescribeAlarmsAsync(names, cancellationToken);
        return alarms.Where(a => a.StateValue == "ALARM").Select(a => new IgnoredAlarm(a.AlarmName, a.StateUpdatedTimestamp)).ToList();
    }

    /// <summary>
    /// The colour with positive weight, or null when nothing carries traffic (an empty fleet). Split traffic means an
    /// earlier deployment stopped mid-canary without rolling back; deploying on top of it could drop the only healthy
    /// colour, so it is refused until someone looks.
    /// </summary>
    private static Colour? LiveColour(FleetTopology topology, IReadOnlyList<TargetGroupWeight> weights)
    {
        Colour? live = null;
        foreach (var weight in weights)
        {
            Colour colour;
            if (weight.TargetGroupArn == topology.Blue.TargetGroupArn)
            {
                colour = Colour.Blue;
            }
            else if (weight.TargetGroupArn == topology.Green.TargetGroupArn)
            {
                colour = Colour.Green;
            }
            else
            {
                throw new FleetInconsistent(
                    $"Listener '{topology.ListenerArn}' forwards to '{weight.TargetGroupArn}', which is neither the blue nor the green target group of '{topology.Application}'.");
            }

            if (weight.Weight <= 0)
            {
                continue;
            }

            if (live is not null && live != colour)
            {
                throw new FleetInconsistent(
                    $"Listener '{topology.ListenerArn}' splits traffic between blue and green ({Describe(weights)}); finish or roll back the previous deployment first.");
            }

            live = colour;
        }

        return live;
    }

    private async Task<AutoScalingGroup> DescribeGroupAsync(ColourResources resources, CancellationToken cancellationToken) =>
        await ports.AutoScaling.DescribeAutoScalingGroupAsync(resources.AutoScalingGroupName, cancellationToken)
        ?? throw new FleetInconsistent($"Auto Scaling group '{resources.AutoScalingGroupName}' from the topology does not exist.");

    private static string Describe(IReadOnlyList<TargetGroupWeight> weights) =>
        string.Join(", ", weights.Select(w => $"{w.TargetGroupArn}={w.Weight}"));

    private async Task RequireConsistentAsync(string application, Colour? weighted, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var last = (await ports.Ledger.ListAsync(application, 5, cancellationToken))
            .Where(r => r.FinishedAt is { } finished && now - finished < ConsistencyWindow)
            .OrderByDescending(r => r.FinishedAt)
            .FirstOrDefault();
        var expected = last switch
        {
            { Result: DeploymentResults.Deployed, Colour: { } colour } => colour,
            { Result: DeploymentResults.RolledBack or DeploymentResults.Aborted, Restore.PreviousColour: { } previous } => previous,
            _ => null,
        };
        if (expected is not null && weighted?.ToWire() != expected)
        {
            throw new TransientFailure(
                $"The listener of '{application}' reads {weighted?.ToWire() ?? "no colour"} as live, "
                + $"but deployment {last!.DeploymentId} ended {last.Result} {(now - last.FinishedAt!.Value).TotalSeconds:0} s ago with {expected} live: "
                + "the describe may lag that change, so the fleet is read again.");
        }
    }
}

internal static class ImageCheck
{
    public static async Task RequireAvailableAsync(Ports.IEc2 ec2, string imageId, CancellationToken cancellationToken)
    {
        var image = await ec2.DescribeImageAsync(imageId, cancellationToken)
            ?? throw new ImageNotAvailable($"Image '{imageId}' does not exist or is not visible to this account.");
        if (image.State != "available")
        {
            throw new ImageNotAvailable($"Image '{imageId}' is '{image.State}', not 'available'.");
        }
    }
}
