using System.Text.Json.Serialization;
using Phoenix.Core.Domain;
using Phoenix.Core.Ports;

namespace Phoenix.Core.Workflow;

/// <summary>
/// The Step Functions execution a step runs in (<c>$$.Execution.Id</c>, <c>$$.Execution.StartTime</c>). The execution
/// ARN owns the lock; its last segment (the execution name) is the deployment id.
/// </summary>
public sealed record ExecutionRef(string Id, DateTimeOffset StartedAt)
{
    [JsonIgnore]
    public string DeploymentId
    {
        get
        {
            var colon = Id.LastIndexOf(':');
            return colon >= 0 ? Id[(colon + 1)..] : Id;
        }
    }
}

/// <summary>A caught error as Step Functions writes it with a Catch ResultPath: <c>{"Error": …, "Cause": …}</c>.</summary>
public sealed record StepError(
    [property: JsonPropertyName("Error")] string Error,
    [property: JsonPropertyName("Cause")] string? Cause);

/// <summary>
/// What ResolveFleet observed and decided, passed to every later step so the whole execution acts on one view of the
/// fleet. <see cref="PreviousColour"/> is the colour that carried traffic with a non-empty group when the deployment
/// started (null on a first deployment); <see cref="TargetColour"/> ("green") is the idle colour being deployed.
/// <see cref="IgnoredAlarms"/>: the alarms the strategy ignores that were in ALARM when the fleet was observed, with the
/// time they went there. <see cref="IdleInstances"/>: instances found in the idle group (leftovers of an earlier run or of
/// scaling acting on it); ScaleUpGreen replaces the ones not on the new launch-template version.
/// </summary>
public sealed record DeploymentPlan(
    string Application,
    FleetTopology Topology,
    Colour? PreviousColour,
    Colour TargetColour,
    Capacity? PreviousCapacity,
    Capacity TargetCapacity,
    string? PreviousImageId,
    string? ImageId,
    IReadOnlyList<TargetGroupWeight> ObservedWeights,
    IReadOnlyList<IgnoredAlarm>? IgnoredAlarms = null,
    IReadOnlyList<string>? IdleInstances = null)
{
    [JsonIgnore]
    public bool FirstDeployment => PreviousColour is null;

    [JsonIgnore]
    public ColourResources Target => Topology.For(TargetColour);

    [JsonIgnore]
    public ColourResources? Previous => PreviousColour is { } colour ? Topology.For(colour) : null;

    /// <summary>The colour that is not the target: the previous one, or on a first deployment the one that ran nothing.</summary>
    [JsonIgnore]
    public ColourResources Other => Topology.For(TargetColour.Other());
}

/// <summary>The parts of a ledger <see cref="RestorePoint"/> one ending puts back.</summary>
internal static class RestorePoints
{
    /// <summary>
    /// Only the processes suspended on <paramref name="groupName"/>, and no MinSize: the ending that calls this restores
    /// one group and sets the other's sizes itself (Finalize resumes the new live colour while the previous one stays
    /// pinned and warm; ScaleDownPrevious resumes the previous colour after setting it to 0).
    /// </summary>
    public static RestorePoint ProcessesOf(RestorePoint restore, string groupName) =>
        restore with
        {
            PreviousColour = null,
            PreviousCapacity = null,
            SuspendedProcesses = restore.SuspendedProcesses
                .Where(p => p.Key == groupName)
                .ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal),
        };
}
