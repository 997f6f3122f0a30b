using Xunit.Abstractions;

namespace Phoenix.Emulator.Tests.Support;

/// <summary>
/// A way moto differs from AWS, met by a test here. The test asserts AWS's documented behaviour; where the emulator
/// answers moto's way instead, it checks what it still can, writes the gap to the test output and skips only that
/// assertion. Listed in the README's known limitations.
/// </summary>
public sealed record MotoGap(string Operation, string Difference)
{
    public static readonly MotoGap DescribeAlarmsMaxRecords = new(
        "CloudWatch DescribeAlarms", "ignores MaxRecords: returns every matching alarm at once and never a NextToken");

    public static readonly MotoGap ExecutionHistoryMaxResults = new(
        "Step Functions GetExecutionHistory", "ignores maxResults: returns the whole history at once and never a nextToken");

    public static readonly MotoGap SetDesiredCapacityAboveMax = new(
        "Auto Scaling SetDesiredCapacity / UpdateAutoScalingGroup", "accepts a desired capacity outside [MinSize, MaxSize]; AWS answers ValidationError");

    public static readonly MotoGap UnknownGroupServerError = new(
        "Auto Scaling SetDesiredCapacity / TerminateInstanceInAutoScalingGroup", "an unknown group or instance is a 500 (an unhandled lookup in moto); AWS answers 400 ValidationError");

    public static readonly MotoGap LaunchTemplateClientToken = new(
        "EC2 CreateLaunchTemplateVersion", "ignores ClientToken: a retry with the same token creates another version; AWS returns the version created first");

    public static readonly MotoGap LaunchTemplateSourceVersion = new(
        "EC2 CreateLaunchTemplateVersion", "ignores SourceVersion: the new version holds only the parameters sent (here the image), not the source version's instance type, security groups or metadata options");

    public static readonly MotoGap InstanceLaunchTemplateVersion = new(
        "Auto Scaling DescribeAutoScalingGroups", "an instance's LaunchTemplate.Version is the template's default version, not the group's version it was launched from (the instance does run the group's version's image); AWS reports the version the instance was launched from");

    public static readonly MotoGap TargetHealthNeverProbed = new(
        "ELBv2 DescribeTargetHealth", "never probes targets: every registered running instance is healthy at once, and a terminated one stays registered as healthy");

    public static readonly MotoGap ModifyListenerUnknownTargetGroup = new(
        "ELBv2 ModifyListener", "accepts a forward to a target group that does not exist; AWS answers TargetGroupNotFound and leaves the listener unchanged");

    public static readonly MotoGap NewAlarmStartsOk = new(
        "CloudWatch PutMetricAlarm", "a new alarm starts in OK (\"Unchecked: Initial alarm creation\"); AWS starts it in INSUFFICIENT_DATA until the first evaluation");

    public static readonly MotoGap PutEvaluationsTestModeOnly = new(
        "Config PutEvaluations", "only TestMode=true is implemented; without it moto answers 500 (NotImplementedError)");

    public static readonly MotoGap CodeBuildRunsNothing = new(
        "CodeBuild StartBuild / BatchGetBuilds", "runs nothing: a build reports SUCCEEDED with no exported environment variables, and idempotencyToken is ignored");

    public static readonly MotoGap ScalingActivitiesEmpty = new(
        "Auto Scaling DescribeScalingActivities", "returns no activities");

    public static readonly MotoGap AuthenticateOnHttpListener = new(
        "ELBv2 CreateListener / ModifyListener", "takes an authenticate-oidc action on an HTTP listener; AWS allows authenticate actions only on HTTPS listeners");

    public static readonly MotoGap OidcClientSecretReturned = new(
        "ELBv2 DescribeListeners / DescribeRules", "returns the authenticate-oidc ClientSecret; AWS never returns it");

    public static readonly MotoGap OidcUseExistingClientSecretStoredAsSent = new(
        "ELBv2 ModifyListener", "stores an authenticate-oidc action as sent: after UseExistingClientSecret=true the stored secret is gone and the flag is echoed back; AWS keeps the existing secret");

    public static readonly MotoGap PlainForwardWithoutForwardConfig = new(
        "ELBv2 ModifyRule / DescribeRules", "reports a forward sent as a plain TargetGroupArn without the one-group ForwardConfig AWS adds");

    public static readonly MotoGap SuspendProcessesUnknownGroup = new(
        "Auto Scaling SuspendProcesses / ResumeProcesses", "an unknown group is a 500 (an unhandled lookup in moto); AWS answers 400 ValidationError");

    public static readonly MotoGap SuspensionReasonEmpty = new(
        "Auto Scaling DescribeAutoScalingGroups", "a suspended process has an empty SuspensionReason; AWS gives \"User suspended at <time>\"");

    public static readonly MotoGap StepFunctionsCannedHistory = new(
        "Step Functions (execution off)", "records executions only: status stays RUNNING and the history is a canned list whose timestamps precede the start date");

    public static readonly MotoGap StopExecutionDropsErrorAndCause = new(
        "Step Functions StopExecution", "drops error and cause (DescribeExecution shows neither); with execution on it answers {} without stopDate and the execution stays RUNNING");

    public static readonly MotoGap StartExecutionWithoutName = new(
        "Step Functions StartExecution (execution on)", "an execution started without a name is named \"None\"; AWS generates a UUID");

    public static readonly MotoGap TaskFailureCauseDropped = new(
        "Step Functions SendTaskFailure (execution on)", "the TaskFailed event carries the error but not the cause");

    public void Met(ITestOutputHelper output)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.WriteLine($"moto differs from AWS: {Operation}: {Difference}. The assertion of AWS's behaviour was skipped here.");
    }
}
