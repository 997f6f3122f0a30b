namespace Phoenix.Core.Drift;

/// <summary>
/// An AWS Chatbot (Amazon Q Developer in chat applications) custom notification, published to SNS as the message
/// body. version must be "1.0" and source "custom"; client-markdown is the only textType Chatbot renders.
/// </summary>
public sealed record ChatNotification(string Version, string Source, ChatContent Content, ChatMetadata Metadata)
{
    public const string SchemaVersion = "1.0";
    public const string CustomSource = "custom";
    public const string MarkdownTextType = "client-markdown";

    public static ChatNotification Create(ChatContent content, ChatMetadata metadata) => new(SchemaVersion, CustomSource, content, metadata);
}

public sealed record ChatContent(string TextType, string Title, string Description, IReadOnlyList<string> NextSteps);

/// <summary>threadId groups an alert and its follow-ups (replacement, resolution) in one chat thread.</summary>
public sealed record ChatMetadata(string ThreadId, string Summary, string EventType, IReadOnlyList<string> RelatedResources);
