namespace Phoenix.Asl.Intrinsics;

/// <summary>
/// An intrinsic function failed while it ran (wrong argument type, index out of range, a limit exceeded, bad
/// JSON or Base64 …). <see cref="ErrorName"/> is the ASL error the engine should fail the state with;
/// <see cref="Exception.Message"/> names the function and the offending value.
/// </summary>
/// <remarks>
/// AWS reports evaluation failures of payload templates as <c>States.Runtime</c> (README behaviour 1: runtime
/// failures surface as States.Runtime and are not caught). The recordings hold no failing intrinsic, so that is
/// the documented rule applied, not a recorded wording; a missing path argument is not this exception but the
/// <see cref="Paths.JsonPathException"/> raised by the engine's resolver.
/// </remarks>
public sealed class IntrinsicFunctionException : Exception
{
    /// <summary>The ASL error name the engine reports.</summary>
    public const string RuntimeError = "States.Runtime";

    public IntrinsicFunctionException(string function, string message)
        : base($"{function}: {message}")
    {
        Function = function;
    }

    /// <summary>The failing function, e.g. <c>States.ArrayGetItem</c>.</summary>
    public string Function { get; }

    /// <summary>The ASL error name to fail the state with.</summary>
    public string ErrorName { get; } = RuntimeError;
}

/// <summary>
/// An intrinsic expression is malformed: bad syntax, an unknown function, the wrong number of arguments, an open
/// escape, or more than 10 calls in one field. Raised when parsing, so a definition can be rejected before it runs.
/// </summary>
public sealed class IntrinsicSyntaxException : FormatException
{
    public IntrinsicSyntaxException(string expression, string reason)
        : base($"Invalid intrinsic function call '{expression}': {reason}")
    {
        Expression = expression;
        Reason = reason;
    }

    public string Expression { get; }

    public string Reason { get; }
}
