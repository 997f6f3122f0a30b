namespace Phoenix.Asl;

/// <summary>
/// One problem in a definition, shaped like Step Functions' ValidateStateMachineDefinition diagnostics
/// (https://docs.aws.amazon.com/step-functions/latest/apireference/API_ValidateStateMachineDefinitionDiagnostic.html):
/// <see cref="Severity"/> ERROR or WARNING, one of AWS's codes, a message that names the state and field, and the
/// location as a JSON Pointer into the definition (for example <c>/States/FailState/ErrorPath</c>).
/// </summary>
public sealed record AslDiagnostic(string Severity, string Code, string Message, string Location)
{
    public const string Error = "ERROR";

    public const string Warning = "WARNING";
}

/// <summary>The diagnostic codes Phoenix.Asl reports, as AWS names them.</summary>
public static class AslDiagnosticCodes
{
    public const string InvalidJson = "INVALID_JSON_DESCRIPTION";
    public const string MissingDescription = "MISSING_DESCRIPTION";
    public const string SchemaValidationFailed = "SCHEMA_VALIDATION_FAILED";
    public const string DuplicateStateName = "DUPLICATE_STATE_NAME";
    public const string InvalidStateName = "INVALID_STATE_NAME";
    public const string MissingTransitionTarget = "MISSING_TRANSITION_TARGET";
}
