using Phoenix.Core.Ports;

namespace Phoenix.Core.Workflow;

/// <summary>
/// A failed launch from DescribeScalingActivities. <see cref="StatusMessage"/> is AWS's own reason, word for word;
/// <see cref="Kind"/> names its class (<see cref="LaunchFailures"/> constants); <see cref="Permanent"/> is true when Auto
/// Scaling's own retries will not fix it, so waiting out a health deadline would only delay the same failure.
/// <see cref="AvailabilityZone"/> is set for capacity failures, whose message names the zone.
/// </summary>
public sealed record LaunchFailure(
    string ActivityId,
    DateTimeOffset StartTime,
    string Kind,
    bool Permanent,
    string StatusMessage,
    string? AvailabilityZone = null);

/// <summary>
/// Reads why the new colour's instances fail to launch. Auto Scaling keeps retrying a failed launch for as long as desired
/// exceeds the group's instances, so a health gate that only counts healthy instances waits out its whole deadline on a
/// launch that can never succeed. The messages matched here are the ones "Troubleshoot Amazon EC2 Auto Scaling: EC2
/// instance launch failures" and the AMI/KMS troubleshooting pages list; anything not recognised is transient, so an
/// unknown message never fails a deployment that could still become healthy.
/// </summary>
public static class LaunchFailures
{
    /// <summary>"We currently do not have sufficient … capacity in the Availability Zone you requested (…)": permanent only when every zone of the group reports it.</summary>
    public const string InsufficientCapacity = "InsufficientInstanceCapacity";

    /// <summary>The AMI does not exist, is not shared with the account ("Not authorized for images"), or is deregistered.</summary>
    public const string InvalidImage = "InvalidImage";

    /// <summary>An encrypted volume's KMS key is disabled, pending deletion, or not usable by the Auto Scaling service-linked role ("Client.InternalError: Client error on launch").</summary>
    public const string KmsKey = "KmsKey";

    /// <summary>The launch template (or something it names: security group, key pair, instance profile, instance type, block device) is invalid.</summary>
    public const string InvalidLaunchTemplate = "InvalidLaunchTemplate";

    /// <summary>The account's instance or vCPU quota: no retry raises it.</summary>
    public const string Quota = "Quota";

    /// <summary>Anything else (Spot capacity, throttling, an unrecognised message): Auto Scaling's retries may still succeed.</summary>
    public const string Transient = "Transient";

    /// <summary>DescribeScalingActivities returns at most 100 per page; a deployment's scale-up never needs more.</summary>
    public const int MaxRecords = 100;

    /// <summary>
    /// The failed launch activities of <paramref name="groupName"/> that started at or after <paramref name="since"/> (the
    /// deployment's scale-up), newest first, each classified. Capacity failures are permanent only when, since then, every
    /// Availability Zone of the group has reported one: Auto Scaling moves on to another zone by itself otherwise.
    /// </summary>
    public static async Task<IReadOnlyList<LaunchFailure>> FindAsync(IAutoScaling autoScaling, string groupName, DateTimeOffset since, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(autoScaling);
        var activities = await autoScaling.DescribeScalingActivitiesAsync(groupName, MaxRecords, cancellationToken);
        var failed = activities
            .Where(a => a.StartTime >= since && a.StatusCode == "Failed" && IsLaunch(a))
            .OrderByDescending(a => a.StartTime)
            .Select(Classify)
            .ToList();
        if (failed.Count == 0 || !failed.Any(f => f.Kind == InsufficientCapacity))
        {
            return failed;
        }

        var group = await autoScaling.DescribeAutoScalingGroupAsync(groupName, cancellationToken);
        var zones = group?.AvailabilityZones ?? [];
        var starved = failed.Where(f => f.Kind == InsufficientCapacity && f.AvailabilityZone is not null)
            .Select(f => f.AvailabilityZone!)
            .ToHashSet(StringComparer.Ordinal);
        var everyZone = zones.Count > 0 && zones.All(starved.Contains);
        return everyZone
            ? failed.Select(f => f.Kind == InsufficientCapacity ? f with { Permanent = true } : f).ToList()
            : failed;
    }

    /// <summary>Classifies one AWS launch failure message (the activity's StatusMessage, else its Description).</summary>
    public static LaunchFailure Classify(ScalingActivity activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        var message = activity.StatusMessage ?? activity.Description ?? "";
        var (kind, zone) = KindOf(message);
        return new LaunchFailure(activity.ActivityId, activity.StartTime, kind, kind is not (InsufficientCapacity or Transient), message, zone);
    }

    private static bool IsLaunch(ScalingActivity activity) =>
        activity.Description is null || activity.Description.StartsWith("Launching", StringComparison.OrdinalIgnoreCase);

    private static (string Kind, string? Zone) KindOf(string message)
    {
        if (Has(message, "do not have sufficient") || Has(message, "InsufficientInstanceCapacity"))
        {
            return (InsufficientCapacity, ZoneOf(message));
        }

        if (Has(message, "KMS") || Has(message, "Client.InternalError") || Has(message, "Client error on launch"))
        {
            return (KmsKey, null);
        }

        if (Has(message, "Not authorized for images") || Has(message, "InvalidAMIID")
            || (Has(message, "ami-") && (Has(message, "does not exist") || Has(message, "is not valid") || Has(message, "deregistered")))
            || Has(message, "image id"))
        {
            return (InvalidImage, null);
        }

        if (Has(message, "launch template") || Has(message, "security group") || Has(message, "key pair")
            || Has(message, "instance profile") || Has(message, "Invalid device name") || Has(message, "not supported in your requested Availability Zone")
            || Has(message, "requested configuration is currently not supported") || Has(message, "architecture"))
        {
            return (InvalidLaunchTemplate, null);
        }

        if (Has(message, "vCPU limit") || Has(message, "VcpuLimitExceeded") || Has(message, "InstanceLimitExceeded")
            || Has(message, "instance(s) are already running"))
        {
            return (Quota, null);
        }

        return (Transient, null);
    }

    /// <summary>The zone in "… in the Availability Zone you requested (us-east-1a). …".</summary>
    private static string? ZoneOf(string message)
    {
        const string marker = "Availability Zone you requested (";
        var start = message.IndexOf(marker, StringComparison.OrdinalIgnoreCase);
        if (start < 0)
        {
            return null;
        }

        start += marker.Length;
        var end = message.IndexOf(')', start);
        return end > start ? message[start..end] : null;
    }

    private static bool Has(string message, string text) => message.Contains(text, StringComparison.OrdinalIgnoreCase);
}
