namespace Phoenix.Core.Ports;

/// <summary>
/// Reads the values a Phoenix installation publishes about itself (on AWS: SSM parameters under
/// <c>/phoenix/environment/</c>, written by the PhoenixPipeline stack).
/// </summary>
public interface IEnvironmentParameters
{
    /// <summary>The parameter's value, or null when it does not exist.</summary>
    Task<string?> GetAsync(string name, CancellationToken cancellationToken);
}
