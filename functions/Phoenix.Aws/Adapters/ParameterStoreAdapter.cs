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
