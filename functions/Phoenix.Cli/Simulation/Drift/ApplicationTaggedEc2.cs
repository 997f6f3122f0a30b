using Phoenix.Core.Drift;
using Phoenix.Core.Ports;

namespace Phoenix.Cli.Simulation.Drift;

/// <summary>
/// The simulated region tags group instances only with aws:autoscaling:groupName; on AWS the fleet's groups also
/// propagate <see cref="PhoenixTags.Application"/> to every instance they launch. This adds that tag for the
/// groups of the given topologies, so drift sees instances exactly as it would on AWS.
/// </summary>
public sealed class ApplicationTaggedEc2(IEc2 inner, SimulatedRegion region, IReadOnlyList<string> applications) : IEc2
{
    public Task<ImageDescription?> DescribeImageAsync(string imageId, CancellationToken cancellationToken) =>
        inner.DescribeImageAsync(imageId, cancellationToken);

    public Task<LaunchTemplateVersion> CreateLaunchTemplateVersionAsync(string launchTemplateId, string sourceVersion, string imageId, string clientToken, CancellationToken cancellationToken) =>
        inner.CreateLaunchTemplateVersionAsync(launchTemplateId, sourceVersion, imageId, clientToken, cancellationToken);

    public Task<LaunchTemplateVersion?> DescribeLaunchTemplateVersionAsync(string launchTemplateId, string version, CancellationToken cancellationToken) =>
        inner.DescribeLaunchTemplateVersionAsync(launchTemplateId, version, cancellationToken);

    public Task CreateTagsAsync(string resourceId, IReadOnlyList<KeyValuePair<string, string>> tags, CancellationToken cancellationToken) =>
        inner.CreateTagsAsync(resourceId, tags, cancellationToken);

    public async Task<IReadOnlyList<InstanceDescription>> DescribeInstancesAsync(IReadOnlyList<string> instanceIds, CancellationToken cancellationToken)
    {
        var described = await inner.DescribeInstancesAsync(instanceIds, cancellationToken);
        var owners = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var application in applications)
        {
            if (await region.Topology.GetAsync(application, cancellationToken) is { } topology)
            {
                owners[topology.Blue.AutoScalingGroupName] = application;
                owners[topology.Green.AutoScalingGroupName] = application;
            }
        }

        return described.Select(instance =>
            instance.Tags.TryGetValue(PhoenixTags.AutoScalingGroupName, out var group) && owners.TryGetValue(group, out var owner)
                ? instance with { Tags = new Dictionary<string, string>(instance.Tags, StringComparer.Ordinal) { [PhoenixTags.Application] = owner } }
                : instance).ToList();
    }
}
