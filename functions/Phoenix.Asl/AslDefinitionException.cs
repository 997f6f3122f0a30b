namespace Phoenix.Asl;

/// <summary>A state machine definition that Step Functions would reject; every entry names the state and the field.</summary>
public sealed class AslDefinitionException : Exception
{
    public AslDefinitionException(IReadOnlyList<string> errors)
        : base(errors.Count == 1 ? errors[0] : $"{errors.Count} problems in the state machine definition: {string.Join("; ", errors)}")
    {
        Errors = errors;
    }

    public IReadOnlyList<string> Errors { get; }
}
