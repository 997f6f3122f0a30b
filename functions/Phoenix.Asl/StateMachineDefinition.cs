using System.Text.Json;
using System.Text.Json.Nodes;
using Phoenix.Asl.Model;

namespace Phoenix.Asl;

/// <summary>A parsed and validated Amazon States Language definition (JSONPath query language).</summary>
public sealed class StateMachineDefinition
{
    private StateMachineDefinition(JsonObject json, StatesBlock machine, int? timeoutSeconds)
    {
        Json = json;
        Machine = machine;
        TimeoutSeconds = timeoutSeconds;
    }

    /// <summary>The definition as parsed (do not modify).</summary>
    public JsonObject Json { get; }

    public string StartAt => Machine.StartAt;

    /// <summary>Top-level state names in definition order.</summary>
    public IReadOnlyCollection<string> StateNames => [.. Machine.States.Keys];

    /// <summary>The state machine's own TimeoutSeconds, when set.</summary>
    public int? TimeoutSeconds { get; }

    internal StatesBlock Machine { get; }

    /// <summary>Parses and validates; every problem is reported at once in <see cref="AslDefinitionException.Errors"/>.</summary>
    public static StateMachineDefinition Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { AllowTrailingCommas = false });
        }
        catch (JsonException e)
        {
            throw new AslDefinitionException([$"The definition is not valid JSON: {e.Message}"]);
        }

        var (machine, timeout, errors) = DefinitionParser.Parse(root);
        if (errors.Count > 0)
        {
            throw new AslDefinitionException(errors);
        }

        return new StateMachineDefinition((JsonObject)root!, machine, timeout);
    }
}
