using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Phoenix.Core.Notifications;

/// <summary>
/// An AWS Chatbot (Amazon Q Developer in chat applications) custom notification, published to SNS as the message
/// body. version must be "1.0" and source "custom"; client-markdown is the only textType Chatbot renders.
/// Deployment results, approval requests and drift alerts all use this one shape.
/// </summary>
public sealed record ChatNotification(string Version, string Source, ChatContent Content, ChatMetadata Metadata)
{
    public const string SchemaVersion = "1.0";
    public const string CustomSource = "custom";
    public const string MarkdownTextType = "client-markdown";

    public static ChatNotification Create(ChatContent content, ChatMetadata metadata) => new(SchemaVersion, CustomSource, content, metadata);

    public string ToJson() => JsonSerializer.Serialize(this, ChatJsonContext.Relaxed.ChatNotification);
}

public sealed record ChatContent(string TextType, string Title, string Description, IReadOnlyList<string> NextSteps);

/// <summary>threadId groups a message and its follow-ups (replacement, resolution, result) in one chat thread.</summary>
public sealed record ChatMetadata(string ThreadId, string Summary, string EventType, IReadOnlyList<string> RelatedResources);

/// <summary>Source-generated (AOT-safe) serialization of chat notifications.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ChatNotification))]
public sealed partial class ChatJsonContext : JsonSerializerContext
{
    /// <summary>Relaxed escaping keeps &lt;, &gt;, &amp; and quotes in markdown readable in logs; Chatbot parses either.</summary>
    public static ChatJsonContext Relaxed { get; } = new(new JsonSerializerOptions
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    });
}
