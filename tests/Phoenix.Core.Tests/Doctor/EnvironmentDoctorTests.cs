using Phoenix.Core.Doctor;
using Phoenix.Core.Ports;

namespace Phoenix.Core.Tests.Doctor;

/// <summary><see cref="EnvironmentDoctor"/> over a fake environment: a healthy one, then one thing broken at a time.</summary>
public sealed class EnvironmentDoctorTests
{
    private const string Machine = "arn:aws:states:eu-west-1:123456789012:stateMachine:phoenix-deploy";
    private const string DeployTopic = "arn:aws:sns:eu-west-1:123456789012:deploy";
    private const string DriftTopic = "arn:aws:sns:eu-west-1:123456789012:drift";

    private const string Topology =
        "{\"application\":\"web\",\"blue\":{\"autoScalingGroupName\":\"phoenix-web-blue\",\"targetGroupArn\":\"arn:tg:blue\",\"launchTemplateId\":\"lt-1\"},"
        + "\"green\":{\"autoScalingGroupName\":\"phoenix-web-green\",\"targetGroupArn\":\"arn:tg:green\",\"launchTemplateId\":\"lt-2\"},\"listenerArn\":\"arn:listener\",\"alarmNames\":[]}";

    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task RunAsync_HealthyEnvironment_EveryCheckOkAndNothingToSet()
    {
        var report = await RunAsync(new FakeEnvironment());

        Assert.True(report.Healthy, string.Join("\n", report.Lines()));
        Assert.Equal(
            ["stack", "parameters", "variables", "table", "state-machine", "topology", "config-recorder", "deploy-topic", "drift-topic"],
            report.Checks.Select(c => c.Name));
        Assert.All(report.Checks, c => Assert.Equal(CheckStatus.Ok, c.Status));
        Assert.Empty(report.VariablesToSet);
        Assert.Equal("No problems found in eu-west-1.", report.Lines()[^1]);
        Assert.Equal("ok       topology         web (blue phoenix-web-blue, green phoenix-web-green).", report.Lines()[5]);
    }

    [Fact]
    public async Task RunAsync_VariableWrong_ProblemAndExportLineWithTheStacksValue()
    {
        var report = await RunAsync(new FakeEnvironment(), new Dictionary<string, string?> { ["PHOENIX_STATE_MACHINE_ARN"] = Machine, ["PHOENIX_TABLE"] = "old-table" });

        var check = Single(report, "variables");
        Assert.Equal((CheckStatus.Problem, "PHOENIX_TABLE is 'old-table' but the stack's TableName is 'phoenix-table' (export lines below)."), (check.Status, check.Detail));
        Assert.Equal([new VariableToSet("PHOENIX_TABLE", "phoenix-table", "old-table")], report.VariablesToSet);
        Assert.Equal(["1 problem found in eu-west-1.", "Set these for the phoenix CLI:", "  export PHOENIX_TABLE=phoenix-table"], report.Lines().TakeLast(3));
    }

    [Fact]
    public async Task RunAsync_VariablesUnsetButPublished_InformationFoundByDiscoveryNoProblem()
    {
        var report = await RunAsync(new FakeEnvironment(), new Dictionary<string, string?>());

        var check = Single(report, "variables");
        Assert.Equal(CheckStatus.Info, check.Status);
        Assert.Equal(
            "PHOENIX_STATE_MACHINE_ARN is not set: found by discovery (/phoenix/environment/state-machine-arn, which phoenix deploy reads); "
            + "PHOENIX_TABLE is not set: found by discovery (/phoenix/environment/table-name, which phoenix deploy, history, rollback, unlock, abort and approve read) "
            + "(export lines below).",
            check.Detail);
        Assert.True(report.Healthy);
        Assert.Equal(
            [new VariableToSet("PHOENIX_STATE_MACHINE_ARN", Machine, null, Optional: true), new VariableToSet("PHOENIX_TABLE", "phoenix-table", null, Optional: true)],
            report.VariablesToSet);
        Assert.Equal(
            [
                "No problems found in eu-west-1.", "Optional (phoenix deploy finds these by discovery):", $"  export PHOENIX_STATE_MACHINE_ARN={Machine}",
                "  export PHOENIX_TABLE=phoenix-table",
            ],
            report.Lines().TakeLast(4));
        Assert.StartsWith("info     variables        PHOENIX_STATE_MACHINE_ARN is not set: found by discovery", report.Lines()[2], StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_OneUnsetButPublishedOneSetRight_InformationNamingBoth()
    {
        var report = await RunAsync(new FakeEnvironment(), new Dictionary<string, string?> { ["PHOENIX_TABLE"] = "phoenix-table" });

        var check = Single(report, "variables");
        Assert.Equal(
            (CheckStatus.Info, "PHOENIX_STATE_MACHINE_ARN is not set: found by discovery (/phoenix/environment/state-machine-arn, which phoenix deploy reads); "
                + "PHOENIX_TABLE set as the stack says (export lines below)."),
            (check.Status, check.Detail));
        Assert.Equal("No problems found in eu-west-1.", report.Lines()[^3]);
    }

    [Fact]
    public async Task RunAsync_VariableUnsetAndOnlyTheStackOutputNamesIt_ProblemBecauseDeployCannotDiscoverIt()
    {
        var environment = new FakeEnvironment();
        environment.Parameters.Remove("/phoenix/environment/state-machine-arn");

        var report = await RunAsync(environment, new Dictionary<string, string?> { ["PHOENIX_TABLE"] = "phoenix-table" });

        Assert.Equal(
            (CheckStatus.Problem, "PHOENIX_STATE_MACHINE_ARN is not set (export lines below)."),
            (Single(report, "variables").Status, Single(report, "variables").Detail));
        Assert.Equal([new VariableToSet("PHOENIX_STATE_MACHINE_ARN", Machine, null)], report.VariablesToSet);
    }

    [Fact]
    public async Task RunAsync_VariableWrongAndAnotherDiscovered_ProblemFirstThenTheNote()
    {
        var report = await RunAsync(new FakeEnvironment(), new Dictionary<string, string?> { ["PHOENIX_TABLE"] = "old-table" });

        Assert.Equal(
            "PHOENIX_TABLE is 'old-table' but the stack's TableName is 'phoenix-table'; "
            + "PHOENIX_STATE_MACHINE_ARN is not set: found by discovery (/phoenix/environment/state-machine-arn, which phoenix deploy reads) (export lines below).",
            Single(report, "variables").Detail);
        Assert.Equal(
            ["1 problem found in eu-west-1.", "Set these for the phoenix CLI:", "  export PHOENIX_TABLE=phoenix-table", "Optional (phoenix deploy finds these by discovery):",
                $"  export PHOENIX_STATE_MACHINE_ARN={Machine}"],
            report.Lines().TakeLast(5));
    }

    [Fact]
    public async Task RunAsync_NoStack_FallsBackToTheParametersAndSaysWhereToLook()
    {
        var environment = new FakeEnvironment { Stack = null };

        var report = await RunAsync(environment);

        Assert.Equal(
            "stack PhoenixPipeline not found in eu-west-1: deploy the stacks (npx --prefix cdk/tools cdk deploy --all), or pass the --region they are in (--stack-name if yours is named otherwise).",
            Single(report, "stack").Detail);
        Assert.Equal(CheckStatus.Problem, Single(report, "stack").Status);

        // The parameters name the same resources, so everything else is still checked.
        Assert.All(report.Checks.Skip(1), c => Assert.Equal(CheckStatus.Ok, c.Status));
        Assert.Equal(Machine, environment.StateMachinesAsked.Single());
    }

    [Fact]
    public async Task RunAsync_NothingDeployed_ChecksWhatItCanAndSkipsTheRest()
    {
        var environment = new FakeEnvironment { Stack = null, Parameters = [] };

        var report = await RunAsync(environment, new Dictionary<string, string?>());

        Assert.Equal(
            [
                ("stack", CheckStatus.Problem), ("parameters", CheckStatus.Problem), ("variables", CheckStatus.Problem), ("table", CheckStatus.Skipped),
                ("state-machine", CheckStatus.Skipped), ("topology", CheckStatus.Problem), ("config-recorder", CheckStatus.Ok), ("deploy-topic", CheckStatus.Skipped),
                ("drift-topic", CheckStatus.Skipped),
            ],
            report.Checks.Select(c => (c.Name, c.Status)));
        Assert.Equal(
            "PHOENIX_STATE_MACHINE_ARN is not set, and nothing here says what to set it to; PHOENIX_TABLE is not set, and nothing here says what to set it to.",
            Single(report, "variables").Detail);
        Assert.Empty(report.VariablesToSet);
        Assert.Equal("4 problems found in eu-west-1 (4 skipped).", report.Lines()[^1]);
    }

    [Fact]
    public async Task RunAsync_VariableSetWithoutStack_ChecksTheTableItNames()
    {
        var environment = new FakeEnvironment { Stack = null, Parameters = [] };

        var report = await RunAsync(environment, new Dictionary<string, string?> { ["PHOENIX_TABLE"] = "mine" });

        Assert.Equal("table mine does not exist in eu-west-1.", Single(report, "table").Detail);
    }

    [Fact]
    public async Task RunAsync_StackMissingOutputsOrNotComplete_NamesThem()
    {
        var partial = await RunAsync(new FakeEnvironment { Stack = new StackDescription("UPDATE_COMPLETE", new Dictionary<string, string> { ["TableName"] = "phoenix-table" }) });
        var rolledBack = await RunAsync(new FakeEnvironment { Stack = new StackDescription("ROLLBACK_COMPLETE", FakeEnvironment.Outputs()) });

        Assert.Equal(
            "stack PhoenixPipeline (UPDATE_COMPLETE) lacks the outputs StateMachineArn, DeployTopicArn, DriftTopicArn: it is not a Phoenix pipeline stack, or an older one; redeploy it.",
            Single(partial, "stack").Detail);
        Assert.Equal(
            "stack PhoenixPipeline is ROLLBACK_COMPLETE: wait for it to finish, or fix and redeploy it (its events say why).",
            Single(rolledBack, "stack").Detail);
    }

    [Fact]
    public async Task RunAsync_ParametersDisagreeWithTheStack_NamesBothValues()
    {
        var environment = new FakeEnvironment();
        environment.Parameters["/phoenix/environment/table-name"] = "stale";
        environment.Parameters.Remove("/phoenix/environment/drift-topic-arn");

        var check = Single(await RunAsync(environment), "parameters");

        Assert.Equal(
            "missing /phoenix/environment/drift-topic-arn; /phoenix/environment/table-name is 'stale' but stack output TableName is 'phoenix-table': redeploy PhoenixPipeline, which writes them.",
            check.Detail);
    }

    [Fact]
    public async Task RunAsync_TableAndStateMachineMissing_ProblemsNamingThem()
    {
        var report = await RunAsync(new FakeEnvironment { TableStatus = null, StateMachineStatus = null });

        Assert.Equal("table phoenix-table does not exist in eu-west-1.", Single(report, "table").Detail);
        Assert.Equal($"state machine {Machine} does not exist.", Single(report, "state-machine").Detail);
    }

    [Fact]
    public async Task RunAsync_StateMachineInAnotherRegion_SaysToPassRegion()
    {
        var report = await RunAsync(new FakeEnvironment { StateMachineStatus = null }, region: "us-east-1");

        Assert.Equal($"state machine {Machine} does not exist (it is not in us-east-1: pass --region).", Single(report, "state-machine").Detail);
    }

    [Fact]
    public async Task RunAsync_TopologyUnreadableOrAppMissing_ProblemsNamingTheParameter()
    {
        var environment = new FakeEnvironment();
        environment.Parameters["/phoenix/apps/shop/topology"] = "{not json";
        environment.Parameters["/phoenix/apps/api/topology"] = Topology;

        var report = await RunAsync(environment, application: "admin");

        var detail = Single(report, "topology").Detail;
        Assert.StartsWith("/phoenix/apps/api/topology is the topology of 'web', not of 'api'; /phoenix/apps/shop/topology is not a readable topology: ", detail, StringComparison.Ordinal);
        Assert.EndsWith(
            "; no topology for 'admin' at /phoenix/apps/admin/topology: deploy PhoenixFleet with -c phoenix:application=admin, or run phoenix adopt --app admin.",
            detail,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_NoRecorderOrStopped_ProblemSayingHowToStartIt()
    {
        var none = await RunAsync(new FakeEnvironment { Recorders = [] });
        var stopped = await RunAsync(new FakeEnvironment { Recorders = [new RecorderStatus("default", false, "Success", null, null)] });
        var failing = await RunAsync(new FakeEnvironment { Recorders = [new RecorderStatus("default", true, "Failure", "AccessDenied", "no s3:PutObject")] });

        Assert.Equal(
            "no AWS Config configuration recorder in eu-west-1: the drift stack's Config rules evaluate nothing without one; set one up (AWS Config console, \"Get started\") and start it.",
            Single(none, "config-recorder").Detail);
        Assert.Equal(
            "recorder default is stopped (aws configservice start-configuration-recorder --configuration-recorder-name default).",
            Single(stopped, "config-recorder").Detail);
        Assert.Equal("recorder default is on but its last recording failed: AccessDenied: no s3:PutObject.", Single(failing, "config-recorder").Detail);
        Assert.All([none, stopped, failing], r => Assert.Equal(CheckStatus.Problem, Single(r, "config-recorder").Status));
    }

    [Fact]
    public async Task RunAsync_TopicUnencryptedOrUnsubscribed_Problems()
    {
        var environment = new FakeEnvironment();
        environment.Topics[DeployTopic] = new TopicDescription(null, [new TopicSubscription("email", "ops@example.com", Confirmed: true)]);
        environment.Topics[DriftTopic] = new TopicDescription("arn:aws:kms:eu-west-1:123456789012:key/1", [new TopicSubscription("email", "ops@example.com", Confirmed: false)]);

        var report = await RunAsync(environment);

        Assert.Equal(
            $"topic {DeployTopic} is not encrypted (no KmsMasterKeyId): the PhoenixPipeline stack creates it with its own KMS key; redeploy it.",
            Single(report, "deploy-topic").Detail);
        Assert.Equal(
            $"topic {DriftTopic} has no confirmed subscription (1 waiting for confirmation): nobody receives drift alerts; configure a chat channel "
            + "(-c phoenix:slackWorkspaceId=… -c phoenix:slackChannelId=…, or the Teams keys) or subscribe (aws sns subscribe --topic-arn … --protocol email …).",
            Single(report, "drift-topic").Detail);
    }

    [Fact]
    public async Task RunAsync_TopicGone_Problem()
    {
        var environment = new FakeEnvironment();
        environment.Topics.Remove(DriftTopic);

        Assert.Equal($"topic {DriftTopic} does not exist.", Single(await RunAsync(environment), "drift-topic").Detail);
    }

    [Fact]
    public async Task RunAsync_OneCallDenied_ThatCheckIsAProblemAndTheOthersStillRun()
    {
        var environment = new FakeEnvironment { RecorderFailure = new InvalidOperationException("User is not authorized to perform: config:DescribeConfigurationRecorderStatus.") };

        var report = await RunAsync(environment);

        Assert.Equal(
            "could not check: User is not authorized to perform: config:DescribeConfigurationRecorderStatus (InvalidOperationException).",
            Single(report, "config-recorder").Detail);
        Assert.Equal(1, report.Problems);
        Assert.Equal(CheckStatus.Ok, Single(report, "drift-topic").Status);
    }

    private static DoctorCheck Single(DoctorReport report, string name) => report.Checks.Single(c => c.Name == name);

    private static Task<DoctorReport> RunAsync(
        FakeEnvironment environment, IReadOnlyDictionary<string, string?>? variables = null, string region = "eu-west-1", string? application = null) =>
        new EnvironmentDoctor(environment).RunAsync(
            new DoctorRequest(region, variables ?? new Dictionary<string, string?> { ["PHOENIX_STATE_MACHINE_ARN"] = Machine, ["PHOENIX_TABLE"] = "phoenix-table" }, Application: application),
            None);

    private sealed class FakeEnvironment : IDeploymentEnvironment
    {
        public StackDescription? Stack { get; init; } = new("CREATE_COMPLETE", Outputs());

        public Dictionary<string, string> Parameters { get; init; } = new()
        {
            ["/phoenix/environment/state-machine-arn"] = Machine,
            ["/phoenix/environment/table-name"] = "phoenix-table",
            ["/phoenix/environment/deploy-topic-arn"] = DeployTopic,
            ["/phoenix/environment/drift-topic-arn"] = DriftTopic,
            ["/phoenix/apps/web/topology"] = Topology,
            ["/phoenix/apps/web/drift-policy"] = "{}",
        };

        public string? TableStatus { get; init; } = "ACTIVE";

        public string? StateMachineStatus { get; init; } = "ACTIVE";

        public IReadOnlyList<RecorderStatus> Recorders { get; init; } = [new("default", true, "Success", null, null)];

        public Exception? RecorderFailure { get; init; }

        public Dictionary<string, TopicDescription> Topics { get; } = new()
        {
            [DeployTopic] = new("alias/phoenix", [new TopicSubscription("https", "https://global.sns-api.chatbot.amazonaws.com", Confirmed: true)]),
            [DriftTopic] = new("alias/phoenix", [new TopicSubscription("https", "https://global.sns-api.chatbot.amazonaws.com", Confirmed: true)]),
        };

        public List<string> StateMachinesAsked { get; } = [];

        public static Dictionary<string, string> Outputs() => new()
        {
            ["StateMachineArn"] = Machine,
            ["TableName"] = "phoenix-table",
            ["DeployTopicArn"] = DeployTopic,
            ["DriftTopicArn"] = DriftTopic,
            ["ExportsOutputRefStateTable"] = "phoenix-table",
        };

        public Task<StackDescription?> DescribeStackAsync(string stackName, CancellationToken cancellationToken) =>
            Task.FromResult(stackName == EnvironmentDoctor.DefaultStackName ? Stack : null);

        public Task<IReadOnlyDictionary<string, string>> GetParametersByPathAsync(string path, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyDictionary<string, string>>(Parameters.Where(p => p.Key.StartsWith(path, StringComparison.Ordinal)).ToDictionary());

        public Task<string?> DescribeTableStatusAsync(string tableName, CancellationToken cancellationToken) =>
            Task.FromResult(tableName == "phoenix-table" ? TableStatus : null);

        public Task<string?> DescribeStateMachineStatusAsync(string stateMachineArn, CancellationToken cancellationToken)
        {
            StateMachinesAsked.Add(stateMachineArn);
            return Task.FromResult(stateMachineArn == Machine ? StateMachineStatus : null);
        }

        public Task<IReadOnlyList<RecorderStatus>> DescribeConfigurationRecorderStatusAsync(CancellationToken cancellationToken) =>
            RecorderFailure is { } failure ? Task.FromException<IReadOnlyList<RecorderStatus>>(failure) : Task.FromResult(Recorders);

        public Task<TopicDescription?> DescribeTopicAsync(string topicArn, CancellationToken cancellationToken) =>
            Task.FromResult(Topics.GetValueOrDefault(topicArn));
    }
}
