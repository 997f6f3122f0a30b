using System.Text.RegularExpressions;
using Amazon;

namespace Phoenix.Aws;

/// <summary>
/// Region names as the SDKs accept them: every region AWSSDK.Core lists, and a region launched after the pinned
/// Core when its name matches one of Core's partitions' regionRegex (e.g. a new <c>ap-southeast-9</c> in aws, a new
/// <c>eusc-de-west-1</c> in aws-eusc). Such a region resolves through its partition (<see cref="RegionEndpoint.GetBySystemName"/>
/// plus the partition's DNS suffix), as the official SDKs' endpoint rules do. Anything else (<c>mars-1</c>, a name
/// with spaces) is refused: Core itself would silently place it in the aws partition.
/// </summary>
public static partial class AwsRegions
{
    /// <summary>The region called <paramref name="name"/>, or null when no AWS partition can hold it.</summary>
    public static RegionEndpoint? Find(string? name)
    {
        if (string.IsNullOrEmpty(name) || !RegionName().IsMatch(name))
        {
            return null;
        }

        if (RegionEndpoint.EnumerableAllRegions.FirstOrDefault(r => r.SystemName == name) is { } known)
        {
            return known;
        }

        return RegionEndpoint.AllPartitionRegionRegex.Any(pattern => Regex.IsMatch(name, pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)))
            ? RegionEndpoint.GetBySystemName(name)
            : null;
    }

    /// <summary>The region called <paramref name="name"/>; <paramref name="source"/> (e.g. "from AWS_REGION") is named when it is refused.</summary>
    public static RegionEndpoint Resolve(string name, string? source = null) =>
        Find(name) ?? throw new AwsConfigurationException(source is null ? $"Unknown AWS region '{name}'." : $"Unknown AWS region '{name}' ({source}).");

    // The partitions' patterns end in '$', which also matches before a final newline; this one does not.
    [GeneratedRegex(@"^[a-z0-9]+(-[a-z0-9]+)+\z", RegexOptions.CultureInvariant)]
    private static partial Regex RegionName();
}
