using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using Phoenix.Core.Ports;

namespace Phoenix.Aws.Adapters;

/// <summary>The installation's published values: SSM GetParameter, a missing parameter read as null.</summary>
public sealed class EnvironmentParametersAdapter(IAmazonSimpleSystemsManagement client) : IEnvironmentParameters
{
    public Task<string?> GetAsync(string name, CancellationToken cancellationToken) =>
        AwsCall.RunAsync<string?>($"GetParameter {name}", async () =>
        {
            try
            {
                var response = await client.GetParameterAsync(new GetParameterRequest { Name = name }, cancellationToken).ConfigureAwait(false);
                return response.Parameter?.Value;
            }
            catch (ParameterNotFoundException)
            {
                return null;
            }
        }, cancellationToken);
}
