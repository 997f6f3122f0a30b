using System.Text.Json;
using System.Text.Json.Nodes;
using Phoenix.Core.Domain;
using Phoenix.Core.Ports;
using Phoenix.Core.Serialization;

namespace Phoenix.Core.Workflow;

/// <summary>
/// <see cref="Outcome"/>: DEPLOYED, FAILED, ROLLBACK_FAILED, REJECTED (Validate refused the input), REFUSED (another
/// execution holds the application's lock) or DRY_RUN.
/// <see cref="State"/> is the workflow state as the state machine holds it (<c>request</c>, <c>resolved.plan</c>,
/// <c>image.imageId</c>, <c>error</c>, <c>rollback</c>, <c>rollbackError</c>, <c>rollbackFailure</c>,
/// <c>scaleDownError</c>, <c>releaseError</c>, <c>lock</c>); Notify reads what is there, because it runs from every path,
/// including ones where the request never validated.
/// </summary>
public sealed record NotifyInput(string Outcome, ExecutionRef Execution, JsonObject? State = null);

/// <summary>
/// <see cref="Outcome"/> is ROLLED_BACK when a FAILED run went through Rollback. <see cref="Warning"/> is set when a
/// DEPLOYED run left something to do. TopicArn null: nothing configured, nothing sent.
/// </summary>
public sealed record NotifyOutput(string Outcome, string? TopicArn, string Title, bool Warning = false);

/// <summary>
/// Tells the chat channel how the deployment ended (AWS Chatbot custom notification on the deployment topic: the
/// topology's, or the deployment-wide one), in the words of the ledger's end states: DEPLOYED (with a warning when the
/// previous colour could not be scaled down or the lock not released), ROLLED_BACK, ROLLBACK_FAILED ("manual action
/// needed", naming what is left), FAILED (before any change), REJECTED, REFUSED, DRY_RUN. Publishing again on a retry repeats a
/// message but changes no state.
/// </summary>
public sealed class NotifyStep(WorkflowPorts ports, WorkflowSettings settings)
{
    public const string Deployed = DeploymentResults.Deployed;
    public const string Failed = DeploymentResults.Failed;
    public const string RolledBack = DeploymentResults.RolledBack;
    public const string RollbackFailed = DeploymentResults.RollbackFailed;
    public const string DryRun = DeploymentResults.DryRun;
    public const string Rejected = "REJECTED";

    /// <summary>AcquireLock found another execution's lock: this one changed nothing and left that one alone.</summary>
    public const string Refused = "REFUSED";

    public async Task<NotifyOutput> ExecuteAsync(NotifyInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var state = input.State ?? [];
        var application = Text(state["request"]?["application"]) ?? "unknown application";
        var plan = ReadPlan(state["resolved"]?["plan"]);
        var outcome = input.Outcome == Failed && state["rollback"] is not null ? RolledBack : input.Outcome;

        var topology = plan?.Topology;
        if (topology is null && outcome != Rejected && state["request"]?["application"] is not null)
        {
            topology = await ports.Topologies.GetAsync(application, cancellationToken);
        }

        // What is left after a failed rollback: RecordRollbackFailure's survey, or a fresh one when it could not run.
        var left = Text(state["rollbackFailure"]?["left"]);
        if (outcome == RollbackFailed && left is null && topology is not null)
        {
            left = await FleetSurvey.DescribeAsync(ports, topology, cancellationToken);
        }

        var facts = new Facts(
            application,
            plan,
            Text(state["image"]?["imageId"]) ?? plan?.ImageId ?? Text(state["request"]?["imageId"]),
            ReadError(state["error"]),
            ReadError(state["rollbackError"]),
            ReadError(state["scaleDownError"]),
            ReadError(state["releaseError"]),
            left,
            Text(state["rollbackFailure"]?["lockExpiresAt"]),
            input.Execution,
            state["rollbackFailure"] is JsonObject);
        var (title, description, nextSteps) = Compose(outcome, facts);
        var warning = outcome == Deployed && (facts.ScaleDownError is not null || facts.ReleaseError is not null);
        var topic = topology?.DeploymentTopicArn ?? settings.DeploymentTopicArn;
        if (string.IsNullOrEmpty(topic))
        {
            return new NotifyOutput(outcome, null, title, warning);
        }

        var related = new List<string> { input.Execution.Id };
        if (plan is not null)
        {
            related.Add(plan.Target.AutoScalingGroupName);
            if (plan.Previous is { } previous)
            {
                related.Add(previous.AutoScalingGroupName);
            }
        }

        var notification = DeploymentChat.Message(
            title,
            description,
            nextSteps,
            DeploymentChat.Thread(application, input.Execution.DeploymentId),
            title,
            "PhoenixDeployment" + outcome + (warning ? "_WITH_WARNING" : ""),
            related);
        await ports.Notifier.PublishAsync(
            topic, [new OutgoingMessage("result", notification.ToJson(), Subject.Limit("Phoenix: " + title))], cancellationToken);
        return new NotifyOutput(outcome, topic, title, warning);
    }

    private sealed record Facts(
        string Application,
        DeploymentPlan? Plan,
        string? ImageId,
        StepError? Error,
        StepError? RollbackError,
        StepError? ScaleDownError,
        StepError? ReleaseError,
        string? Left,
        string? LockExpiresAt,
        ExecutionRef Execution,
        bool Surveyed);

    private static (string Title, string Description, List<string> NextSteps) Compose(string outcome, Facts f)
    {
        var application = f.Application;
        var plan = f.Plan;
        var image = f.ImageId is null ? "the new image" : $"`{f.ImageId}`";
        var from = plan?.PreviousColour is { } previous ? $"{previous.ToWire()} (`{plan.PreviousImageId ?? "unknown image"}`)" : "an empty fleet";
        var to = plan is null ? "" : $" on {plan.TargetColour.ToWire()} ({plan.TargetCapacity.Desired} instances)";
        var failure = Describe(f.Error, "Unknown error");
        var executionLine = $"\nExecution: {f.Execution.Id}";
        switch (outcome)
        {
            case Deployed:
                return DeployedMessage(f, image, from, to, executionLine);
            case RolledBack:
                return (
                    $"{application}: deployment rolled back",
                    $"*{application}*: deploying {image}{to} failed and was rolled back; traffic is on {from}.\n{failure}{executionLine}",
                    ["Check the cause above, fix the image or the fleet, and deploy again."]);
            case RollbackFailed:
            {
                var previousColour = plan?.PreviousColour?.ToWire();
                var idle = plan is null ? "the new colour's group" : $"`{plan.Target.AutoScalingGroupName}`";
                return (
                    $"{application}: ROLLBACK FAILED, manual action needed",
                    $"*{application}*: deploying {image}{to} failed, and rolling back failed too.\n"
                    + $"Deployment: {failure}\nRollback: {Describe(f.RollbackError, "Unknown error")}\n"
                    + $"What is left: {f.Left ?? "unknown (the fleet could not be read)"}.\n"
                    + LockLine(f) + executionLine,
                    [
                        previousColour is null
                            ? "Make sure the listener sends no traffic to the new colour (it had none before)."
                            : $"Put 100% of the listener's traffic on {previousColour} (`{plan!.Previous!.TargetGroupArn}`).",
                        $"Set {idle} to min = max = desired = 0.",
                        $"Give the live group back its own MinSize and resume the processes the deployment suspended ({string.Join(", ", FleetRestore.SuspendedDuringDeployment)}) on both groups.",
                        $"Once the fleet is safe, release the lock this execution holds (item pk `APP#{application}`, sk `LOCK` of the Phoenix table; "
                            + $"it expires by itself{(f.LockExpiresAt is null ? "" : $" at {f.LockExpiresAt}")}).",
                    ]);
            }

            case DryRun:
                return (
                    $"{application}: dry run plan",
                    plan is null
                        ? $"*{application}*: dry run resolved no plan.{executionLine}"
                        : $"*{application}*: would deploy {(plan.ImageId is null ? "a freshly baked image" : $"`{plan.ImageId}`")}{to}, replacing {from}; nothing was changed.{executionLine}",
                    ["Run again without dryRun to deploy."]);
            case Rejected:
                return (
                    $"{application}: deployment request rejected",
                    $"*{application}*: the deployment request was rejected before any change.\n{failure}{executionLine}",
                    ["Fix the request and start the deployment again."]);
            case Refused:
                return (
                    $"{application}: deployment refused, another deployment is running",
                    $"*{application}*: deploying {image} was refused before any change: another execution holds the deployment lock, "
                    + $"and it, its lock and its ledger entry were left alone.\n{failure}{executionLine}",
                    [$"Wait for the deployment holding the lock to finish (`phoenix history --app {application}`), then deploy again; "
                        + "if the cause above says its leftovers need manual action, see the Runbook in the README."]);
            default:
                return (
                    $"{application}: deployment failed",
                    $"*{application}*: deploying {image} failed before any change to the fleet.\n{failure}{executionLine}",
                    ["Check the cause above and deploy again."]);
        }
    }

    private static (string Title, string Description, List<string> NextSteps) DeployedMessage(Facts f, string image, string from, string to, string executionLine)
    {
        var application = f.Application;
        var previousGroup = f.Plan?.Previous?.AutoScalingGroupName;
        var warnings = new List<string>();
        var nextSteps = new List<string>();
        if (f.ScaleDownError is { } scaleDown)
        {
            warnings.Add($"Warning: scaling the previous colour{(previousGroup is null ? "" : $" (`{previousGroup}`)")} to 0 failed: {Describe(scaleDown, "Unknown error")}. It still runs.");
            nextSteps.Add(previousGroup is null
                ? "Scale the previous colour's group to min = max = desired = 0."
                : $"Scale it to 0: `aws autoscaling update-auto-scaling-group --auto-scaling-group-name {previousGroup} --min-size 0 --max-size 0 --desired-capacity 0`, "
                    + $"then `aws autoscaling resume-processes --auto-scaling-group-name {previousGroup} --scaling-processes {string.Join(" ", FleetRestore.SuspendedDuringDeployment)}`.");
        }

        if (f.ReleaseError is { } release)
        {
            warnings.Add($"Warning: the deployment lock could not be released: {Describe(release, "Unknown error")}.");
            nextSteps.Add($"The next deployment of {application} waits for this execution's lock: release it (item pk `APP#{application}`, sk `LOCK` of the Phoenix table) or let it expire.");
        }

        if (nextSteps.Count == 0)
        {
            nextSteps.Add(f.Plan?.PreviousColour is null ? "Nothing to do." : "Nothing to do. The previous colour has been scaled to 0.");
        }

        return (
            $"{application}: {f.ImageId ?? "new image"} is live{(warnings.Count > 0 ? " (with a warning)" : "")}",
            $"*{application}*: {image} is live{to}, replacing {from}.{(warnings.Count > 0 ? "\n" + string.Join("\n", warnings) : "")}{executionLine}",
            nextSteps);
    }

    /// <summary>Whether the lock still keeps other deployments off the fleet after a failed rollback.</summary>
    private static string LockLine(Facts f) => (f.Surveyed, f.LockExpiresAt) switch
    {
        (_, { } until) => $"The deployment lock stays held by this execution until {until}, so no deployment starts on this fleet.",
        (true, null) => "The deployment lock could not be kept: another execution holds it.",
        (false, _) => "This execution did not release its deployment lock; it expires at the end of the deployment's longest run.",
    };

    private static string Describe(StepError? error, string unknown) =>
        $"*{error?.Error ?? unknown}*: {(string.IsNullOrEmpty(error?.Cause) ? "no cause given" : error.Cause)}";

    private static StepError? ReadError(JsonNode? node) =>
        node is JsonObject && Text(node["Error"]) is { } error ? new StepError(error, Text(node["Cause"])) : null;

    private static DeploymentPlan? ReadPlan(JsonNode? node)
    {
        if (node is not JsonObject)
        {
            return null;
        }

        try
        {
            return node.Deserialize(CoreJsonContext.Default.DeploymentPlan);
        }
        catch (JsonException)
        {
            // A report of what happened must not fail because part of the state is unreadable.
            return null;
        }
    }

    private static string? Text(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;
}
