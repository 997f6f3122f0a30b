using Amazon.DynamoDBv2;
using Amazon.EC2;
using Amazon.SimpleSystemsManagement;
using Microsoft.Extensions.DependencyInjection;
using Phoenix.Aws.Adapters;
using Phoenix.Core.Drift;
using Phoenix.Core.Ports;
using Phoenix.Core.Workflow;

namespace Phoenix.Aws;

/// <summary>Table and parameter names the adapters need (Lambda env PHOENIX_TABLE and PHOENIX_TOPOLOGY_PREFIX).</summary>
public sealed record PhoenixAwsOptions(string TableName, string TopologyPrefix = ParameterStoreAdapter.DefaultPrefix);

public static class ServiceCollectionExtensions
{
    /// <summary>
    /// Registers every Core port over AWS, plus <see cref="WorkflowPorts"/> and <see cref="DriftPorts"/>. Every
    /// registration is an explicit factory (no reflection-based activation), so it stays trim- and AOT-safe.
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
        services.AddSingleton(_ => factory.AutoScaling());
        services.AddSingleton(_ => factory.ElasticLoadBalancingV2());
        services.AddSingleton(_ => factory.CloudWatch());
        services.AddSingleton(_ => factory.SimpleNotificationService());
        services.AddSingleton(_ => factory.StepFunctions());
        services.AddSingleton(_ => factory.ConfigService());
        services.AddSingleton(_ => factory.CodeBuild());
        services.AddSingleton<IAmazonEC2>(_ => factory.Ec2());
        services.AddSingleton<IAmazonDynamoDB>(_ => factory.DynamoDb());
        services.AddSingleton<IAmazonSimpleSystemsManagement>(_ => factory.SimpleSystemsManagement());

        services.AddSingleton(sp => new ParameterStoreAdapter(sp.GetRequiredService<IAmazonSimpleSystemsManagement>(), options.TopologyPrefix));
        services.AddSingleton<ITopologyStore>(sp => sp.GetRequiredService<ParameterStoreAdapter>());
        services.AddSingleton<IDriftPolicySource>(sp => sp.GetRequiredService<ParameterStoreAdapter>());
        services.AddSingleton<IAutoScaling>(sp => new AutoScalingAdapter(sp.GetRequiredService<AutoScaling.AmazonAutoScalingClient>()));
        services.AddSingleton<IEc2>(sp => new Ec2Adapter(sp.GetRequiredService<IAmazonEC2>()));
        services.AddSingleton<ILoadBalancer>(sp => new LoadBalancerAdapter(sp.GetRequiredService<ElasticLoadBalancingV2.AmazonElasticLoadBalancingV2Client>()));
        services.AddSingleton<IAlarms>(sp => new AlarmsAdapter(sp.GetRequiredService<CloudWatch.AmazonCloudWatchClient>()));
        services.AddSingleton<IImageBaker>(sp => new ImageBakerAdapter(sp.GetRequiredService<CodeBuild.AmazonCodeBuildClient>()));
        services.AddSingleton<INotifier>(sp => new NotifierAdapter(sp.GetRequiredService<SimpleNotificationService.AmazonSimpleNotificationServiceClient>()));
        services.AddSingleton<IConfigEvaluations>(sp => new ConfigEvaluationsAdapter(sp.GetRequiredService<ConfigService.AmazonConfigServiceClient>()));
        services.AddSingleton<IDeploymentLock>(sp =>
            new DeploymentLockAdapter(sp.GetRequiredService<IAmazonDynamoDB>(), options.TableName, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IDeploymentLedger>(sp => new DeploymentLedgerAdapter(sp.GetRequiredService<IAmazonDynamoDB>(), options.TableName));
        services.AddSingleton<IDriftDedupeStore>(sp => new DriftDedupeAdapter(sp.GetRequiredService<IAmazonDynamoDB>(), options.TableName));

        services.AddSingleton(sp => new WorkflowPorts(
            sp.GetRequiredService<ITopologyStore>(),
            sp.GetRequiredService<IAutoScaling>(),
            sp.GetRequiredService<IEc2>(),
            sp.GetRequiredService<ILoadBalancer>(),
            sp.GetRequiredService<IAlarms>(),
            sp.GetRequiredService<IImageBaker>(),
            sp.GetRequiredService<IDeploymentLock>(),
            sp.GetRequiredService<IDeploymentLedger>(),
            sp.GetRequiredService<INotifier>()));
        services.AddSingleton(sp => new DriftPorts(
            sp.GetRequiredService<IAutoScaling>(),
            sp.GetRequiredService<IEc2>(),
            sp.GetRequiredService<INotifier>(),
            sp.GetRequiredService<IDeploymentLock>(),
            sp.GetRequiredService<IDeploymentLedger>(),
            sp.GetRequiredService<ITopologyStore>(),
            sp.GetRequiredService<IDriftDedupeStore>(),
            sp.GetRequiredService<IDriftPolicySource>()));
        return services;
    }
}
