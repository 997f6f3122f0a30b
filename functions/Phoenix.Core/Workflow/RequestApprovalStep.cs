using Phoenix.Core.Domain;
using Phoenix.Core.Ports;

namespace Phoenix.Core.Workflow;

public sealed record RequestApprovalInput(DeploymentPlan Plan, DeploymentRequest Request, string ImageId, string TaskToken, ExecutionRef Execution);

/// <summary><see cref="Published"/> is false when an earlier attempt already posted the request (a retry only stored its new token).</summary>
public sealed record RequestApprovalOutput(string TopicArn, string ThreadId, bool Published);

/// <summary>
/// Asks a human to approve the swap. Step Functions gives every attempt of a waitForTaskToken task a new token, so a
/// message carrying the token would go stale when this step is retried. Instead the current token is stored in the
/// execution's ledger entry (<see cref="DeploymentRecord.ApprovalToken"/>) and the message names the execution:
/// <c>phoenix approve EXECUTION_ARN</c> / <c>phoenix reject EXECUTION_ARN</c> look the token up there. The message is
/// posted once per execution: a retry finds a token already stored, replaces it with its own and posts nothing. It is
/// posted before the token is stored, so a failure in between costs at worst a second message naming the same
/// execution (still valid), never a request nobody sees.
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

        var deploymentId = input.Execution.DeploymentId;
        var record = await ports.Ledger.GetAsync(plan.Application, deploymentId, cancellationToken)
            ?? throw new InvalidStepInput(
                $"No ledger entry for deployment '{deploymentId}' of '{plan.Application}': AcquireLock opens it before any approval is requested.");

        var thread = DeploymentChat.Thread(plan.Application, deploymentId);
        var publish = record.ApprovalToken is null;
        if (publish)
        {
            var notification = Message(input, thread);
            await ports.Notifier.PublishAsync(
                topic, [new OutgoingMessage("approval", notification.ToJson(), Subject.Limit($"Phoenix: approve {plan.Application}"))], cancellationToken);
        }

        if (record.ApprovalToken != input.TaskToken)
        {
            await ports.Ledger.PutAsync(record with { ApprovalToken = input.TaskToken }, cancellationToken);
        }

        return new RequestApprovalOutput(topic, thread, publish);
    }

    private static Notifications.ChatNotification Message(RequestApprovalInput input, string thread)
    {
        var plan = input.Plan;
        var source = input.Request.Source;
        var execution = input.Execution.Id;
        return DeploymentChat.Message(
            $"Approve deployment of {plan.Application}?",
            $"*{plan.Application}*: image `{input.ImageId}` is healthy on {plan.TargetColour.ToWire()} "
            + $"({plan.TargetCapacity.Desired} instances) and waits for approval before traffic moves"
            + (plan.PreviousColour is { } previous ? $" from {previous.ToWire()} (`{plan.PreviousImageId ?? "unknown image"}`)" : "")
            + $".\nCommit: {source.Commit ?? "n/a"} ({source.Repository ?? "n/a"}), trigger: {source.Trigger ?? "n/a"}.\nExecution: {execution}"
            + $"\nWithout an answer within {ExecutionBudget.ApprovalTimeoutSeconds / 3600} hours the deployment rolls back.",
            [
                $"Approve: `phoenix approve {execution}`",
                $"Reject: `phoenix reject {execution} --reason \"<reason>\"`",
            ],
            thread,
            $"{plan.Application}: approval needed for {input.ImageId}",
            "PhoenixApprovalRequested",
            [execution, plan.Target.AutoScalingGroupName]);
    }
}

internal static class Subject
{
    /// <summary>SNS rejects subjects over 100 characters.</summary>
    public static string Limit(string subject) => subject.Length <= 100 ? subject : subject[..100];
}
