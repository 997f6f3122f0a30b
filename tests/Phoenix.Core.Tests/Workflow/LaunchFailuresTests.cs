using Phoenix.Core.Ports;
using Phoenix.Core.Workflow;

namespace Phoenix.Core.Tests.Workflow;

/// <summary>
/// Failed launches as DescribeScalingActivities reports them, with AWS's StatusMessage texts (from "Troubleshoot Amazon EC2
/// Auto Scaling: EC2 instance launch failures" and the AMI/KMS troubleshooting pages).
/// </summary>
public class LaunchFailuresTests
{
    private const string Group = "phoenix-web-green";
    private static readonly DateTimeOffset Since = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("The image id '[ami-0fedcba9876543210]' does not exist. Launching EC2 instance failed.", LaunchFailures.InvalidImage)]
    [InlineData("Not authorized for images: [ami-0fedcba9876543210]. Launching EC2 instance failed.", LaunchFailures.InvalidImage)]
    [InlineData("Client.InternalError: Client error on launch. Launching EC2 instance failed.", LaunchFailures.KmsKey)]
    [InlineData("Client.InvalidKMSKey.InvalidState: The KMS key provided is in an incorrect state. Launching EC2 instance failed.", LaunchFailures.KmsKey)]
    [InlineData("The security group 'sg-0123456789abcdef0' does not exist in VPC 'vpc-01234567'. Launching EC2 instance failed.", LaunchFailures.InvalidLaunchTemplate)]
    [InlineData("The key pair 'deploy' does not exist. Launching EC2 instance failed.", LaunchFailures.InvalidLaunchTemplate)]
    [InlineData("The specified launch template, with template ID lt-0123456789abcdef0, does not exist.", LaunchFailures.InvalidLaunchTemplate)]
    [InlineData("You have requested more vCPU capacity than your current vCPU limit of 32 allows for the instance bucket that the specified instance type belongs to. Launching EC2 instance failed.", LaunchFailures.Quota)]
    public async Task FindAsync_FailureThatWillNotFixItself_IsPermanentWithAwsMessage(string message, string kind)
    {
        var scaling = new Activities(Failed("a-1", Since.AddMinutes(1), message));

        var failure = Assert.Single(await LaunchFailures.FindAsync(scaling, Group, Since, CancellationToken.None));

        Assert.Equal((kind, true, message), (failure.Kind, failure.Permanent, failure.StatusMessage));
    }

    [Theory]
    [InlineData("There is no Spot capacity available that matches your request. Launching EC2 instance failed.")]
    [InlineData("AMI ami-0fedcba9876543210 is pending, and cannot be run. Launching EC2 instance failed.")]
    [InlineData("Something AWS has never said before.")]
    public async Task FindAsync_FailureAutoScalingMayStillOvercome_IsTransient(string message)
    {
        var scaling = new Activities(Failed("a-1", Since.AddMinutes(1), message));

        var failure = Assert.Single(await LaunchFailures.FindAsync(scaling, Group, Since, CancellationToken.None));

        Assert.Equal((LaunchFailures.Transient, false), (failure.Kind, failure.Permanent));
    }

    [Fact]
    public async Task FindAsync_CapacityMissingInOneOfTwoZones_IsTransient()
    {
        var scaling = new Activities(Failed("a-1", Since.AddMinutes(1), Capacity("us-east-1a", "us-east-1b")));

        var failure = Assert.Single(await LaunchFailures.FindAsync(scaling, Group, Since, CancellationToken.None));

        Assert.Equal((LaunchFailures.InsufficientCapacity, false, "us-east-1a"), (failure.Kind, failure.Permanent, failure.AvailabilityZone));
    }

    [Fact]
    public async Task FindAsync_CapacityMissingInEveryZoneOfGroup_IsPermanent()
    {
        var scaling = new Activities(
            Failed("a-2", Since.AddMinutes(2), Capacity("us-east-1b", "us-east-1c")),
            Failed("a-1", Since.AddMinutes(1), Capacity("us-east-1a", "us-east-1c")));

        var failures = await LaunchFailures.FindAsync(scaling, Group, Since, CancellationToken.None);

        Assert.Equal(["a-2", "a-1"], failures.Select(f => f.ActivityId));
        Assert.All(failures, f => Assert.True(f.Permanent));
    }

    [Fact]
    public async Task FindAsync_OlderAndSuccessfulActivities_AreLeftOut()
    {
        var scaling = new Activities(
            new ScalingActivity("ok", "Successful", null, "Launching a new EC2 instance: i-0123456789abcdef0", null, Since.AddMinutes(3), Since.AddMinutes(4)),
            new ScalingActivity("term", "Failed", "Instance i-1 is not in InService", "Terminating EC2 instance: i-1", null, Since.AddMinutes(2), null),
            Failed("before", Since.AddMinutes(-5), "The image id '[ami-0fedcba9876543210]' does not exist. Launching EC2 instance failed."));

        Assert.Empty(await LaunchFailures.FindAsync(scaling, Group, Since, CancellationToken.None));
    }

    private static string Capacity(string zone, string other) =>
        $"We currently do not have sufficient t3.micro capacity in the Availability Zone you requested ({zone}). Our system will be working on "
        + $"provisioning additional capacity. You can currently get t3.micro capacity by not specifying an Availability Zone in your request or choosing {other}. "
        + "Launching EC2 instance failed.";

    private static ScalingActivity Failed(string id, DateTimeOffset at, string message) =>
        new(id, "Failed", message, "Launching a new EC2 instance.  Status Reason: " + message,
            "At 2026-11-26T12:00:00Z an instance was started in response to a difference between desired and actual capacity, increasing the capacity from 0 to 3.",
            at, at.AddSeconds(5));

    /// <summary>A group in two zones (us-east-1a, us-east-1b) and its activities, newest first.</summary>
    private sealed class Activities(params ScalingActivity[] activities) : IAutoScaling
    {
        public Task<AutoScalingGroup?> DescribeAutoScalingGroupAsync(string groupName, CancellationToken cancellationToken) =>
            Task.FromResult<AutoScalingGroup?>(new AutoScalingGroup(
                groupName, 3, 6, 3, new LaunchTemplateSpecification("lt-0123456789abcdef0", "2"), [], [], AvailabilityZones: ["us-east-1a", "us-east-1b"]));

        public Task<IReadOnlyList<ScalingActivity>> DescribeScalingActivitiesAsync(string groupName, int maxRecords, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<ScalingActivity>>([.. activities.Take(maxRecords)]);

        public Task UpdateAutoScalingGroupAsync(UpdateAutoScalingGroup request, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task SetDesiredCapacityAsync(string groupName, int desiredCapacity, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task TerminateInstanceInAutoScalingGroupAsync(string instanceId, bool shouldDecrementDesiredCapacity, CancellationToken cancellationToken) =>
            throw new NotSupportedException();

        public Task SuspendProcessesAsync(string groupName, IReadOnlyList<string> processes, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task ResumeProcessesAsync(string groupName, IReadOnlyList<string> processes, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task CreateAutoScalingGroupAsync(CreateAutoScalingGroup request, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task DeleteAutoScalingGroupAsync(string groupName, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task CreateOrUpdateTagsAsync(string groupName, IReadOnlyList<GroupTag> tags, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
