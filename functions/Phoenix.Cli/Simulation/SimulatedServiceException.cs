namespace Phoenix.Cli.Simulation;

/// <summary>
/// A non-retryable AWS error answer (ValidationError, InvalidAMIID.NotFound, ListenerNotFound, …) from the simulated
/// region. <see cref="ErrorCode"/> is the code the real service returns for the same request.
/// </summary>
public sealed class SimulatedServiceException : Exception
{
    public SimulatedServiceException(string errorCode, string message)
        : base($"{errorCode}: {message}")
    {
        ErrorCode = errorCode;
    }

    public string ErrorCode { get; }
}
