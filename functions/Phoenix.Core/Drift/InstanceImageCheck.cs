using Phoenix.Core.Domain;
using Phoenix.Core.Ports;

namespace Phoenix.Core.Drift;

/// <summary>Tags that tie an instance to Phoenix (the CDK fleet tags its groups with the same key, which IAM conditions also use). The groups propagate <see cref="Application"/> to the
/// instances they launch; EC2 Auto Scaling adds <see cref="AutoScalingGroupName"/> itself.</summary>
public static class PhoenixTags
{
    public const string Application = FleetConventions.ApplicationTag;
    public const string AutoScalingGroupName = "aws:autoscaling:groupName";
}

public static class Compliance
{
    public const string Compliant = "COMPLIANT";
    public const string NonCompliant = "NON_COMPLIANT";
    public const string NotApplicable = "NOT_APPLICABLE";
}

/// <summary>What an instance is known to be running: from the Config configuration item or DescribeInstances.</summary>
public sealed record InstanceFacts(string InstanceId, string? ImageId, IReadOnlyDictionary<string, string> Tags, string? State);

/// <summary>The verdict on one instance, with what it was compared against (for messages and remediation).</summary>
public sealed record ImageCheck(
    string InstanceId,
    string ComplianceType,
    string Annotation,
    string? Application = null,
    FleetTopology? Topology = null,
    AutoScalingGroup? Group = null,
    Colour? Colour = null,
    string? RunningImage = null,
    string? ExpectedImage = null);

/// <summary>
/// The ImmutableInstance verdict: an instance Phoenix manages must run the image of its group's current launch
/// template version. Shared by the Config rule and by remediation (which re-checks before replacing anything).
/// </summary>
public sealed class InstanceImageCheck(IEc2 ec2, IAutoScaling autoScaling, ITopologyStore topologies)
{
    /// <summary>Config limits an annotation to 256 characters.</summary>
    public const int MaxAnnotation = 256;

    public async Task<ImageCheck> CheckAsync(InstanceFacts instance, CancellationToken cancellationToken)
    {
        if (instance.State is "terminated" or "shutting-down")
        {
            return new ImageCheck(instance.InstanceId, Compliance.NotApplicable, $"Instance is {instance.State}.");
        }

        if (!instance.Tags.TryGetValue(PhoenixTags.Application, out var application) || string.IsNullOrWhiteSpace(application))
        {
            return new ImageCheck(instance.InstanceId, Compliance.NotApplicable, $"Not managed by Phoenix (no {PhoenixTags.Application} tag).");
        }

        var topology = await topologies.GetAsync(application, cancellationToken);
        if (topology is null)
        {
            return NonCompliant(instance, $"Tagged for application '{application}', which has no Phoenix topology: launched outside a managed group.", application);
        }

        instance.Tags.TryGetValue(PhoenixTags.AutoScalingGroupName, out var groupName);
        Colour? colour = groupName == topology.Blue.AutoScalingGroupName ? Colour.Blue
            : groupName == topology.Green.AutoScalingGroupName ? Colour.Green
            : null;
        if (colour is null)
        {
            var where = string.IsNullOrEmpty(groupName) ? "no Auto Scaling group" : $"group '{groupName}'";
            return NonCompliant(instance, $"Launched outside a managed group ({where}; {application} uses {topology.Blue.AutoScalingGroupName} and {topology.Green.AutoScalingGroupName}).", application, topology);
        }

        var group = await autoScaling.DescribeAutoScalingGroupAsync(groupName!, cancellationToken);
        if (group is null)
        {
            return NonCompliant(instance, $"Its group '{groupName}' no longer exists.", application, topology);
        }

        if (group.LaunchTemplate is not { } spec)
        {
            // Someone moved a managed group to a launch configuration: no launch template image to compare with.
            return NonCompliant(instance, group.LaunchConfigurationRefusal + ".", application, topology);
        }

        var template = await ec2.DescribeLaunchTemplateVersionAsync(spec.LaunchTemplateId, spec.Version, cancellationToken)
            ?? throw new InvalidOperationException(
                $"Launch template {spec.LaunchTemplateId} version {spec.Version} of group '{groupName}' does not exist; cannot tell which image the group runs.");

        var running = instance.ImageId ?? "(unknown image)";
        return running == template.ImageId
            ? new ImageCheck(instance.InstanceId, Compliance.Compliant, $"Running {running}, the image of {groupName}'s launch template version {template.VersionNumber}.", application, topology, group, colour, running, template.ImageId)
            : new ImageCheck(instance.InstanceId, Compliance.NonCompliant, Truncate($"Running {running}, expected {template.ImageId} ({groupName} launch template {template.LaunchTemplateId} version {template.VersionNumber})."), application, topology, group, colour, running, template.ImageId);
    }

    private static ImageCheck NonCompliant(InstanceFacts instance, string annotation, string application, FleetTopology? topology = null) =>
        new(instance.InstanceId, Compliance.NonCompliant, Truncate(annotation), application, topology, RunningImage: instance.ImageId);

    private static string Truncate(string text) => text.Length <= MaxAnnotation ? text : string.Concat(text.AsSpan(0, MaxAnnotation - 1), "…");
}
