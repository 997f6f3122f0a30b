namespace Phoenix.Asl;

/// <summary>A state machine definition that Step Functions would reject; every entry names the state and the field.</summary>
public sealed class AslDefinitionException : Exception
{
    public AslDefinitionException(IReadOnlyList<string> errors)
        : this([.. errors.Select(e => new AslDiagnostic(AslDiagnostic.Error, AslDiagnosticCodes.SchemaValidationFailed, e, "/"))])
    {
    }

    public AslDefinitionException(IReadOnlyList<AslDiagnostic> diagnostics)
        : base(diagnostics.Count == 1
            ? diagnostics[0].Message
            : $"{diagnostics.Count} problems in the state machine definition: {string.Join("; ", diagnostics.Select(d => d.Message))}")
    {
        Diagnostics = diagnostics;
        Errors = [.. diagnostics.Select(d => d.Message)];
    }

    /// <summary>The messages of <see cref="Diagnostics"/>.</summary>
    public IReadOnlyList<string> Errors { get; }

    /// <summary>Every problem, with its code and location.</summary>
    public IReadOnlyList<AslDiagnostic> Diagnostics { get; }
}
