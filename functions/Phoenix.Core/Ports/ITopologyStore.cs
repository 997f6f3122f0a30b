using Phoenix.Core.Domain;

namespace Phoenix.Core.Ports;

/// <summary>
/// An application's parameters (on AWS: SSM Parameter Store, named by <see cref="FleetConventions"/>): its topology and
/// the image each colour runs.
/// </summary>
public interface ITopologyStore
{
    /// <summary>Null when the application is unknown.</summary>
    Task<FleetTopology?> GetAsync(string application, CancellationToken cancellationToken);

    /// <summary>
    /// Writes the topology of an application that has none (on AWS: PutParameter without Overwrite). False, changing
    /// nothing, when the application already has one: an existing topology is never replaced.
    /// </summary>
    Task<bool> CreateAsync(FleetTopology topology, CancellationToken cancellationToken);

    /// <summary>
    /// Records <paramref name="imageId"/> as the image <paramref name="colour"/> runs (on AWS: the
    /// <see cref="FleetConventions.ImageParameter"/>, data type aws:ec2:image, which the colour's launch template resolves
    /// at launch). Idempotent: false, writing nothing, when it already holds that image.
    /// </summary>
    Task<bool> PutImageAsync(string application, Colour colour, string imageId, CancellationToken cancellationToken);

    /// <summary>The image last recorded for <paramref name="colour"/>, or null when none is.</summary>
    Task<string?> GetImageAsync(string application, Colour colour, CancellationToken cancellationToken);
}
