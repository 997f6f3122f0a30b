using System.Text.Json.Nodes;
using Amazon.SQS;
using Amazon.SQS.Model;
using Phoenix.Emulator.Tests.Provisioning;

namespace Phoenix.Emulator.Tests.Support;

/// <summary>Small state machines for the Step Functions tests (the deployment workflow itself needs Lambda, which moto does not run).</summary>
public static class StateMachines
{
    /// <summary>Three Pass states: with execution on, it succeeds at once with a known history.</summary>
    public const string Passes = """
        {"StartAt":"Validate","States":{
          "Validate":{"Type":"Pass","Next":"ResolveFleet"},
          "ResolveFleet":{"Type":"Pass","Next":"Notify"},
          "Notify":{"Type":"Pass","End":true}}}
        """;

    public static async Task<string> CreateAsync(MotoServer moto, string name, string definition)
    {
        using var provisioner = new StepFunctionsProvisioner(moto);
        var created = await provisioner.CreateStateMachineAsync(new CreateStateMachineRequest
        {
            Name = name,
            Definition = definition,
            RoleArn = StepFunctionsProvisioner.RoleArn,
            Type = "STANDARD",
        });
        return created.StateMachineArn!;
    }

    /// <summary>
    /// An approval gate like the workflow's RequestApproval: the task token goes out (here to an SQS queue, which moto
    /// can run; Phoenix sends it through Lambda and chat) and the execution waits for SendTaskSuccess/Failure.
    /// ApprovalRejected is caught into a Fail state named Rejected, as deploy.asl.json routes it to Rollback.
    /// </summary>
    public static string Approval(string queueUrl) => new JsonObject
    {
        ["StartAt"] = "RequestApproval",
        ["States"] = new JsonObject
        {
            ["RequestApproval"] = new JsonObject
            {
                ["Type"] = "Task",
                ["Resource"] = "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                ["Parameters"] = new JsonObject { ["QueueUrl"] = queueUrl, ["MessageBody"] = new JsonObject { ["taskToken.$"] = "$$.Task.Token" } },
                ["Catch"] = new JsonArray { new JsonObject { ["ErrorEquals"] = new JsonArray { "ApprovalRejected" }, ["ResultPath"] = "$.error", ["Next"] = "Rejected" } },
                ["End"] = true,
            },
            ["Rejected"] = new JsonObject { ["Type"] = "Fail", ["Error"] = "DeploymentRejected", ["Cause"] = "The approver rejected the deployment." },
        },
    }.ToJsonString();

    /// <summary>Waits (bounded) for the task token the approval state sent to the queue.</summary>
    public static async Task<string> ReceiveTaskTokenAsync(AmazonSQSClient sqs, string queueUrl)
    {
        ArgumentNullException.ThrowIfNull(sqs);
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var received = await sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = queueUrl, MaxNumberOfMessages = 1, WaitTimeSeconds = 1 });
            if (received.Messages is [var message, ..])
            {
                await sqs.DeleteMessageAsync(queueUrl, message.ReceiptHandle);
                return (string?)JsonNode.Parse(message.Body)?["taskToken"] ?? throw new InvalidOperationException($"No taskToken in {message.Body}");
            }
        }

        throw new InvalidOperationException($"No task token arrived in {queueUrl} within 10 s.");
    }
}
