using System.Globalization;
using Phoenix.Cli.Simulation;
using Phoenix.Core.Domain;
using Phoenix.Core.Ports;
using Phoenix.Core.Workflow;

namespace Phoenix.Cli.Local;

/// <summary>
/// Reads a real fleet through the same ports the steps use, into the observation the simulation's live view shows:
/// per colour the listener weight, group sizes, instances by lifecycle state, healthy and draining targets, and the
/// image of the group's launch-template version.
/// </summary>
public sealed class FleetObserver(WorkflowPorts ports, FleetTopology topology, TimeProvider time)
{
    // A numbered launch-template version never changes, so its image is read once.
    private readonly Dictionary<(string Template, string Version), string?> _images = [];

    public async Task<FleetObservation> ObserveAsync(CancellationToken cancellationToken)
    {
        var weights = await ports.LoadBalancer.DescribeListenerWeightsAsync(topology.ListenerArn, cancellationToken).ConfigureAwait(false);
        var blue = await ObserveAsync(topology.Blue, weights, cancellationToken).ConfigureAwait(false);
        var green = await ObserveAsync(topology.Green, weights, cancellationToken).ConfigureAwait(false);
        return new FleetObservation(time.GetUtcNow(), blue, green);
    }

    private async Task<ColourObservation> ObserveAsync(ColourResources colour, IReadOnlyList<TargetGroupWeight> weights, CancellationToken cancellationToken)
    {
        var weight = weights.FirstOrDefault(w => w.TargetGroupArn == colour.TargetGroupArn)?.Weight ?? 0;
        var group = await ports.AutoScaling.DescribeAutoScalingGroupAsync(colour.AutoScalingGroupName, cancellationToken).ConfigureAwait(false);
        var targets = await ports.LoadBalancer.DescribeTargetHealthAsync(colour.TargetGroupArn, cancellationToken).ConfigureAwait(false);
        if (group is null)
        {
            return new ColourObservation(weight, 0, 0, 0, 0, 0, 0, 0, 0, "-", null);
        }

        // A group without a launch template (Validate refuses it) shows no version or image rather than failing the view.
        var template = group.LaunchTemplate;
        var versionText = template?.Version ?? "-";
        string? image = null;
        if (template is not null && !_images.TryGetValue((template.LaunchTemplateId, versionText), out image))
        {
            var version = await ports.Ec2.DescribeLaunchTemplateVersionAsync(template.LaunchTemplateId, template.Version, cancellationToken).ConfigureAwait(false);
            image = version?.ImageId;
            if (version is not null)
            {
                versionText = version.VersionNumber.ToString(CultureInfo.InvariantCulture);
                _images[(template.LaunchTemplateId, versionText)] = image;
            }
        }

        int Count(string lifecycle) => group.Instances.Count(i => i.LifecycleState.StartsWith(lifecycle, StringComparison.Ordinal));
        return new ColourObservation(
            weight,
            group.MinSize,
            group.MaxSize,
            group.DesiredCapacity,
            Count("Pending"),
            group.Instances.Count(i => i.LifecycleState == "InService"),
            Count("Terminating"),
            targets.Count(t => t.State == "healthy"),
            targets.Count(t => t.State == "draining"),
            versionText,
            image);
    }
}
