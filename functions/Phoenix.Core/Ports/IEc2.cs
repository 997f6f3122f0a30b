namespace Phoenix.Core.Ports;

/// <summary>EC2 operations Phoenix uses: images, launch template versions, instances.</summary>
public interface IEc2
{
    /// <summary>Returns null when the image does not exist (or is not visible to the account).</summary>
    Task<ImageDescription?> DescribeImageAsync(string imageId, CancellationToken cancellationToken);

    /// <summary>
    /// Creates a version from <paramref name="sourceVersion"/> with only the image replaced. The client token makes
    /// the call idempotent: the same token returns the version created the first time.
    /// </summary>
    Task<LaunchTemplateVersion> CreateLaunchTemplateVersionAsync(
        string launchTemplateId, string sourceVersion, string imageId, string clientToken, CancellationToken cancellationToken);

    /// <summary>Version: a number, <c>$Latest</c> or <c>$Default</c>. Null when absent.</summary>
    Task<LaunchTemplateVersion?> DescribeLaunchTemplateVersionAsync(string launchTemplateId, string version, CancellationToken cancellationToken);

    Task<IReadOnlyList<InstanceDescription>> DescribeInstancesAsync(IReadOnlyList<string> instanceIds, CancellationToken cancellationToken);

    /// <summary>CreateTags on one resource (a launch template's <c>lt-</c> id): an existing key takes the new value, so a repeat changes nothing.</summary>
    Task CreateTagsAsync(string resourceId, IReadOnlyList<KeyValuePair<string, string>> tags, CancellationToken cancellationToken);
}

/// <summary>State: pending, available, invalid, deregistered, failed, … (the API's strings).</summary>
public sealed record ImageDescription(string ImageId, string State, string? Name, IReadOnlyDictionary<string, string> Tags);

public sealed record LaunchTemplateVersion(string LaunchTemplateId, long VersionNumber, string ImageId);

/// <summary>Tags include <c>aws:autoscaling:groupName</c> for instances launched by a group.</summary>
public sealed record InstanceDescription(string InstanceId, string ImageId, string State, IReadOnlyDictionary<string, string> Tags);
