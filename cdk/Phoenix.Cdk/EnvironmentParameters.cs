using Amazon.CDK;
using Amazon.CDK.AWS.SSM;

namespace Phoenix.Cdk;

/// <summary>
/// The pipeline stack's outputs published as SSM parameters under one path in its account and region, so a caller that
/// knows only a role and a region finds the rest: <c>phoenix deploy</c> without a state machine ARN
/// (Phoenix.Core.Discovery.EnvironmentDiscovery, the same names) and a GitHub Actions job that set one role ARN, whose
/// role may read <see cref="Discoverable"/>. One source for these names: <c>phoenix doctor</c> reads the same path.
/// </summary>
public static class EnvironmentParameters
{
    public const string Path = "/phoenix/environment/";

    public const string StateMachineArn = "state-machine-arn";

    public const string TableName = "table-name";

    /// <summary>What <c>phoenix deploy</c> looks up when it is not told (the GitHub deploy role may read exactly these).</summary>
    public static readonly string[] Discoverable = [StateMachineArn, TableName];

    public static void Publish(PipelineStack stack)
    {
        ArgumentNullException.ThrowIfNull(stack);
        foreach (var (id, leaf, value) in new[]
        {
            ("EnvironmentStateMachineArn", StateMachineArn, stack.StateMachine.StateMachineArn),
            ("EnvironmentTableName", TableName, stack.Table.TableName),
            ("EnvironmentDeployTopicArn", "deploy-topic-arn", stack.DeployTopic.TopicArn),
            ("EnvironmentDriftTopicArn", "drift-topic-arn", stack.DriftTopic.TopicArn),
        })
        {
            _ = new StringParameter(stack, id, new StringParameterProps
            {
                ParameterName = Path + leaf,
                StringValue = value,
                Description = $"Phoenix deployment environment: the {stack.StackName} stack's {leaf}.",
            });
        }
    }

    /// <summary>The ARN of a published parameter.</summary>
    public static string Arn(Stack stack, string leaf)
    {
        ArgumentNullException.ThrowIfNull(stack);
        return stack.FormatArn(new ArnComponents { Service = "ssm", Resource = "parameter", ResourceName = Path.TrimStart('/') + leaf });
    }
}
