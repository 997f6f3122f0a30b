using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using Phoenix.Core.Domain;
using Phoenix.Core.Drift;
using Phoenix.Core.Ports;
using Phoenix.Core.Serialization;

namespace Phoenix.Aws.Adapters;

/// <summary>
/// Per-application settings in SSM Parameter Store under one prefix (env PHOENIX_TOPOLOGY_PREFIX, default
/// <c>/phoenix/apps/</c>): <c>{prefix}{application}/topology</c> and <c>{prefix}{application}/drift-policy</c>.
/// </summary>
public sealed class ParameterStoreAdapter(IAmazonSimpleSystemsManagement client, string prefix = ParameterStoreAdapter.DefaultPrefix)
    : ITopologyStore, IDriftPolicySource
{
    public const string DefaultPrefix = "/phoenix/apps/";

    public async Task<FleetTopology?> GetAsync(string application, CancellationToken cancellationToken)
    {
        var json = await GetParameterAsync(application, "topology", cancellationToken).ConfigureAwait(false);
        return json is null ? null : System.Text.Json.JsonSerializer.Deserialize(json, CoreJsonContext.Default.FleetTopology);
    }

    public Task<bool> CreateAsync(FleetTopology topology, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(topology);
        var name = $"{prefix.TrimEnd('/')}/{topology.Application}/topology";
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
        var json = await GetParameterAsync(application, "drift-policy", cancellationToken).ConfigureAwait(false);
        return json is null ? null : DriftPolicy.Parse(json);
    }

    private Task<string?> GetParameterAsync(string application, string leaf, CancellationToken cancellationToken)
    {
        var name = $"{prefix.TrimEnd('/')}/{application}/{leaf}";
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
