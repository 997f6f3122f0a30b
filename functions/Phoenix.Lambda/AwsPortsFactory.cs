using Microsoft.Extensions.DependencyInjection;
using Phoenix.Aws;
using Phoenix.Aws.Adapters;
using Phoenix.Core.Drift;
using Phoenix.Core.Workflow;

namespace Phoenix.Lambda;

/// <summary>
/// The ports over AWS (Phoenix.Aws), configured from the Lambda environment: AWS_REGION and the role's credentials
/// as Lambda sets them, PHOENIX_TABLE, PHOENIX_TOPOLOGY_PREFIX, and AWS_ENDPOINT_URL when every service should go to
/// one endpoint (LocalStack, a test listener). Clients are created on first use and kept for the environment's life.
/// </summary>
public sealed class AwsPortsFactory : IPortsFactory, IDisposable
{
    private readonly Lazy<ServiceProvider> _services;

    public AwsPortsFactory(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        _services = new Lazy<ServiceProvider>(() =>
        {
            var table = environment("PHOENIX_TABLE");
            if (string.IsNullOrWhiteSpace(table))
            {
                throw new ArgumentException("PHOENIX_TABLE is not set: the handlers need the DynamoDB table name.");
            }

            // Region, AWS_ENDPOINT_URL_<SERVICE> before AWS_ENDPOINT_URL, AWS_IGNORE_CONFIGURED_ENDPOINT_URLS, defaults
            // mode and FIPS all resolve from this environment exactly as in the CLI (AwsClientSettings).
            var settings = new AwsClientSettings(Environment: environment);
            var options = new PhoenixAwsOptions(
                table,
                environment("PHOENIX_TOPOLOGY_PREFIX") is { Length: > 0 } prefix ? prefix : ParameterStoreAdapter.DefaultPrefix);
            return new ServiceCollection().AddPhoenixAws(settings, options).BuildServiceProvider();
        });
    }

    public WorkflowPorts Workflow() => _services.Value.GetRequiredService<WorkflowPorts>();

    public DriftPorts Drift() => _services.Value.GetRequiredService<DriftPorts>();

    public IConfigEvaluations ConfigEvaluations() => _services.Value.GetRequiredService<IConfigEvaluations>();

    public void Dispose()
    {
        if (_services.IsValueCreated)
        {
            _services.Value.Dispose();
        }
    }
}
