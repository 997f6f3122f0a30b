using Amazon.Runtime;
using Microsoft.Extensions.DependencyInjection;
using Phoenix.Core.Drift;
using Phoenix.Core.Workflow;

namespace Phoenix.Aws.Tests;

public sealed class ServiceCollectionExtensionsTests
{
    [Fact]
    public void AddPhoenixAws_Settings_ResolvesWorkflowAndDriftPorts()
    {
        using var provider = new ServiceCollection()
            .AddPhoenixAws(
                new AwsClientSettings(Region: "eu-west-1", Credentials: new BasicAWSCredentials("AKIDEXAMPLE", "secret")),
                new PhoenixAwsOptions("phoenix"))
            .BuildServiceProvider();

        var workflow = provider.GetRequiredService<WorkflowPorts>();
        var drift = provider.GetRequiredService<DriftPorts>();

        Assert.Same(workflow.Locks, drift.Lock);
        Assert.Same(workflow.Topologies, drift.Topology);
        Assert.NotNull(provider.GetRequiredService<IConfigEvaluations>());
    }

    [Fact]
    public void AddPhoenixAws_NoTable_ThrowsNamingTheVariable()
    {
        var error = Assert.Throws<ArgumentException>(() => new ServiceCollection().AddPhoenixAws(new AwsClientSettings(), new PhoenixAwsOptions(" ")));

        Assert.Contains("PHOENIX_TABLE", error.Message, StringComparison.Ordinal);
    }
}
