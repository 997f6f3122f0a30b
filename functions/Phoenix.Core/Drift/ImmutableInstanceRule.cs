using System.Text.Json;
using Phoenix.Core.Ports;

namespace Phoenix.Core.Drift;

/// <summary>
/// The ImmutableInstance custom Config rule (Lambda handler key <c>ImmutableInstance</c>): COMPLIANT when an instance
/// runs its group's current launch-template image, NON_COMPLIANT with an annotation saying why, NOT_APPLICABLE for
/// instances Phoenix does not manage. Change-triggered invocations evaluate the changed instance; periodic ones
/// evaluate every instance of the applications named in the rule parameter <c>applications</c>.
/// </summary>
public sealed class ImmutableInstanceRule(IEc2 ec2, IAutoScaling autoScaling, ITopologyStore topologies, IConfigEvaluations config, TimeProvider time)
{
    private readonly InstanceImageCheck _check = new(ec2, autoScaling, topologies);

    /// <summary>Entry point for the Lambda host: the raw invocation JSON Config sends.</summary>
    public Task<IReadOnlyList<ConfigEvaluation>> EvaluateAsync(string invocationJson, CancellationToken cancellationToken)
    {
        ConfigRuleInvocation? invocation;
        try
        {
            invocation = JsonSerializer.Deserialize(invocationJson, DriftJsonContext.Default.ConfigRuleInvocation);
        }
        catch (JsonException ex)
        {
            throw new ArgumentException($"Config rule invocation is not valid JSON: {ex.Message}", nameof(invocationJson), ex);
        }

        return EvaluateAsync(invocation ?? throw new ArgumentException("Config rule invocation is null.", nameof(invocationJson)), cancellationToken);
    }

    /// <summary>Evaluates, puts the evaluations (at most 100 per PutEvaluations call) and returns them.</summary>
    public async Task<IReadOnlyList<ConfigEvaluation>> EvaluateAsync(ConfigRuleInvocation invocation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        var resultToken = string.IsNullOrWhiteSpace(invocation.ResultToken)
            ? throw new ArgumentException("Config rule invocation has no resultToken.", nameof(invocation))
            : invocation.ResultToken;
        var invoking = ParseInvokingEvent(invocation.InvokingEvent);
        var evaluations = invoking.MessageType switch
        {
            "ConfigurationItemChangeNotification" or "OversizedConfigurationItemChangeNotification" =>
                [await EvaluateChangeAsync(invoking, invocation.EventLeftScope == true, cancellationToken)],
            "ScheduledNotification" => await EvaluateApplicationsAsync(ParseApplications(invocation.RuleParameters), invoking.NotificationCreationTime ?? time.GetUtcNow(), cancellationToken),
            _ => throw new ArgumentException(
                $"Unsupported invokingEvent messageType '{invoking.MessageType}': expected ConfigurationItemChangeNotification, OversizedConfigurationItemChangeNotification or ScheduledNotification.",
                nameof(invocation)),
        };

        // testMode is for rule authors checking permissions; a real invocation always records.
        foreach (var chunk in evaluations.Chunk(IConfigEvaluations.MaxBatch))
        {
            await config.PutEvaluationsAsync(resultToken, chunk, testMode: false, cancellationToken);
        }

        return evaluations;
    }

    private async Task<ConfigEvaluation> EvaluateChangeAsync(ConfigInvokingEvent invoking, bool leftScope, CancellationToken cancellationToken)
    {
        var item = invoking.ConfigurationItem ?? invoking.ConfigurationItemSummary
            ?? throw new ArgumentException("invokingEvent has neither configurationItem nor configurationItemSummary.");
        var resourceId = string.IsNullOrWhiteSpace(item.ResourceId) ? throw new ArgumentException("configurationItem has no resourceId.") : item.ResourceId;
        var resourceType = item.ResourceType ?? DriftEventParser.Ec2InstanceType;
        var ordering = item.ConfigurationItemCaptureTime ?? invoking.NotificationCreationTime ?? time.GetUtcNow();

        if (leftScope || resourceType != DriftEventParser.Ec2InstanceType
            || item.ConfigurationItemStatus is "ResourceDeleted" or "ResourceDeletedNotRecorded" or "ResourceNotRecorded")
        {
            var why = leftScope ? "Resource left the rule's scope." : resourceType != DriftEventParser.Ec2InstanceType ? $"Only {DriftEventParser.Ec2InstanceType} is evaluated." : $"Configuration item status {item.ConfigurationItemStatus}.";
            return new ConfigEvaluation(resourceType, resourceId, Compliance.NotApplicable, why, ordering);
        }

        InstanceFacts facts;
        if (item.Configuration?.ImageId is { } imageId && item.Tags is not null)
        {
            facts = new InstanceFacts(resourceId, imageId, item.Tags, item.Configuration.State?.Name);
        }
        else
        {
            // Oversized items carry only a summary: read the instance itself.
            var described = await ec2.DescribeInstancesAsync([resourceId], cancellationToken);
            var instance = described.FirstOrDefault(i => i.InstanceId == resourceId);
            if (instance is null)
            {
                return new ConfigEvaluation(resourceType, resourceId, Compliance.NotApplicable, "Instance no longer exists.", ordering);
            }

            facts = new InstanceFacts(resourceId, instance.ImageId, instance.Tags, instance.State);
        }

        var check = await _check.CheckAsync(facts, cancellationToken);
        return new ConfigEvaluation(resourceType, resourceId, check.ComplianceType, check.Annotation, ordering);
    }

    private async Task<IReadOnlyList<ConfigEvaluation>> EvaluateApplicationsAsync(IReadOnlyList<string> applications, DateTimeOffset ordering, CancellationToken cancellationToken)
    {
        var evaluations = new List<ConfigEvaluation>();
        foreach (var application in applications)
        {
            var topology = await topologies.GetAsync(application, cancellationToken)
                ?? throw new ArgumentException($"Rule parameter applications names '{application}', which has no Phoenix topology.");
            foreach (var groupName in new[] { topology.Blue.AutoScalingGroupName, topology.Green.AutoScalingGroupName })
            {
                var group = await autoScaling.DescribeAutoScalingGroupAsync(groupName, cancellationToken);
                if (group is null || group.Instances.Count == 0)
                {
                    continue;
                }

                var instances = await ec2.DescribeInstancesAsync(group.Instances.Select(i => i.InstanceId).ToList(), cancellationToken);
                foreach (var instance in instances)
                {
                    var check = await _check.CheckAsync(new InstanceFacts(instance.InstanceId, instance.ImageId, instance.Tags, instance.State), cancellationToken);
                    evaluations.Add(new ConfigEvaluation(DriftEventParser.Ec2InstanceType, instance.InstanceId, check.ComplianceType, check.Annotation, ordering));
                }
            }
        }

        return evaluations;
    }

    private static ConfigInvokingEvent ParseInvokingEvent(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            throw new ArgumentException("Config rule invocation has no invokingEvent.");
        }

        try
        {
            return JsonSerializer.Deserialize(json, DriftJsonContext.Default.ConfigInvokingEvent)
                ?? throw new ArgumentException("invokingEvent is null.");
        }
        catch (JsonException ex)
        {
            throw new ArgumentException($"invokingEvent is not valid JSON: {ex.Message}", ex);
        }
    }

    private static string[] ParseApplications(string? ruleParameters)
    {
        ImmutableInstanceParameters? parameters = null;
        if (!string.IsNullOrWhiteSpace(ruleParameters))
        {
            try
            {
                parameters = JsonSerializer.Deserialize(ruleParameters, DriftJsonContext.Default.ImmutableInstanceParameters);
            }
            catch (JsonException ex)
            {
                throw new ArgumentException($"ruleParameters is not valid JSON: {ex.Message}", ex);
            }
        }

        var applications = (parameters?.Applications ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return applications.Length > 0
            ? applications
            : throw new ArgumentException("A periodic ImmutableInstance evaluation needs the rule parameter applications (comma-separated), e.g. {\"applications\":\"web,api\"}.");
    }
}
