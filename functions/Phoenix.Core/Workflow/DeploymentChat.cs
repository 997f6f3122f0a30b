using Phoenix.Core.Notifications;

namespace Phoenix.Core.Workflow;

/// <summary>Chat messages of one deployment (approval request, result) share a thread.</summary>
internal static class DeploymentChat
{
    public static string Thread(string application, string deploymentId) => $"phoenix-deploy-{application}-{deploymentId}";

    public static ChatNotification Message(
        string title, string description, IReadOnlyList<string> nextSteps, string threadId, string summary, string eventType, IReadOnlyList<string> relatedResources) =>
        ChatNotification.Create(
            new ChatContent(ChatNotification.MarkdownTextType, title, description, nextSteps),
            new ChatMetadata(threadId, summary, eventType, relatedResources));
}
