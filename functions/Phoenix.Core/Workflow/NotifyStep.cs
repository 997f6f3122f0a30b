using System.Text.Json;
using System.Text.Json.Nodes;
using Phoenix.Core.Domain;
using Phoenix.Core.Ports;
using Phoenix.Core.Serialization;

namespace Phoenix.Core.Workflow;

/// <summary>
/// <see cref="Outcome"/>: SUCCEEDED, FAILED, REJECTED (Validate refused the input) or DRY_RUN. <see cref="State"/> is
/// the workflow state as the state machine holds it (<c>request</c>, <c>resolved.plan</c>, <c>image.imageId</c>,
/// <c>error</c>, <c>rollback</c>); Notify reads what is there, because it runs from every path, including ones where
/// the request never validated.
/// </summary>
public sealed record NotifyInput(string Outcome, ExecutionRef Execution, JsonObject? State = null);

/// <summary><see cref="Outcome"/> is ROLLED_BACK when a FAILED run went through Rollback. TopicArn null: nothing configured, nothing sent.</summary>
public sealed record NotifyOutput(string Outcome, string? TopicArn, string Title);

/// <summary>
/// Tells the chat channel how the deployment ended (AWS Chatbot custom notification on the deployment topic: the
/// topology's, or the deployment-wide one). Publishing again on a retry repeats a message but changes no state.
/// </summary>
public sealed class NotifyStep(WorkflowPorts ports, WorkflowSettings settings)
{
    public const string Deployed = DeploymentResults.Deployed;
    public const string Failed = DeploymentResults.Failed;
    public const string RolledBack = DeploymentResults.RolledBack;
    public const string DryRun = DeploymentResults.DryRun;
    public const string Rejected = "REJECTED";

    public async Task<NotifyOutput> ExecuteAsync(NotifyInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var state = input.State ?? [];
        var application = Text(state["request"]?["application"]) ?? "unknown application";
        var plan = ReadPlan(state["resolved"]?["plan"]);
        var imageId = Text(state["image"]?["imageId"]) ?? plan?.ImageId ?? Text(state["request"]?["imageId"]);
        var error = state["error"];
        var errorName = Text(error?["Error"]);
        var cause = Text(error?["Cause"]);
        var outcome = input.Outcome == Failed && state["rollback"] is not null ? RolledBack : input.Outcome;

        var topology = plan?.Topology;
        if (topology is null && outcome != Rejected && state["request"]?["application"] is not null)
        {
            topology = await ports.Topologies.GetAsync(application, cancellationToken);
        }

        var deploymentId = input.Execution.DeploymentId;
        var (title, description, nextSteps) = Compose(outcome, application, plan, imageId, errorName, cause, input.Execution);
        var topic = topology?.DeploymentTopicArn ?? settings.DeploymentTopicArn;
        if (string.IsNullOrEmpty(topic))
        {
            return new NotifyOutput(outcome, null, title);
        }

        var related = new List<string> { input.Execution.Id };
        if (plan is not null)
        {
            related.Add(plan.Target.AutoScalingGroupName);
        }

        var notification = DeploymentChat.Message(
            title,
            description,
            nextSteps,
            DeploymentChat.Thread(application, deploymentId),
            title,
            "PhoenixDeployment" + outcome,
            related);
        await ports.Notifier.PublishAsync(
            topic, [new OutgoingMessage("result", notification.ToJson(), Subject.Limit("Phoenix: " + title))], cancellationToken);
        return new NotifyOutput(outcome, topic, title);
    }

    private static (string Title, string Description, List<string> NextSteps) Compose(
        string outcome, string application, DeploymentPlan? plan, string? imageId, string? error, string? cause, ExecutionRef execution)
    {
        var image = imageId is null ? "the new image" : $"`{imageId}`";
        var from = plan?.PreviousColour is { } previous ? $"{previous.ToWire()} (`{plan.PreviousImageId ?? "unknown image"}`)" : "an empty fleet";
        var to = plan is null ? "" : $" on {plan.TargetColour.ToWire()} ({plan.TargetCapacity.Desired} instances)";
        var failure = $"*{error ?? "Unknown error"}*: {cause ?? "no cause given"}";
        var executionLine = $"\nExecution: {execution.Id}";
        return outcome switch
        {
            Deployed => (
                $"{application}: {imageId ?? "new image"} is live",
                $"*{application}*: {image} is live{to}, replacing {from}.{executionLine}",
                ["Nothing to do. The previous colour has been scaled to 0."]),
            RolledBack => (
                $"{application}: deployment rolled back",
                $"*{application}*: deploying {image}{to} failed and was rolled back; traffic is on {from}.\n{failure}{executionLine}",
                ["Check the cause above, fix the image or the fleet, and deploy again."]),
            DryRun => (
                $"{application}: dry run plan",
                plan is null
                    ? $"*{application}*: dry run resolved no plan.{executionLine}"
                    : $"*{application}*: would deploy {(plan.ImageId is null ? "a freshly baked image" : $"`{plan.ImageId}`")}{to}, replacing {from}; nothing was changed.{executionLine}",
                ["Run again without dryRun to deploy."]),
            Rejected => (
                $"{application}: deployment request rejected",
                $"*{application}*: the deployment request was rejected before any change.\n{failure}{executionLine}",
                ["Fix the request and start the deployment again."]),
            _ => (
                $"{application}: deployment failed",
                $"*{application}*: deploying {image} failed before any change to the fleet.\n{failure}{executionLine}",
                [error == nameof(DeploymentLocked)
                    ? "Wait for the running deployment to finish, then deploy again."
                    : "Check the cause above and deploy again."]),
        };
    }

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
