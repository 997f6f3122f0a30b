using Amazon.DynamoDBv2;
using Amazon.EC2;
using Amazon.SimpleSystemsManagement;
using Phoenix.Aws;
using Phoenix.Aws.AutoScaling;
using Phoenix.Aws.CloudWatch;
using Phoenix.Aws.CodeBuild;
using Phoenix.Aws.ConfigService;
using Phoenix.Aws.ElasticLoadBalancingV2;
using Phoenix.Aws.SimpleNotificationService;
using Phoenix.Aws.StepFunctions;

namespace Phoenix.Emulator.Tests.Support;

/// <summary>Phoenix's own clients (Phoenix.Aws), each pointed at the emulator, created on first use and disposed together.</summary>
public sealed class Clients(MotoServer moto) : IDisposable
{
    private readonly AwsClientFactory _factory = moto.Clients();
    private readonly List<IDisposable> _created = [];

    public AmazonAutoScalingClient AutoScaling => Get(ref _autoScaling, _factory.AutoScaling);

    public AmazonElasticLoadBalancingV2Client LoadBalancing => Get(ref _loadBalancing, _factory.ElasticLoadBalancingV2);

    public AmazonCloudWatchClient CloudWatch => Get(ref _cloudWatch, _factory.CloudWatch);

    public AmazonSimpleNotificationServiceClient Sns => Get(ref _sns, _factory.SimpleNotificationService);

    public AmazonStepFunctionsClient StepFunctions => Get(ref _stepFunctions, _factory.StepFunctions);

    public AmazonConfigServiceClient Config => Get(ref _config, _factory.ConfigService);

    public AmazonCodeBuildClient CodeBuild => Get(ref _codeBuild, _factory.CodeBuild);

    public AmazonEC2Client Ec2 => Get(ref _ec2, _factory.Ec2);

    public AmazonDynamoDBClient DynamoDb => Get(ref _dynamoDb, _factory.DynamoDb);

    public AmazonSimpleSystemsManagementClient Ssm => Get(ref _ssm, _factory.SimpleSystemsManagement);

    private AmazonAutoScalingClient? _autoScaling;
    private AmazonElasticLoadBalancingV2Client? _loadBalancing;
    private AmazonCloudWatchClient? _cloudWatch;
    private AmazonSimpleNotificationServiceClient? _sns;
    private AmazonStepFunctionsClient? _stepFunctions;
    private AmazonConfigServiceClient? _config;
    private AmazonCodeBuildClient? _codeBuild;
    private AmazonEC2Client? _ec2;
    private AmazonDynamoDBClient? _dynamoDb;
    private AmazonSimpleSystemsManagementClient? _ssm;

    public void Dispose()
    {
        foreach (var client in _created)
        {
            client.Dispose();
        }
    }

    private T Get<T>(ref T? field, Func<T> create)
        where T : class, IDisposable
    {
        if (field is null)
        {
            field = create();
            _created.Add(field);
        }

        return field;
    }
}
