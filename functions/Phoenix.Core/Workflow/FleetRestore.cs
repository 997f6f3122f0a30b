using Phoenix.Core.Domain;
using Phoenix.Core.Ports;

namespace Phoenix.Core.Workflow;

/// <summary>
/// The autoscaling a deployment switches off, and how it is put back. A deployment suspends only the processes that
/// would move capacity under it (ScheduledActions changing desired, AZRebalance terminating instances) and pins only the
/// live group's MinSize; everything else (scaling policies, Launch, Terminate, health checks) keeps running. Every
/// ending (Finalize, Rollback, cleanup of an aborted execution) calls <see cref="RestoreAsync"/>, which resumes only what
/// the deployment itself suspended, as recorded in the ledger's <see cref="RestorePoint"/> before the first change.
/// </summary>
public static class FleetRestore
{
    /// <summary>The processes suspended on both groups for the length of a deployment.</summary>
    public static IReadOnlyList<string> SuspendedDuringDeployment { get; } = [ScalingProcesses.AzRebalance, ScalingProcesses.ScheduledActions];

    /// <summary>
    /// Resumes the processes this deployment suspended and gives the previous colour back its MinSize. Setting absolute
    /// values and resuming only recorded processes makes it safe to run any number of times.
    /// </summary>
    public static async Task RestoreAsync(IAutoScaling autoScaling, FleetTopology topology, RestorePoint restore, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(autoScaling);
        ArgumentNullException.ThrowIfNull(topology);
        ArgumentNullException.ThrowIfNull(restore);
        if (restore.PreviousColour is { } wire && restore.PreviousCapacity is { } capacity)
        {
            var previous = topology.For(ColourExtensions.ParseColour(wire));
            await autoScaling.UpdateAutoScalingGroupAsync(
                new UpdateAutoScalingGroup(previous.AutoScalingGroupName, MinSize: capacity.Min), cancellationToken);
        }

        foreach (var (group, processes) in restore.SuspendedProcesses)
        {
            if (processes.Count > 0)
            {
                await autoScaling.ResumeProcessesAsync(group, processes, cancellationToken);
            }
        }
    }
}
