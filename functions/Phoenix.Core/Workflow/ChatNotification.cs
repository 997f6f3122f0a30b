using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Phoenix.Core.Workflow;

/// <summary>
/// An AWS Chatbot custom notification (the JSON Chatbot relays from SNS to Slack/Teams). Built as a JsonObject so it
/// needs no reflection; messages of one deployment share a thread.
/// </summary>
public sealed record ChatNotification(
    string Title,
    string Description,
    IReadOnlyList<string> NextSteps,
    string ThreadId,
    string Summary,
    string EventType,
    IReadOnlyList<string> RelatedResources)
{
    private static readonly JsonSerializerOptions WriteOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public string ToJson()
    {
        var message = new JsonObject
        {
            ["version"] = "1.0",
            ["source"] = "custom",
            ["content"] = new JsonObject
            {
                ["textType"] = "client-markdown",
                ["title"] = Title,
                ["description"] = Description,
                ["nextSteps"] = new JsonArray([.. NextSteps.Select(s => (JsonNode?)JsonValue.Create(s))]),
            },
            ["metadata"] = new JsonObject
            {
                ["threadId"] = ThreadId,
                ["summary"] = Summary,
                ["eventType"] = EventType,
                ["relatedResources"] = new JsonArray([.. RelatedResources.Select(s => (JsonNode?)JsonValue.Create(s))]),
            },
        };
        return message.ToJsonString(WriteOptions);
    }

    public static string DeploymentThread(string application, string deploymentId) => $"phoenix-deploy-{application}-{deploymentId}";
}
