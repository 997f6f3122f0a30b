using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Amazon.Runtime;
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using Phoenix.Emulator.Tests.Provisioning;
using Phoenix.Emulator.Tests.Support;
using Xunit.Abstractions;

namespace Phoenix.Emulator.Tests;

/// <summary>
/// <c>phoenix doctor</c> against the emulator: a deployment environment as the stacks leave it (the pipeline stack's outputs
/// and /phoenix/environment parameters, the table, the state machine, a topology, a running Config recorder, encrypted topics
/// with a subscriber), then the same with things broken. moto cannot create the CDK templates themselves, so the stack here
/// is a stand-in whose outputs name resources created directly; everything doctor reads, moto serves.
/// </summary>
public sealed class DoctorTests(MotoServer moto, ITestOutputHelper output) : EmulatorTest(moto), IDisposable
{
    private const string Table = "phoenix-state";

    private const string Topology =
        "{\"application\":\"web\",\"blue\":{\"autoScalingGroupName\":\"phoenix-web-blue\",\"targetGroupArn\":\"arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/blue/1\","
        + "\"launchTemplateId\":\"lt-0123456789abcdef0\"},\"green\":{\"autoScalingGroupName\":\"phoenix-web-green\",\"targetGroupArn\":\"arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/green/2\","
        + "\"launchTemplateId\":\"lt-0123456789abcdef1\"},\"listenerArn\":\"arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/web/1/2\",\"alarmNames\":[]}";

    private readonly List<IDisposable> _owned = [];
    private string _stateMachine = string.Empty;
    private ChatChannel? _deploy;
    private ChatChannel? _drift;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        using (var dynamo = Moto.Clients().DynamoDb())
        {
            await StateTable.CreateAsync(dynamo, Table);
        }

        _stateMachine = await StateMachines.CreateAsync(Moto, "phoenix-deploy", StateMachines.Passes);

        // AWS Chatbot's view of each topic: an SQS queue subscribed (SNS confirms a same-account queue at once).
        _deploy = Own(await ChatChannel.CreateAsync(Moto, "phoenix-deployments", "chat-deployments"));
        _drift = Own(await ChatChannel.CreateAsync(Moto, "phoenix-drift", "chat-drift"));
        using var sns = new TopicAttributesProvisioner(Moto);
        foreach (var topic in new[] { _deploy.TopicArn, _drift.TopicArn })
        {
            await sns.SetTopicAttributesAsync(new SetTopicAttributesRequest { TopicArn = topic, AttributeName = "KmsMasterKeyId", AttributeValue = "alias/phoenix-notifications" });
        }

        var values = new Dictionary<string, string>
        {
            ["StateMachineArn"] = _stateMachine,
            ["TableName"] = Table,
            ["DeployTopicArn"] = _deploy.TopicArn,
            ["DriftTopicArn"] = _drift.TopicArn,
        };
        using var ssm = Moto.Clients().SimpleSystemsManagement();
        foreach (var value in Core.Discovery.PublishedEnvironment.All)
        {
            await ssm.PutParameterAsync(new PutParameterRequest { Name = value.ParameterName, Value = values[value.Output], Type = ParameterType.String });
        }

        await ssm.PutParameterAsync(new PutParameterRequest { Name = "/phoenix/apps/web/topology", Value = Topology, Type = ParameterType.String });

        using (var cloudFormation = new CloudFormationProvisioner(Moto))
        {
            var template = new JsonObject
            {
                ["Resources"] = new JsonObject { ["Handle"] = new JsonObject { ["Type"] = "AWS::CloudFormation::WaitConditionHandle" } },
                ["Outputs"] = new JsonObject(values.Select(v => KeyValuePair.Create(v.Key, (JsonNode?)new JsonObject { ["Value"] = v.Value }))),
            };
            await cloudFormation.CreateStackAsync(new CreateStackRequest { StackName = "PhoenixPipeline", TemplateBody = template.ToJsonString() });
        }

        using var config = new ConfigProvisioner(Moto);
        await config.PutConfigurationRecorderAsync(new PutConfigurationRecorderRequest
        {
            ConfigurationRecorder = new ConfigurationRecorder { Name = "default", RoleArn = $"arn:aws:iam::{MotoServer.Account}:role/config", RecordingGroup = new RecordingGroup { AllSupported = true } },
        });
        await config.PutDeliveryChannelAsync(new PutDeliveryChannelRequest { DeliveryChannel = new DeliveryChannel { Name = "default", S3BucketName = "config-bucket" } });
        await config.StartConfigurationRecorderAsync(new ConfigurationRecorderNameRequest { ConfigurationRecorderName = "default" });
    }

    public void Dispose()
    {
        foreach (var owned in _owned)
        {
            owned.Dispose();
        }
    }

    [EmulatorFact]
    public async Task Doctor_HealthyEnvironment_EveryCheckOkExitZero()
    {
        using var environment = Environment(table: Table);

        var (exit, text, error) = await CliRunner.RunAsync(Moto, output, "doctor", "--app", "web");

        Assert.Equal((0, string.Empty), (exit, error));
        var lines = text.TrimEnd('\n').Split('\n');
        Assert.Equal($"Checking region us-east-1 as arn:aws:sts::{MotoServer.Account}:user/moto.", lines[0]);
        Assert.All(lines[1..^1], l => Assert.StartsWith("ok ", l, StringComparison.Ordinal));
        Assert.Equal(
            ["stack", "parameters", "variables", "table", "state-machine", "topology", "config-recorder", "deploy-topic", "drift-topic"],
            lines[1..^1].Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]));
        Assert.Equal("ok       topology         web (blue phoenix-web-blue, green phoenix-web-green).", lines[6]);
        Assert.Equal(
            $"ok       deploy-topic     {_deploy!.TopicArn}: encrypted (alias/phoenix-notifications), 1 confirmed subscription (sqs).", lines[8]);
        Assert.Equal("No problems found in us-east-1.", lines[^1]);
    }

    [EmulatorFact]
    public async Task Doctor_RecorderStoppedTopicUnencryptedTableVariableUnset_ExitOneNamingEachAndTheDiscoveredTableAsInformation()
    {
        using (var config = new ConfigProvisioner(Moto))
        {
            await config.StopConfigurationRecorderAsync(new ConfigurationRecorderNameRequest { ConfigurationRecorderName = "default" });
        }

        using (var sns = new TopicAttributesProvisioner(Moto))
        {
            // An empty KmsMasterKeyId turns server-side encryption off (SNS SetTopicAttributes).
            await sns.SetTopicAttributesAsync(new SetTopicAttributesRequest { TopicArn = _drift!.TopicArn, AttributeName = "KmsMasterKeyId", AttributeValue = string.Empty });
        }

        using var environment = Environment(table: null);

        var (exit, text, error) = await CliRunner.RunAsync(Moto, output, "doctor");

        Assert.Equal((1, string.Empty), (exit, error));
        Assert.Contains(
            "info     variables        PHOENIX_TABLE is not set: found by discovery (/phoenix/environment/table-name, which phoenix deploy, history, rollback, "
            + "unlock, abort and approve read); PHOENIX_STATE_MACHINE_ARN set as the stack says (export lines below).\n",
            text,
            StringComparison.Ordinal);
        Assert.Contains(
            "PROBLEM  config-recorder  recorder default is stopped (aws configservice start-configuration-recorder --configuration-recorder-name default).\n",
            text,
            StringComparison.Ordinal);
        Assert.Contains(
            $"PROBLEM  drift-topic      topic {_drift.TopicArn} is not encrypted (no KmsMasterKeyId): the PhoenixPipeline stack creates it with its own KMS key; redeploy it.\n",
            text,
            StringComparison.Ordinal);
        Assert.EndsWith($"2 problems found in us-east-1.\nOptional (phoenix deploy finds these by discovery):\n  export PHOENIX_TABLE={Table}\n", text, StringComparison.Ordinal);
    }

    [EmulatorFact]
    public async Task Doctor_VariablesUnsetButPublished_InformationFoundByDiscoveryExitZero()
    {
        using var environment = Environment(table: null, stateMachine: false);

        var (exit, text, error) = await CliRunner.RunAsync(Moto, output, "doctor", "--app", "web");

        Assert.Equal((0, string.Empty), (exit, error));
        Assert.Contains(
            "info     variables        PHOENIX_STATE_MACHINE_ARN is not set: found by discovery (/phoenix/environment/state-machine-arn, which phoenix deploy reads); "
            + "PHOENIX_TABLE is not set: found by discovery (/phoenix/environment/table-name, which phoenix deploy, history, rollback, unlock, abort and approve "
            + "read) (export lines below).\n",
            text,
            StringComparison.Ordinal);
        Assert.Contains($"ok       state-machine    {_stateMachine} ACTIVE.\n", text, StringComparison.Ordinal);
        Assert.EndsWith(
            $"No problems found in us-east-1.\nOptional (phoenix deploy finds these by discovery):\n  export PHOENIX_STATE_MACHINE_ARN={_stateMachine}\n  export PHOENIX_TABLE={Table}\n",
            text,
            StringComparison.Ordinal);
    }

    [EmulatorFact]
    public async Task Doctor_StateMachineVariableUnsetAndNotPublished_ProblemExitOneWithTheStacksValue()
    {
        using (var ssm = Moto.Clients().SimpleSystemsManagement())
        {
            await ssm.DeleteParameterAsync(new DeleteParameterRequest { Name = "/phoenix/environment/state-machine-arn" });
        }

        using var environment = Environment(table: Table, stateMachine: false);

        var (exit, text, error) = await CliRunner.RunAsync(Moto, output, "doctor", "--app", "web", "--json");

        Assert.Equal((1, string.Empty), (exit, error));
        var report = JsonNode.Parse(text)!;
        var variables = report["checks"]!.AsArray().Single(c => (string)c!["name"]! == "variables")!;
        Assert.Equal(("problem", "PHOENIX_STATE_MACHINE_ARN is not set (export lines below)."), ((string)variables["status"]!, (string)variables["detail"]!));
        Assert.Equal(_stateMachine, (string)report["set"]!["PHOENIX_STATE_MACHINE_ARN"]!);
        Assert.Empty(report["optional"]!.AsObject());
    }

    [EmulatorFact]
    public async Task Doctor_Json_NothingDeployedForTheApp_ProblemsAsJson()
    {
        using (var ssm = Moto.Clients().SimpleSystemsManagement())
        {
            await ssm.DeleteParameterAsync(new DeleteParameterRequest { Name = "/phoenix/environment/table-name" });
        }

        using var environment = Environment(table: Table);

        var (exit, text, error) = await CliRunner.RunAsync(Moto, output, "doctor", "--app", "shop", "--json");

        Assert.Equal((1, string.Empty), (exit, error));
        var report = JsonNode.Parse(text)!;
        Assert.Equal((false, 2), ((bool)report["healthy"]!, (int)report["problems"]!));
        var problems = report["checks"]!.AsArray().Where(c => (string)c!["status"]! == "problem").ToDictionary(c => (string)c!["name"]!, c => (string)c!["detail"]!);
        Assert.Equal(["parameters", "topology"], problems.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("missing /phoenix/environment/table-name: redeploy PhoenixPipeline, which writes them.", problems["parameters"]);
        Assert.Equal(
            "no topology for 'shop' at /phoenix/apps/shop/topology: deploy PhoenixFleet with -c phoenix:application=shop, or run phoenix adopt --app shop.",
            problems["topology"]);
        Assert.Empty(report["set"]!.AsObject());
    }

    [EmulatorFact]
    public async Task Doctor_NoStackInTheRegion_SaysWhereToLook()
    {
        using var environment = Environment(table: Table);

        var (exit, text, _) = await CliRunner.RunAsync(Moto, output, "doctor", "--stack-name", "PhoenixElsewhere");

        Assert.Equal(1, exit);
        Assert.Contains(
            "PROBLEM  stack            stack PhoenixElsewhere not found in us-east-1: deploy the stacks (npx --prefix cdk/tools cdk deploy --all), "
            + "or pass the --region they are in (--stack-name if yours is named otherwise).\n",
            text,
            StringComparison.Ordinal);

        // The parameters still name the table and state machine, so those were checked.
        Assert.Contains($"ok       table            {Table} ACTIVE.\n", text, StringComparison.Ordinal);
    }

    private ProcessEnvironment Environment(string? table, bool stateMachine = true) => new(new Dictionary<string, string?>
    {
        ["AWS_ACCESS_KEY_ID"] = "test",
        ["AWS_SECRET_ACCESS_KEY"] = "test",
        ["AWS_REGION"] = MotoServer.RegionName,
        ["PHOENIX_STATE_MACHINE_ARN"] = stateMachine ? _stateMachine : null,
        ["PHOENIX_TABLE"] = table,
    });

    private T Own<T>(T disposable)
        where T : IDisposable
    {
        _owned.Add(disposable);
        return disposable;
    }
}

/// <summary>CloudFormation CreateStack (AWS Query), for the stand-in pipeline stack.</summary>
internal sealed class CloudFormationProvisioner(MotoServer moto) : ProvisioningClient(moto, Aws.CloudFormation.AmazonCloudFormationClient.Definition)
{
    public Task<CreateStackResponse> CreateStackAsync(CreateStackRequest request) =>
        InvokeQueryAsync("CreateStack", request, DoctorProvisioningJsonContext.Default.CreateStackRequest, DoctorProvisioningJsonContext.Default.CreateStackResponse, CancellationToken.None);
}

/// <summary>SNS SetTopicAttributes (AWS Query): turns a topic's server-side encryption on or off.</summary>
internal sealed class TopicAttributesProvisioner(MotoServer moto) : ProvisioningClient(moto, Aws.SimpleNotificationService.AmazonSimpleNotificationServiceClient.Definition)
{
    public Task<EmptyQueryResponse> SetTopicAttributesAsync(SetTopicAttributesRequest request) =>
        InvokeQueryAsync("SetTopicAttributes", request, DoctorProvisioningJsonContext.Default.SetTopicAttributesRequest, DoctorProvisioningJsonContext.Default.EmptyQueryResponse, CancellationToken.None);
}

/// <summary>AWS Config's recorder (awsJson 1.1): create, start, stop.</summary>
internal sealed class ConfigProvisioner(MotoServer moto) : ProvisioningClient(moto, Aws.ConfigService.AmazonConfigServiceClient.Definition)
{
    public Task<EmptyJsonResponse> PutConfigurationRecorderAsync(PutConfigurationRecorderRequest request) =>
        InvokeJsonAsync("PutConfigurationRecorder", request, DoctorProvisioningJsonContext.Default.PutConfigurationRecorderRequest, DoctorProvisioningJsonContext.Default.EmptyJsonResponse, CancellationToken.None);

    public Task<EmptyJsonResponse> PutDeliveryChannelAsync(PutDeliveryChannelRequest request) =>
        InvokeJsonAsync("PutDeliveryChannel", request, DoctorProvisioningJsonContext.Default.PutDeliveryChannelRequest, DoctorProvisioningJsonContext.Default.EmptyJsonResponse, CancellationToken.None);

    public Task<EmptyJsonResponse> StartConfigurationRecorderAsync(ConfigurationRecorderNameRequest request) =>
        InvokeJsonAsync("StartConfigurationRecorder", request, DoctorProvisioningJsonContext.Default.ConfigurationRecorderNameRequest, DoctorProvisioningJsonContext.Default.EmptyJsonResponse, CancellationToken.None);

    public Task<EmptyJsonResponse> StopConfigurationRecorderAsync(ConfigurationRecorderNameRequest request) =>
        InvokeJsonAsync("StopConfigurationRecorder", request, DoctorProvisioningJsonContext.Default.ConfigurationRecorderNameRequest, DoctorProvisioningJsonContext.Default.EmptyJsonResponse, CancellationToken.None);
}

internal sealed class CreateStackRequest : AmazonWebServiceRequest
{
    public string? StackName { get; set; }

    public string? TemplateBody { get; set; }
}

internal sealed class CreateStackResponse : AmazonWebServiceResponse
{
    public string? StackId { get; set; }
}

internal sealed class SetTopicAttributesRequest : AmazonWebServiceRequest
{
    public string? TopicArn { get; set; }

    public string? AttributeName { get; set; }

    public string? AttributeValue { get; set; }
}

internal sealed class EmptyJsonResponse : AmazonWebServiceResponse;

internal sealed class PutConfigurationRecorderRequest : AmazonWebServiceRequest
{
    public ConfigurationRecorder? ConfigurationRecorder { get; set; }
}

/// <summary>Config's recorder shapes are camelCase on the wire, unlike the operations' own members.</summary>
internal sealed class ConfigurationRecorder
{
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    [JsonPropertyName("roleARN")]
    public string? RoleArn { get; set; }

    [JsonPropertyName("recordingGroup")]
    public RecordingGroup? RecordingGroup { get; set; }
}

internal sealed class RecordingGroup
{
    [JsonPropertyName("allSupported")]
    public bool AllSupported { get; set; }
}

internal sealed class PutDeliveryChannelRequest : AmazonWebServiceRequest
{
    public DeliveryChannel? DeliveryChannel { get; set; }
}

internal sealed class DeliveryChannel
{
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    [JsonPropertyName("s3BucketName")]
    public string? S3BucketName { get; set; }
}

internal sealed class ConfigurationRecorderNameRequest : AmazonWebServiceRequest
{
    public string? ConfigurationRecorderName { get; set; }
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(CreateStackRequest))]
[JsonSerializable(typeof(CreateStackResponse))]
[JsonSerializable(typeof(SetTopicAttributesRequest))]
[JsonSerializable(typeof(EmptyQueryResponse))]
[JsonSerializable(typeof(EmptyJsonResponse))]
[JsonSerializable(typeof(PutConfigurationRecorderRequest))]
[JsonSerializable(typeof(PutDeliveryChannelRequest))]
[JsonSerializable(typeof(ConfigurationRecorderNameRequest))]
internal sealed partial class DoctorProvisioningJsonContext : JsonSerializerContext;
