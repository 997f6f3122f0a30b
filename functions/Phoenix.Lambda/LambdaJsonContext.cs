using System.Text.Json.Serialization;
using Phoenix.Lambda.Events;
using Phoenix.Lambda.Runtime;

namespace Phoenix.Lambda;

/// <summary>Source-generated metadata for every type the host (de)serializes: the AOT binary has no reflection.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ErrorReport))]
[JsonSerializable(typeof(SqsEvent))]
[JsonSerializable(typeof(SqsBatchResponse))]
public sealed partial class LambdaJsonContext : JsonSerializerContext;
