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
        var (definition, diagnostics) = Read(json);
        return definition ?? throw new AslDefinitionException(diagnostics);
    }

    /// <summary>Every problem in the definition at once (none: it would run), as <c>phoenix asl validate</c> reports them.</summary>
    public static IReadOnlyList<AslDiagnostic> Validate(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return Read(json).Diagnostics;
    }

    private static (StateMachineDefinition? Definition, IReadOnlyList<AslDiagnostic> Diagnostics) Read(string json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return (null, [new AslDiagnostic(AslDiagnostic.Error, AslDiagnosticCodes.MissingDescription, "The definition is empty.", "/")]);
        }

        if (!StrictJson.TryParse(json, out var root, out var problems))
        {
            return (null, [.. problems.Select(p => new AslDiagnostic(
                AslDiagnostic.Error,
                IsStateName(p) ? AslDiagnosticCodes.DuplicateStateName : AslDiagnosticCodes.InvalidJson,
                p.DuplicateKey is null ? $"The definition is {p.Message}." : $"The definition has a {p.Message}.",
                StrictJson.Display(p.Location)))]);
        }

        var (machine, timeout, diagnostics) = DefinitionParser.Parse(root);
        return diagnostics.Count > 0 ? (null, diagnostics) : (new StateMachineDefinition((JsonObject)root!, machine, timeout), []);
    }

    // A key repeated directly under a States object names the same state twice.
    private static bool IsStateName(JsonProblem problem)
    {
        var parent = problem.Location[..Math.Max(0, problem.Location.LastIndexOf('/'))];
        return problem.DuplicateKey is not null && parent.EndsWith("/States", StringComparison.Ordinal);
    }
}
