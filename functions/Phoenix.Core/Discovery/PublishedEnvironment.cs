namespace Phoenix.Core.Discovery;

/// <summary>
/// One value of a deployment environment: the pipeline stack's output key, the leaf name of the SSM parameter it is
/// published as under <see cref="PublishedEnvironment.Path"/>, the variable the CLI reads it from (null: none), and whether
/// the CLI looks it up when it is not given (<see cref="EnvironmentDiscovery"/>).
/// </summary>
public sealed record EnvironmentValue(string Output, string Parameter, string? Variable, bool Discoverable)
{
    /// <summary>The SSM parameter's full name.</summary>
    public string ParameterName => PublishedEnvironment.Path + Parameter;
}

/// <summary>
/// The one list of what the PhoenixPipeline stack publishes about itself: the CDK stack writes these parameters
/// (cdk/Phoenix.Cdk/EnvironmentParameters.cs), the CLI discovers from them and <c>phoenix doctor</c> checks
/// them, each by reading this list rather than spelling the names again.
/// </summary>
public static class PublishedEnvironment
{
    public const string Path = "/phoenix/environment/";

    public static EnvironmentValue StateMachineArn { get; } = new("StateMachineArn", "state-machine-arn", "PHOENIX_STATE_MACHINE_ARN", Discoverable: true);

    public static EnvironmentValue TableName { get; } = new("TableName", "table-name", "PHOENIX_TABLE", Discoverable: true);

    public static EnvironmentValue DeployTopicArn { get; } = new("DeployTopicArn", "deploy-topic-arn", Variable: null, Discoverable: false);

    public static EnvironmentValue DriftTopicArn { get; } = new("DriftTopicArn", "drift-topic-arn", Variable: null, Discoverable: false);

    /// <summary>Every published value, in the order doctor reports them.</summary>
    public static IReadOnlyList<EnvironmentValue> All { get; } = [StateMachineArn, TableName, DeployTopicArn, DriftTopicArn];
}
