using System.Text;
using Phoenix.Core.Notifications;

namespace Phoenix.Core.Drift;

/// <summary>AWS console deep links for the resources drift talks about.</summary>
public static class ConsoleLinks
{
    public static string For(DriftSignal signal) => signal.Kind switch
    {
        DriftKind.StackDrift => $"{Base(signal.Region)}/cloudformation/home?region={signal.Region}#/stacks/drifts?stackId={Uri.EscapeDataString(signal.ResourceId)}",
        DriftKind.DeploymentStopped => $"{Base(signal.Region)}/states/home?region={signal.Region}#/v2/executions/details/{Uri.EscapeDataString(signal.ResourceId)}",
        _ when signal.ResourceType == DriftEventParser.Ec2InstanceType => $"{Base(signal.Region)}/ec2/home?region={signal.Region}#InstanceDetails:instanceId={signal.ResourceId}",
        _ => ConfigRule(signal.Region, signal.RuleName ?? string.Empty),
    };

    public static string ConfigRule(string region, string rule) =>
        $"{Base(region)}/config/home?region={region}#/rules/details?configRuleName={Uri.EscapeDataString(rule)}";

    private static string Base(string region) => $"https://{region}.console.aws.amazon.com";
}

/// <summary>
/// Builds the chat messages: an alert when something drifts, a follow-up for every replacement (or dry run), and a
/// "resolved" message when it recovers — all in the resource's thread.
/// </summary>
public static class DriftMessages
{
    public const string AlertEvent = "PhoenixDriftDetected";
    public const string ResolvedEvent = "PhoenixDriftResolved";
    public const string ReplacementEvent = "PhoenixDriftReplacement";
    public const string DeploymentStoppedEvent = "PhoenixDeploymentStopped";

    public static ChatNotification Alert(DriftSignal signal, RemediationResult? remediation = null, LockCleanupResult? lockCleanup = null)
    {
        var (title, summary, changed, nextSteps) = signal.Kind switch
        {
            DriftKind.ImageDrift when remediation is { GroupName: null, Application: not null } => (
                $"Drift: {signal.ResourceId} runs outside its application's groups",
                $"{signal.ResourceId} runs outside the groups of {remediation.Application}",
                signal.Annotation ?? "The instance was launched outside a managed group.",
                new[]
                {
                    $"Terminate it: `aws ec2 terminate-instances --instance-ids {signal.ResourceId}`",
                    "Add capacity through the groups only (deploy a new image or change desired capacity); find who launched it in CloudTrail.",
                }),
            DriftKind.ImageDrift => (
                $"Drift: {signal.ResourceId} no longer matches its image",
                $"{signal.ResourceId} drifted from its image{For(remediation?.Application)}",
                signal.Annotation ?? "The instance does not run its group's launch-template image.",
                ImageDriftSteps(signal, remediation)),
            DriftKind.ComplianceRule => (
                $"Drift: {signal.ResourceId} is NON_COMPLIANT with {signal.RuleName}",
                $"{signal.ResourceId} is NON_COMPLIANT with {signal.RuleName}",
                signal.Annotation ?? $"Config evaluated it NON_COMPLIANT with {signal.RuleName}.",
                new[]
                {
                    $"Review the finding: {ConsoleLinks.ConfigRule(signal.Region, signal.RuleName!)}",
                    "Fix it in the image or the stack and deploy; never patch the server in place.",
                }),
            DriftKind.StackDrift => StackDrift(signal),
            DriftKind.DeploymentStopped => DeploymentStopped(signal, lockCleanup),
            _ => throw new ArgumentOutOfRangeException(nameof(signal), signal.Kind, "Unknown drift kind."),
        };

        var description = Describe(signal, changed, remediation, lockCleanup);
        return Notification(signal, title, description, nextSteps, summary, signal.Kind == DriftKind.DeploymentStopped ? DeploymentStoppedEvent : AlertEvent);
    }

    public static ChatNotification Resolved(DriftSignal signal)
    {
        var what = signal.Kind == DriftKind.StackDrift
            ? $"Stack {signal.RuleName} is back IN_SYNC with its template."
            : signal.State == Compliance.NotApplicable
                ? $"{signal.ResourceId} is no longer evaluated by {signal.RuleName} (terminated or out of scope)."
                : $"{signal.ResourceId} is now {signal.State} with {signal.RuleName}.";
        var description = Describe(signal, what, null, null);
        return Notification(signal, $"Resolved: {Subject(signal)}", description, ["No action needed."], $"Resolved: {what}", ResolvedEvent);
    }

    /// <summary>The announcement of a replacement or dry run (every remediation action is announced).</summary>
    public static ChatNotification Replacement(DriftSignal signal, RemediationResult remediation)
    {
        var dry = remediation.Decision == RemediationDecision.DryRun;
        var title = dry ? $"Dry run: would replace {remediation.InstanceId}" : $"Replacing {remediation.InstanceId} from its image";
        var text = new StringBuilder()
            .Append("**Instance:** `").Append(remediation.InstanceId).Append("` in `").Append(remediation.GroupName).Append('`')
            .Append(remediation.Colour is { } colour ? $" ({colour.ToString().ToLowerInvariant()})" : string.Empty).Append('\n')
            .Append("**Application:** ").Append(remediation.Application).Append('\n')
            .Append("**Image:** running `").Append(remediation.RunningImage).Append("`, group image `").Append(remediation.ExpectedImage).Append("`\n")
            .Append("**Action:** ").Append(remediation.Reason).Append('\n')
            .Append(remediation.LedgerId is { } id ? $"**Ledger:** `{id}`\n" : string.Empty)
            .Append("[Open in the EC2 console](").Append(ConsoleLinks.For(signal)).Append(')')
            .ToString();
        string[] next = dry
            ? ["Turn off dryRun in the application's drift policy to replace automatically."]
            : ["Watch the group launch the replacement; it joins the target group once healthy.", $"History: `phoenix history --app {remediation.Application}`"];
        return Notification(signal, title, text, next, title, ReplacementEvent);
    }

    private static (string, string, string, IReadOnlyList<string>) StackDrift(DriftSignal signal) => signal.State == "DETECTION_FAILED"
        ? ($"Drift detection failed for stack {signal.RuleName}",
            $"Drift detection failed for stack {signal.RuleName}",
            "CloudFormation could not finish drift detection for this stack.",
            [$"Retry: `aws cloudformation detect-stack-drift --stack-name {signal.RuleName}`"])
        : ($"Drift: stack {signal.RuleName} has drifted",
            $"Stack {signal.RuleName} drifted ({signal.DriftedResourceCount} resource(s))",
            $"{signal.DriftedResourceCount?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "Some"} resource(s) differ from the template.",
            [
                $"See what changed: `aws cloudformation describe-stack-resource-drifts --stack-name {signal.RuleName} --stack-resource-drift-status-filters MODIFIED DELETED`",
                "Bring the change into the template and deploy it, or revert the change by redeploying the stack.",
            ]);

    private static (string, string, string, IReadOnlyList<string>) DeploymentStopped(DriftSignal signal, LockCleanupResult? lockCleanup)
    {
        var app = signal.Application ?? "unknown application";
        var changed = $"The deployment {signal.State}{(signal.Error is null ? string.Empty : $" with {signal.Error}")}{(signal.Cause is null ? "." : $": {Clip(signal.Cause, 300)}")}";
        var steps = new List<string> { $"Read the execution's history: {ConsoleLinks.For(signal)}" };
        if (lockCleanup is { Released: false, Application: null })
        {
            steps.Add("Check the application's lock by hand before deploying again.");
        }

        if (lockCleanup?.Cleanup?.ManualActionNeeded is { } manual)
        {
            steps.Add(manual);
        }

        steps.Add(signal.Application is null ? "Deploy again once the cause is fixed." : $"Deploy again once the cause is fixed: `phoenix deploy --app {signal.Application}`");
        return ($"Deployment of {app} {signal.State}", $"Deployment of {app} {signal.State}", changed, steps);
    }

    private static IReadOnlyList<string> ImageDriftSteps(DriftSignal signal, RemediationResult? remediation) => remediation?.Decision switch
    {
        RemediationDecision.Replaced => ["Nothing to do: the instance is being replaced from its image (see the next message)."],
        RemediationDecision.DryRun => ["Dry run only: turn off dryRun in the drift policy to replace automatically, or replace it by hand (below)."],
        _ =>
        [
            $"Replace it from its image: `aws autoscaling terminate-instance-in-auto-scaling-group --instance-id {signal.ResourceId} --no-should-decrement-desired-capacity`",
            "Find who changed it: CloudTrail events for the instance, then make that change in the image instead.",
        ],
    };

    private static string Describe(DriftSignal signal, string changed, RemediationResult? remediation, LockCleanupResult? lockCleanup)
    {
        var text = new StringBuilder();
        text.Append("**Resource:** `").Append(Subject(signal)).Append("` (").Append(signal.ResourceType).Append(")\n");
        if (signal.Kind is DriftKind.ImageDrift or DriftKind.ComplianceRule)
        {
            text.Append("**Rule:** `").Append(signal.RuleName).Append("`: ").Append(signal.State)
                .Append(signal.PreviousState is { } previous && previous != signal.State ? $" (was {previous})" : string.Empty).Append('\n');
        }
        else if (signal.Kind == DriftKind.DeploymentStopped && signal.RuleName is not null)
        {
            text.Append("**State machine:** `").Append(signal.RuleName).Append("`\n");
        }

        text.Append("**Account/Region:** ").Append(signal.Account).Append(" / ").Append(signal.Region).Append('\n');
        text.Append("**What changed:** ").Append(changed).Append('\n');
        if (remediation is not null && remediation.Decision is not (RemediationDecision.Replaced or RemediationDecision.DryRun))
        {
            text.Append("**Replacement:** not done: ").Append(remediation.Reason).Append('\n');
        }

        if (lockCleanup?.Cleanup is { } cleanup)
        {
            if (cleanup.ManualActionNeeded is { } manual)
            {
                text.Append("**Manual action needed:** ").Append(manual).Append('\n');
            }

            text.Append("**Cleanup:** ").Append(cleanup.Changed.Count > 0 ? string.Join(" ", cleanup.Changed) : "nothing changed.").Append('\n');
            if (cleanup.LeftAsItWas.Count > 0)
            {
                text.Append("**Left as it was:** ").Append(string.Join(" ", cleanup.LeftAsItWas)).Append('\n');
            }
        }
        else if (lockCleanup is not null)
        {
            text.Append("**Lock:** ").Append(lockCleanup.Reason).Append('\n');
        }

        text.Append('[').Append(LinkText(signal)).Append("](").Append(ConsoleLinks.For(signal)).Append(')');
        return text.ToString();
    }

    private static ChatNotification Notification(DriftSignal signal, string title, string description, IReadOnlyList<string> nextSteps, string summary, string eventType)
    {
        var related = new List<string> { signal.ResourceId };
        if (signal.RuleName is not null && signal.RuleName != signal.ResourceId)
        {
            related.Add(signal.RuleName);
        }

        return ChatNotification.Create(
            new ChatContent(ChatNotification.MarkdownTextType, Clip(title, 250), description, nextSteps),
            new ChatMetadata(signal.ThreadId, Clip(summary, 250), eventType, related));
    }

    private static string Subject(DriftSignal signal) => signal.Kind switch
    {
        DriftKind.StackDrift => $"stack {signal.RuleName}",
        DriftKind.DeploymentStopped => signal.ResourceId[(signal.ResourceId.LastIndexOf(':') + 1)..],
        _ => signal.ResourceId,
    };

    private static string LinkText(DriftSignal signal) => signal.Kind switch
    {
        DriftKind.StackDrift => "Open stack drifts in the CloudFormation console",
        DriftKind.DeploymentStopped => "Open the execution in the Step Functions console",
        _ when signal.ResourceType == DriftEventParser.Ec2InstanceType => "Open in the EC2 console",
        _ => "Open the rule in the Config console",
    };

    private static string For(string? application) => application is null ? string.Empty : $" ({application})";

    private static string Clip(string text, int max) => text.Length <= max ? text : string.Concat(text.AsSpan(0, max - 1), "…");
}
