using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using Phoenix.Aws.CloudFormation;
using Phoenix.Aws.ConfigService;
using Phoenix.Aws.SimpleNotificationService;
using Phoenix.Aws.StepFunctions;
using Phoenix.Core.Ports;
using Cfn = Phoenix.Aws.CloudFormation.Model;
using Config = Phoenix.Aws.ConfigService.Model;
using Sfn = Phoenix.Aws.StepFunctions.Model;
using Sns = Phoenix.Aws.SimpleNotificationService.Model;

namespace Phoenix.Aws.Adapters;

/// <summary>The read-only calls of <c>phoenix doctor</c> (<see cref="IDeploymentEnvironment"/>), each "does not exist" turned into null.</summary>
public sealed class DeploymentEnvironmentAdapter(
    AmazonCloudFormationClient cloudFormation,
    IAmazonSimpleSystemsManagement ssm,
    IAmazonDynamoDB dynamoDb,
    AmazonStepFunctionsClient stepFunctions,
    AmazonConfigServiceClient config,
    AmazonSimpleNotificationServiceClient sns) : IDeploymentEnvironment
{
    public Task<StackDescription?> DescribeStackAsync(string stackName, CancellationToken cancellationToken) =>
        AwsCall.RunAsync<StackDescription?>($"DescribeStacks {stackName}", async () =>
        {
            try
            {
                var response = await cloudFormation.DescribeStacksAsync(new Cfn.DescribeStacksRequest { StackName = stackName }, cancellationToken).ConfigureAwait(false);
                var stack = response.Stacks?.FirstOrDefault();
                return stack is null
                    ? null
                    : new StackDescription(
                        stack.StackStatus ?? string.Empty,
                        (stack.Outputs ?? []).Where(o => o.OutputKey is not null).ToDictionary(o => o.OutputKey!, o => o.OutputValue ?? string.Empty, StringComparer.Ordinal));
            }
            catch (ValidationErrorException ex) when (ex.Message.Contains("does not exist", StringComparison.Ordinal))
            {
                // "Stack with id NAME does not exist": CloudFormation's only way of saying so.
                return null;
            }
        }, cancellationToken);

    public Task<IReadOnlyDictionary<string, string>> GetParametersByPathAsync(string path, CancellationToken cancellationToken) =>
        AwsCall.RunAsync<IReadOnlyDictionary<string, string>>($"GetParametersByPath {path}", async () =>
        {
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            string? token = null;
            do
            {
                var response = await ssm.GetParametersByPathAsync(
                    new GetParametersByPathRequest { Path = path.TrimEnd('/'), Recursive = true, WithDecryption = true, NextToken = token },
                    cancellationToken).ConfigureAwait(false);
                foreach (var parameter in response.Parameters ?? [])
                {
                    values[parameter.Name] = parameter.Value;
                }

                token = response.NextToken;
            }
            while (!string.IsNullOrEmpty(token));
            return values;
        }, cancellationToken);

    public Task<string?> DescribeTableStatusAsync(string tableName, CancellationToken cancellationToken) =>
        AwsCall.RunAsync<string?>($"DescribeTable {tableName}", async () =>
        {
            try
            {
                var response = await dynamoDb.DescribeTableAsync(new DescribeTableRequest { TableName = tableName }, cancellationToken).ConfigureAwait(false);
                return response.Table?.TableStatus?.Value;
            }
            catch (Amazon.DynamoDBv2.Model.ResourceNotFoundException)
            {
                return null;
            }
        }, cancellationToken);

    public Task<string?> DescribeStateMachineStatusAsync(string stateMachineArn, CancellationToken cancellationToken) =>
        AwsCall.RunAsync<string?>($"DescribeStateMachine {stateMachineArn}", async () =>
        {
            try
            {
                var response = await stepFunctions.DescribeStateMachineAsync(new Sfn.DescribeStateMachineRequest { StateMachineArn = stateMachineArn }, cancellationToken)
                    .ConfigureAwait(false);
                return response.Status;
            }
            catch (StateMachineDoesNotExistException)
            {
                return null;
            }
        }, cancellationToken);

    public Task<IReadOnlyList<RecorderStatus>> DescribeConfigurationRecorderStatusAsync(CancellationToken cancellationToken) =>
        AwsCall.RunAsync<IReadOnlyList<RecorderStatus>>("DescribeConfigurationRecorderStatus", async () =>
        {
            var response = await config.DescribeConfigurationRecorderStatusAsync(new Config.DescribeConfigurationRecorderStatusRequest(), cancellationToken).ConfigureAwait(false);
            return (response.ConfigurationRecordersStatus ?? [])
                .Select(r => new RecorderStatus(r.Name ?? string.Empty, r.Recording ?? false, r.LastStatus, r.LastErrorCode, r.LastErrorMessage))
                .ToList();
        }, cancellationToken);

    public Task<TopicDescription?> DescribeTopicAsync(string topicArn, CancellationToken cancellationToken) =>
        AwsCall.RunAsync<TopicDescription?>($"GetTopicAttributes {topicArn}", async () =>
        {
            Sns.GetTopicAttributesResponse attributes;
            try
            {
                attributes = await sns.GetTopicAttributesAsync(new Sns.GetTopicAttributesRequest { TopicArn = topicArn }, cancellationToken).ConfigureAwait(false);
            }
            catch (NotFoundException)
            {
                return null;
            }

            var subscriptions = new List<TopicSubscription>();
            string? token = null;
            do
            {
                var page = await sns.ListSubscriptionsByTopicAsync(new Sns.ListSubscriptionsByTopicRequest { TopicArn = topicArn, NextToken = token }, cancellationToken)
                    .ConfigureAwait(false);
                subscriptions.AddRange((page.Subscriptions ?? []).Select(s => new TopicSubscription(
                    s.Protocol ?? string.Empty,
                    s.Endpoint ?? string.Empty,
                    // Until its endpoint confirms, SNS lists a subscription with the ARN "PendingConfirmation".
                    Confirmed: s.SubscriptionArn is { Length: > 0 } arn && arn.StartsWith("arn:", StringComparison.Ordinal))));
                token = page.NextToken;
            }
            while (!string.IsNullOrEmpty(token));
            return new TopicDescription(attributes.Attributes?.GetValueOrDefault("KmsMasterKeyId") is { Length: > 0 } key ? key : null, subscriptions);
        }, cancellationToken);
}
