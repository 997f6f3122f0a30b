using Amazon.Runtime;
using Phoenix.Aws;
using Phoenix.Aws.Adapters;
using Phoenix.Core.Drift;
using Phoenix.Core.Workflow;

namespace Phoenix.Lambda;

/// <summary>
/// The ports over AWS (Phoenix.Aws), configured from the Lambda environment: AWS_REGION and the role's credentials
/// as Lambda sets them, PHOENIX_TABLE, PHOENIX_TOPOLOGY_PREFIX, and AWS_ENDPOINT_URL when every service should go to
/// one endpoint (LocalStack, a test listener). Each client is created on its port's first call (<see cref="AwsPorts"/>)
/// and kept for the environment's life, so a handler pays only for the services it calls.
/// </summary>
public sealed class AwsPortsFactory : IPortsFactory, IDisposable
{
    private readonly Lazy<AwsPorts> _ports;

    public AwsPortsFactory(Func<string, string?> environment)
        : this(environment, settings =>
        {
            // The SDK's default chain answers first from these variables, which is how Lambda hands the function its
            // role's credentials; taking them directly skips building the rest of the chain (profiles, SSO, container,
            // instance metadata), a few milliseconds of every cold start.
            if (settings.Credentials is null
                && !string.IsNullOrEmpty(environment("AWS_ACCESS_KEY_ID"))
                && !string.IsNullOrEmpty(environment("AWS_SECRET_ACCESS_KEY")))
            {
                settings = settings with { Credentials = new EnvironmentVariablesAWSCredentials() };
            }

            // Region and credentials are resolved here, at init, as they were when every client was built up front:
            // a configuration error still ends the init (init/error) instead of failing the first invocation.
            var factory = new AwsClientFactory(settings);
            _ = factory.Region;
            _ = factory.Credentials;
            return AwsClients.From(factory);
        })
    {
    }

    /// <summary>Takes the clients from <paramref name="clients"/> (tests count what a handler creates).</summary>
    public AwsPortsFactory(Func<string, string?> environment, Func<AwsClientSettings, AwsClients> clients)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(clients);
        _ports = new Lazy<AwsPorts>(() =>
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
            return new AwsPorts(clients(settings), options, TimeProvider.System);
        });
    }

    public WorkflowPorts Workflow() => _ports.Value.Workflow;

    public DriftPorts Drift() => _ports.Value.Drift;

    public IConfigEvaluations ConfigEvaluations() => _ports.Value.ConfigEvaluations;

    public void Dispose()
    {
        if (_ports.IsValueCreated)
        {
            _ports.Value.Dispose();
        }
    }
}
