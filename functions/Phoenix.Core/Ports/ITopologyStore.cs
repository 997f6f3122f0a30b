using Phoenix.Core.Domain;

namespace Phoenix.Core.Ports;

/// <summary>Reads an application's topology (on AWS: SSM parameter <c>/phoenix/apps/{application}/topology</c>).</summary>
public interface ITopologyStore
{
    /// <summary>Null when the application is unknown.</summary>
    Task<FleetTopology?> GetAsync(string application, CancellationToken cancellationToken);

    /// <summary>
    /// Writes the topology of an application that has none (on AWS: PutParameter without Overwrite). False, changing
    /// nothing, when the application already has one: an existing topology is never replaced.
    /// </summary>
    Task<bool> CreateAsync(FleetTopology topology, CancellationToken cancellationToken);
}
