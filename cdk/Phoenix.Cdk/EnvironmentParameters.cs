using Amazon.CDK;
using Amazon.CDK.AWS.SSM;
using Phoenix.Core.Discovery;

namespace Phoenix.Cdk;

/// <summary>
/// The pipeline stack's outputs published as SSM parameters under one path in its account and region, so a caller that
/// knows only a role and a region finds the rest: <c>phoenix deploy</c> without a state machine ARN
/// (Phoenix.Core.Discovery.EnvironmentDiscovery) and a GitHub Actions job that set one role ARN, whose role may read
/// <see cref="Discoverable"/>. The names come from Core's <see cref="PublishedEnvironment"/>, which <c>phoenix doctor</c>
/// and discovery read too.
/// </summary>
public static class EnvironmentParameters
{
    /// <summary>Leaf names of what <c>phoenix deploy</c> looks up when it is not told (the GitHub deploy role may read exactly these).</summary>
    public static readonly string[] Discoverable = [.. PublishedEnvironment.All.Where(v => v.Discoverable).Select(v => v.Parameter)];

    /// <summary>Writes one parameter per <see cref="PublishedEnvironment.All"/>, construct id <c>Environment</c> + the output key.</summary>
    public static void Publish(PipelineStack stack)
    {
        ArgumentNullException.ThrowIfNull(stack);
        var values = new Dictionary<EnvironmentValue, string>
        {
            [PublishedEnvironment.StateMachineArn] = stack.StateMachine.StateMachineArn,
            [PublishedEnvironment.TableName] = stack.Table.TableName,
            [PublishedEnvironment.DeployTopicArn] = stack.DeployTopic.TopicArn,
            [PublishedEnvironment.DriftTopicArn] = stack.DriftTopic.TopicArn,
        };
        foreach (var published in PublishedEnvironment.All)
        {
            // A value added to Core's list and not given here fails the synthesis rather than going unpublished.
            var value = values.TryGetValue(published, out var token)
                ? token
                : throw new InvalidOperationException($"The pipeline stack does not say what to publish as {published.ParameterName} ({published.Output}).");
            _ = new StringParameter(stack, "Environment" + published.Output, new StringParameterProps
            {
                ParameterName = published.ParameterName,
                StringValue = value,
                Description = $"Phoenix deployment environment: the {stack.StackName} stack's {published.Parameter}.",
            });
        }
    }

    /// <summary>The ARN of a published parameter, by its leaf name.</summary>
    public static string Arn(Stack stack, string leaf)
    {
        ArgumentNullException.ThrowIfNull(stack);
        return stack.FormatArn(new ArnComponents { Service = "ssm", Resource = "parameter", ResourceName = PublishedEnvironment.Path.TrimStart('/') + leaf });
    }
}
