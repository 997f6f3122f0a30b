using System.Text.Json;
using Phoenix.Aws.AutoScaling;
using Phoenix.Aws.CloudFormation;
using Phoenix.Aws.CloudWatch;
using Phoenix.Aws.CodeBuild;
using Phoenix.Aws.ConfigService;
using Phoenix.Aws.ElasticLoadBalancingV2;
using Phoenix.Aws.SecurityToken;
using Phoenix.Aws.SimpleNotificationService;
using Phoenix.Aws.StepFunctions;
using Phoenix.Aws.Tests.Support;

namespace Phoenix.Aws.Tests;

/// <summary>
/// Every operation Phoenix.Aws implements, sent with the inputs in wire/operations.json (the same ones the Node
/// script sends through the official JS SDK), keyed by fixture name (the operation's, or the "fixture" an input
/// names where one operation is recorded twice). The inputs are read with each service's own JSON context, so the
/// member names in that file must be the request's member names.
/// </summary>
internal static class WireOperations
{
    private static readonly Dictionary<string, Func<AwsClientFactory, JsonElement, Task>> Operations = new()
    {
        ["DescribeAutoScalingGroups"] = (f, i) => f.AutoScaling().DescribeAutoScalingGroupsAsync(i.Deserialize(AutoScalingJsonContext.Default.DescribeAutoScalingGroupsRequest)!),
        ["UpdateAutoScalingGroup"] = (f, i) => f.AutoScaling().UpdateAutoScalingGroupAsync(i.Deserialize(AutoScalingJsonContext.Default.UpdateAutoScalingGroupRequest)!),
        ["SetDesiredCapacity"] = (f, i) => f.AutoScaling().SetDesiredCapacityAsync(i.Deserialize(AutoScalingJsonContext.Default.SetDesiredCapacityRequest)!),
        ["TerminateInstanceInAutoScalingGroup"] = (f, i) =>
            f.AutoScaling().TerminateInstanceInAutoScalingGroupAsync(i.Deserialize(AutoScalingJsonContext.Default.TerminateInstanceInAutoScalingGroupRequest)!),
        ["DescribeScalingActivities"] = (f, i) => f.AutoScaling().DescribeScalingActivitiesAsync(i.Deserialize(AutoScalingJsonContext.Default.DescribeScalingActivitiesRequest)!),
        ["SuspendProcesses"] = (f, i) => f.AutoScaling().SuspendProcessesAsync(i.Deserialize(AutoScalingJsonContext.Default.SuspendProcessesRequest)!),
        ["ResumeProcesses"] = (f, i) => f.AutoScaling().ResumeProcessesAsync(i.Deserialize(AutoScalingJsonContext.Default.ResumeProcessesRequest)!),
        ["DescribeListeners"] = (f, i) => f.ElasticLoadBalancingV2().DescribeListenersAsync(i.Deserialize(ElasticLoadBalancingV2JsonContext.Default.DescribeListenersRequest)!),
        ["ModifyListener"] = (f, i) => f.ElasticLoadBalancingV2().ModifyListenerAsync(i.Deserialize(ElasticLoadBalancingV2JsonContext.Default.ModifyListenerRequest)!),
        ["ModifyListener.AuthenticateOidc"] = (f, i) => f.ElasticLoadBalancingV2().ModifyListenerAsync(i.Deserialize(ElasticLoadBalancingV2JsonContext.Default.ModifyListenerRequest)!),
        ["ModifyListener.EveryActionType"] = (f, i) => f.ElasticLoadBalancingV2().ModifyListenerAsync(i.Deserialize(ElasticLoadBalancingV2JsonContext.Default.ModifyListenerRequest)!),
        ["DescribeRules"] = (f, i) => f.ElasticLoadBalancingV2().DescribeRulesAsync(i.Deserialize(ElasticLoadBalancingV2JsonContext.Default.DescribeRulesRequest)!),
        ["AddTags"] = (f, i) => f.ElasticLoadBalancingV2().AddTagsAsync(i.Deserialize(ElasticLoadBalancingV2JsonContext.Default.AddTagsRequest)!),
        ["ModifyRule"] = (f, i) => f.ElasticLoadBalancingV2().ModifyRuleAsync(i.Deserialize(ElasticLoadBalancingV2JsonContext.Default.ModifyRuleRequest)!),
        ["DescribeTargetGroups"] = (f, i) => f.ElasticLoadBalancingV2().DescribeTargetGroupsAsync(i.Deserialize(ElasticLoadBalancingV2JsonContext.Default.DescribeTargetGroupsRequest)!),
        ["DescribeTargetHealth"] = (f, i) => f.ElasticLoadBalancingV2().DescribeTargetHealthAsync(i.Deserialize(ElasticLoadBalancingV2JsonContext.Default.DescribeTargetHealthRequest)!),
        ["DescribeAlarms"] = (f, i) => f.CloudWatch().DescribeAlarmsAsync(i.Deserialize(CloudWatchJsonContext.Default.DescribeAlarmsRequest)!),
        ["DescribeAlarms.EmptyList"] = (f, i) => f.CloudWatch().DescribeAlarmsAsync(i.Deserialize(CloudWatchJsonContext.Default.DescribeAlarmsRequest)!),
        ["Publish.MessageAttributes"] = (f, i) => QueryMapProbe.For(f).PublishAsync(i.Deserialize(QueryMapProbeJsonContext.Default.PublishWithAttributesRequest)!),
        ["CreateTopic.Attributes"] = (f, i) => QueryMapProbe.For(f).CreateTopicAsync(i.Deserialize(QueryMapProbeJsonContext.Default.CreateTopicRequest)!),
        ["GetCallerIdentity"] = (f, i) => f.SecurityTokenService().GetCallerIdentityAsync(i.Deserialize(SecurityTokenJsonContext.Default.GetCallerIdentityRequest)!),
        ["Publish"] = (f, i) => f.SimpleNotificationService().PublishAsync(i.Deserialize(SimpleNotificationServiceJsonContext.Default.PublishRequest)!),
        ["PublishBatch"] = (f, i) => f.SimpleNotificationService().PublishBatchAsync(i.Deserialize(SimpleNotificationServiceJsonContext.Default.PublishBatchRequest)!),
        ["StartExecution"] = (f, i) => f.StepFunctions().StartExecutionAsync(i.Deserialize(StepFunctionsJsonContext.Default.StartExecutionRequest)!),
        ["DescribeExecution"] = (f, i) => f.StepFunctions().DescribeExecutionAsync(i.Deserialize(StepFunctionsJsonContext.Default.DescribeExecutionRequest)!),
        ["GetExecutionHistory"] = (f, i) => f.StepFunctions().GetExecutionHistoryAsync(i.Deserialize(StepFunctionsJsonContext.Default.GetExecutionHistoryRequest)!),
        ["ListExecutions"] = (f, i) => f.StepFunctions().ListExecutionsAsync(i.Deserialize(StepFunctionsJsonContext.Default.ListExecutionsRequest)!),
        ["SendTaskSuccess"] = (f, i) => f.StepFunctions().SendTaskSuccessAsync(i.Deserialize(StepFunctionsJsonContext.Default.SendTaskSuccessRequest)!),
        ["SendTaskFailure"] = (f, i) => f.StepFunctions().SendTaskFailureAsync(i.Deserialize(StepFunctionsJsonContext.Default.SendTaskFailureRequest)!),
        ["StopExecution"] = (f, i) => f.StepFunctions().StopExecutionAsync(i.Deserialize(StepFunctionsJsonContext.Default.StopExecutionRequest)!),
        ["PutEvaluations"] = (f, i) => f.ConfigService().PutEvaluationsAsync(i.Deserialize(ConfigServiceJsonContext.Default.PutEvaluationsRequest)!),
        ["GetComplianceDetailsByConfigRule"] = (f, i) =>
            f.ConfigService().GetComplianceDetailsByConfigRuleAsync(i.Deserialize(ConfigServiceJsonContext.Default.GetComplianceDetailsByConfigRuleRequest)!),
        ["StartBuild"] = (f, i) => f.CodeBuild().StartBuildAsync(i.Deserialize(CodeBuildJsonContext.Default.StartBuildRequest)!),
        ["DescribeStacks"] = (f, i) => f.CloudFormation().DescribeStacksAsync(i.Deserialize(CloudFormationJsonContext.Default.DescribeStacksRequest)!),
        ["GetTopicAttributes"] = (f, i) => f.SimpleNotificationService().GetTopicAttributesAsync(i.Deserialize(SimpleNotificationServiceJsonContext.Default.GetTopicAttributesRequest)!),
        ["ListSubscriptionsByTopic"] = (f, i) =>
            f.SimpleNotificationService().ListSubscriptionsByTopicAsync(i.Deserialize(SimpleNotificationServiceJsonContext.Default.ListSubscriptionsByTopicRequest)!),
        ["DescribeStateMachine"] = (f, i) => f.StepFunctions().DescribeStateMachineAsync(i.Deserialize(StepFunctionsJsonContext.Default.DescribeStateMachineRequest)!),
        ["DescribeConfigurationRecorderStatus"] = (f, i) =>
            f.ConfigService().DescribeConfigurationRecorderStatusAsync(i.Deserialize(ConfigServiceJsonContext.Default.DescribeConfigurationRecorderStatusRequest)!),
        ["BatchGetBuilds"] = (f, i) => f.CodeBuild().BatchGetBuildsAsync(i.Deserialize(CodeBuildJsonContext.Default.BatchGetBuildsRequest)!),
        ["BatchGetProjects"] = (f, i) => f.CodeBuild().BatchGetProjectsAsync(i.Deserialize(CodeBuildJsonContext.Default.BatchGetProjectsRequest)!),
    };

    public static IReadOnlyCollection<string> Names => Operations.Keys;

    public static Task SendAsync(string operation, AwsClientFactory factory, JsonElement input) => Operations[operation](factory, input);
}
