using Microsoft.Extensions.DependencyInjection;
using Phoenix.Aws.Adapters;
using Phoenix.Core.Drift;
using Phoenix.Core.Workflow;

namespace Phoenix.Aws;

/// <summary>Table and parameter names the adapters need (Lambda env PHOENIX_TABLE and PHOENIX_TOPOLOGY_PREFIX).</summary>
public sealed record PhoenixAwsOptions(string TableName, string TopologyPrefix = ParameterStoreAdapter.DefaultPrefix);

public static class ServiceCollectionExtensions
{
    /// <summary>
    /// Registers every Core port over AWS, plus <see cref="WorkflowPorts"/> and <see cref="DriftPorts"/>, all from one
    /// <see cref="AwsPorts"/> (the composition the Lambda host uses), so a port's client is created on its first call.
    /// Every registration is an explicit factory (no reflection-based activation), so it stays trim- and AOT-safe.
    /// </summary>
    public static IServiceCollection AddPhoenixAws(this IServiceCollection services, AwsClientSettings settings, PhoenixAwsOptions options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.TableName))
        {
            throw new ArgumentException("The DynamoDB table name (PHOENIX_TABLE) is required.", nameof(options));
        }

        var factory = new AwsClientFactory(settings);
        services.AddSingleton(factory);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new AwsPorts(AwsClients.From(factory), options, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => sp.GetRequiredService<AwsPorts>().Workflow);
        services.AddSingleton(sp => sp.GetRequiredService<AwsPorts>().Drift);
        services.AddSingleton(sp => sp.GetRequiredService<AwsPorts>().ConfigEvaluations);
        services.AddSingleton(sp => sp.GetRequiredService<WorkflowPorts>().Topologies);
        services.AddSingleton(sp => sp.GetRequiredService<WorkflowPorts>().AutoScaling);
        services.AddSingleton(sp => sp.GetRequiredService<WorkflowPorts>().Ec2);
        services.AddSingleton(sp => sp.GetRequiredService<WorkflowPorts>().LoadBalancer);
        services.AddSingleton(sp => sp.GetRequiredService<WorkflowPorts>().Alarms);
        services.AddSingleton(sp => sp.GetRequiredService<WorkflowPorts>().Baker);
        services.AddSingleton(sp => sp.GetRequiredService<WorkflowPorts>().Locks);
        services.AddSingleton(sp => sp.GetRequiredService<WorkflowPorts>().Ledger);
        services.AddSingleton(sp => sp.GetRequiredService<WorkflowPorts>().Notifier);
        services.AddSingleton(sp => sp.GetRequiredService<DriftPorts>().Dedupe);
        services.AddSingleton(sp => sp.GetRequiredService<DriftPorts>().Policies);
        return services;
    }
}
