using System.Text.Json.Serialization;

namespace Phoenix.Core.Domain;

/// <summary>The two interchangeable halves of a blue/green fleet; "blue"/"green" on the wire.</summary>
public enum Colour
{
    [JsonStringEnumMemberName("blue")]
    Blue,
    [JsonStringEnumMemberName("green")]
    Green,
}

public static class ColourExtensions
{
    public static Colour Other(this Colour colour) => colour == Colour.Blue ? Colour.Green : Colour.Blue;

    public static string ToWire(this Colour colour) => colour == Colour.Blue ? "blue" : "green";

    public static Colour ParseColour(string value) => value switch
    {
        "blue" => Colour.Blue,
        "green" => Colour.Green,
        _ => throw new ArgumentException($"Unknown colour '{value}': expected 'blue' or 'green'.", nameof(value)),
    };
}

/// <summary>One colour's resources: its Auto Scaling group, target group and launch template.</summary>
public sealed record ColourResources(string AutoScalingGroupName, string TargetGroupArn, string LaunchTemplateId);

/// <summary>
/// An application's static topology, as stored in the SSM parameter the fleet stack writes
/// (<c>/phoenix/apps/{application}/topology</c>). Which colour is live is NOT stored here: the listener's weights
/// are the only source of truth and are observed on every deployment.
/// </summary>
public sealed record FleetTopology(
    string Application,
    ColourResources Blue,
    ColourResources Green,
    string ListenerArn,
    IReadOnlyList<string> AlarmNames,
    string? BakeProject = null,
    string? DeploymentTopicArn = null,
    int MinHealthyPercentage = 90,
    int DefaultCapacity = 2)
{
    public ColourResources For(Colour colour) => colour == Colour.Blue ? Blue : Green;
}
