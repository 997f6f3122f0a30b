using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using Phoenix.Core.Domain;
using Phoenix.Core.Drift;
using Phoenix.Core.Ports;
using Phoenix.Core.Serialization;

namespace Phoenix.Aws.Adapters;

/// <summary>
/// Per-application settings in SSM Parameter Store under one prefix (env PHOENIX_TOPOLOGY_PREFIX, default
/// <c>/phoenix/apps/</c>), named by <see cref="FleetConventions"/>: the topology, the drift policy and each colour's image.
/// </summary>
public sealed class ParameterStoreAdapter(IAmazonSimpleSystemsManagement client, string prefix = ParameterStoreAdapter.DefaultPrefix)
    : ITopologyStore, IDriftPolicySource
{
    public const string DefaultPrefix = FleetConventions.ParameterPrefix;

    public async Task<FleetTopology?> GetAsync(string application, CancellationToken cancellationToken)
    {
        var json = await GetParameterAsync(FleetConventions.TopologyParameter(application, prefix), cancellationToken).ConfigureAwait(false);
        return json is null ? null : System.Text.Json.JsonSerializer.Deserialize(json, CoreJsonContext.Default.FleetTopology);
    }

    public Task<bool> CreateAsync(FleetTopology topology, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(topology);
        var name = FleetConventions.TopologyParameter(topology.Application, prefix);
        var json = System.Text.Json.JsonSerializer.Serialize(topology, CoreJsonContext.Default.FleetTopology);
        return AwsCall.RunAsync($"PutParameter {name}", async () =>
        {
            try
            {
                // Without Overwrite SSM refuses an existing name (ParameterAlreadyExists): two writers cannot both win.
                await client.PutParameterAsync(new PutParameterRequest { Name = name, Type = ParameterType.String, Value = json, Overwrite = false }, cancellationToken)
                    .ConfigureAwait(false);
                return true;
            }
            catch (ParameterAlreadyExistsException)
            {
                return false;
            }
        }, cancellationToken);
    }

    async Task<DriftPolicy?> IDriftPolicySource.GetAsync(string application, CancellationToken cancellationToken)
    {
        var json = await GetParameterAsync(FleetConventions.DriftPolicyParameter(application, prefix), cancellationToken).ConfigureAwait(false);
        return json is null ? null : DriftPolicy.Parse(json);
    }

    public Task<string?> GetImageAsync(string application, Colour colour, CancellationToken cancellationToken) =>
        GetParameterAsync(FleetConventions.ImageParameter(application, colour, prefix), cancellationToken);

    /// <summary>
    /// Read first, so a retry (or a deployment of the image the colour already runs) writes no new parameter version.
    /// Data type aws:ec2:image is what a launch template's <c>resolve:ssm:</c> needs; SSM checks the value is an image.
    /// </summary>
    public async Task<bool> PutImageAsync(string application, Colour colour, string imageId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(imageId);
        var name = FleetConventions.ImageParameter(application, colour, prefix);
        if (await GetParameterAsync(name, cancellationToken).ConfigureAwait(false) == imageId)
        {
            return false;
        }

        return await AwsCall.RunAsync($"PutParameter {name}", async () =>
        {
            await client.PutParameterAsync(
                new PutParameterRequest
                {
                    Name = name,
                    Type = ParameterType.String,
                    DataType = "aws:ec2:image",
                    Value = imageId,
                    Overwrite = true,
                    Description = $"The image Phoenix last deployed to {application} {colour.ToWire()} (its launch template resolves it at launch).",
                },
                cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken).ConfigureAwait(false);
    }

    private Task<string?> GetParameterAsync(string name, CancellationToken cancellationToken)
    {
        return AwsCall.RunAsync<string?>($"GetParameter {name}", async () =>
        {
            try
            {
                var response = await client.GetParameterAsync(new GetParameterRequest { Name = name, WithDecryption = true }, cancellationToken).ConfigureAwait(false);
                return response.Parameter?.Value;
            }
            catch (ParameterNotFoundException)
            {
                return null;
            }
        }, cancellationToken);
    }
}
