using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Phoenix.Core.Notifications;

namespace Phoenix.Core.Drift;

/// <summary>Source-generated (AOT-safe) serialization for every drift wire shape.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(EventBridgeEvent))]
[JsonSerializable(typeof(ConfigComplianceChangeDetail))]
[JsonSerializable(typeof(StackDriftDetail))]
[JsonSerializable(typeof(ExecutionStatusChangeDetail))]
[JsonSerializable(typeof(DeploymentInputHead))]
[JsonSerializable(typeof(ConfigRuleInvocation))]
[JsonSerializable(typeof(ConfigInvokingEvent))]
[JsonSerializable(typeof(ImmutableInstanceParameters))]
[JsonSerializable(typeof(DriftPolicy))]
[JsonSerializable(typeof(ChatNotification))]
[JsonSerializable(typeof(SqsEvent))]
[JsonSerializable(typeof(SqsBatchResponse))]
[JsonSerializable(typeof(LockCleanupResult))]
[JsonSerializable(typeof(IReadOnlyList<ConfigEvaluation>))]
public sealed partial class DriftJsonContext : JsonSerializerContext
{
    /// <summary>For what people read (chat markdown): relaxed escaping keeps &lt;, &gt;, &amp; and quotes readable
    /// instead of \u003C-style escapes. Chatbot parses the JSON, so both are valid; this one is legible in logs.</summary>
    public static DriftJsonContext Relaxed { get; } = new(new JsonSerializerOptions
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    });
}
