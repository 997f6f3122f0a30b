using Phoenix.Core.Domain;
using Phoenix.Core.Ports;

namespace Phoenix.Core.Workflow;

public sealed record RequestApprovalInput(DeploymentPlan Plan, DeploymentRequest Request, string ImageId, string TaskToken, ExecutionRef Execution);

public sealed record RequestApprovalOutput(string TopicArn, string ThreadId);

/// <summary>
/// Asks a human to approve the swap: publishes a chat notification carrying the Step Functions task token, with the
/// commands that approve (SendTaskSuccess) or reject (SendTaskFailure with error ApprovalRejected). The state machine
/// waits on the token, so this step returns as soon as the message is out; a retry sends the same message again,
/// which changes no fleet state.
/// </summary>
public sealed class RequestApprovalStep(WorkflowPorts ports, WorkflowSettings settings)
{
    public async Task<RequestApprovalOutput> ExecuteAsync(RequestApprovalInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var plan = input.Plan;
        var topic = plan.Topology.DeploymentTopicArn ?? settings.DeploymentTopicArn;
        if (string.IsNullOrEmpty(topic))
        {
            throw new InvalidDeploymentRequest(
                $"strategy.approval is true but application '{plan.Application}' has no deployment topic to ask for approval on.");
        }

        var thread = DeploymentChat.Thread(plan.Application, input.Execution.DeploymentId);
        var source = input.Request.Source;
        var notification = DeploymentChat.Message(
            $"Approve deployment of {plan.Application}?",
            $"*{plan.Application}*: image `{input.ImageId}` is healthy on {plan.TargetColour.ToWire()} "
            + $"({plan.TargetCapacity.Desired} instances) and waits for approval before traffic moves"
            + (plan.PreviousColour is { } previous ? $" from {previous.ToWire()} (`{plan.PreviousImageId ?? "unknown image"}`)" : "")
            + $".\nCommit: {source.Commit ?? "n/a"} ({source.Repository ?? "n/a"}), trigger: {source.Trigger ?? "n/a"}.\nExecution: {input.Execution.Id}",
            [
                $"Approve: `aws stepfunctions send-task-success --task-token {input.TaskToken} --task-output '{{}}'`",
                $"Reject: `aws stepfunctions send-task-failure --task-token {input.TaskToken} --error ApprovalRejected --cause \"<reason>\"`",
            ],
            thread,
            $"{plan.Application}: approval needed for {input.ImageId}",
            "PhoenixApprovalRequested",
            [input.Execution.Id, plan.Target.AutoScalingGroupName]);
        await ports.Notifier.PublishAsync(
            topic, [new OutgoingMessage("approval", notification.ToJson(), Subject.Limit($"Phoenix: approve {plan.Application}"))], cancellationToken);
        return new RequestApprovalOutput(topic, thread);
    }
}

internal static class Subject
{
    /// <summary>SNS rejects subjects over 100 characters.</summary>
    public static string Limit(string subject) => subject.Length <= 100 ? subject : subject[..100];
}
