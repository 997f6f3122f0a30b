using Amazon.CDK;
using Amazon.CDK.AWS.IAM;
using Phoenix.Cdk.Fleet;
using Phoenix.Core.Domain;
using static Phoenix.Cdk.Governance;

namespace Phoenix.Cdk;

/// <summary>
/// The EC2 and IAM grants that cannot name their resources by ARN, each held by what AWS's Service Authorization
/// Reference lets a condition check (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonec2.html):
/// the launch template a launch comes from (<c>ec2:LaunchTemplate</c>), the tags a request puts on what it creates
/// (<c>aws:RequestTag</c>), the tags on what an action touches (<c>aws:ResourceTag</c>), the call a tag is created by
/// (<c>ec2:CreateAction</c>), and for iam:PassRole the role's path and the service it is passed to.
/// </summary>
public static class LeastPrivilege
{
    /// <summary>
    /// IAM path of every fleet's instance role: iam:PassRole is granted on this path only, so a handler can hand a launch
    /// template's instance profile to EC2 but cannot pass any other role of the account.
    /// </summary>
    public const string InstanceRolePath = FleetConventions.InstanceRolePath;

    /// <summary>
    /// Tag the image bake puts on everything Packer creates (build instance, its volumes, the temporary key pair and
    /// security group, the image and its snapshots); its value is the pipeline stack's name. The bake role may stop,
    /// terminate or delete only what carries it.
    /// </summary>
    public const string BakeTag = "PhoenixBake";

    /// <summary>
    /// Pointing a group at another launch-template version is checked as if the caller launched from it (Auto Scaling
    /// requires ec2:RunInstances, iam:PassRole for the template's instance profile and ec2:CreateTags for its tag
    /// specifications of whoever calls UpdateAutoScalingGroup:
    /// https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-launch-template-permissions.html). The
    /// instances themselves are launched by Auto Scaling's service-linked role, not by the handler. So: RunInstances only
    /// from a launch template, and the launch-template resource denied unless it carries Phoenix's application tag
    /// (<see cref="BlueGreenFleet"/> tags its templates); tags only as part of that launch; PassRole only for the fleets'
    /// instance roles and only to EC2.
    /// </summary>
    public static PolicyStatement[] LaunchFromPhoenixTemplates(Stack stack)
    {
        ArgumentNullException.ThrowIfNull(stack);
        var templates = Ec2Arn(stack, "launch-template/*");
        return
        [
            new(new PolicyStatementProps
            {
                Actions = ["ec2:RunInstances"],
                Resources = ["*"],
                Conditions = new Dictionary<string, object>
                {
                    ["ArnLike"] = new Dictionary<string, object> { ["ec2:LaunchTemplate"] = templates },
                },
            }),
            new(new PolicyStatementProps
            {
                Effect = Effect.DENY,
                Actions = ["ec2:RunInstances"],
                Resources = [templates],
                Conditions = new Dictionary<string, object>
                {
                    ["Null"] = new Dictionary<string, object> { ["aws:ResourceTag/" + ApplicationTag] = "true" },
                },
            }),
            new(new PolicyStatementProps
            {
                Actions = ["ec2:CreateTags"],
                Resources = [Ec2Arn(stack, "instance/*"), Ec2Arn(stack, "volume/*"), Ec2Arn(stack, "network-interface/*")],
                Conditions = new Dictionary<string, object>
                {
                    ["StringEquals"] = new Dictionary<string, object> { ["ec2:CreateAction"] = "RunInstances" },
                },
            }),
            PassInstanceRoles(stack),
        ];
    }

    /// <summary>iam:PassRole for the roles on <see cref="InstanceRolePath"/>, to EC2 only.</summary>
    public static PolicyStatement PassInstanceRoles(Stack stack)
    {
        ArgumentNullException.ThrowIfNull(stack);
        return new(new PolicyStatementProps
        {
            Actions = ["iam:PassRole"],
            Resources = [stack.FormatArn(new ArnComponents { Service = "iam", Region = "", Resource = "role", ResourceName = InstanceRolePath.TrimStart('/') + "*" })],
            Conditions = new Dictionary<string, object>
            {
                ["StringEquals"] = new Dictionary<string, object> { ["iam:PassedToService"] = "ec2.amazonaws.com" },
            },
        });
    }

    /// <summary>
    /// Packer's amazon-ebs builder, as cdk/packer/app.pkr.hcl configures it (run_tags, run_volume_tags, tags and
    /// snapshot_tags carry <see cref="BakeTag"/> = <paramref name="bakeTagValue"/>; the root volume is encrypted at launch,
    /// so no unencrypted intermediate image is copied, deregistered or deleted). What it creates must carry the tag in
    /// the request; what it stops, terminates or deletes must carry it already. No ModifyImageAttribute or
    /// ModifySnapshotAttribute: an image or snapshot is never shared with another account.
    /// </summary>
    public static PolicyStatement[] Bake(Stack stack, string bakeTagValue)
    {
        ArgumentNullException.ThrowIfNull(stack);
        var requestTagged = new Dictionary<string, object>
        {
            ["StringEquals"] = new Dictionary<string, object> { ["aws:RequestTag/" + BakeTag] = bakeTagValue },
        };
        var resourceTagged = new Dictionary<string, object>
        {
            ["StringEquals"] = new Dictionary<string, object> { ["aws:ResourceTag/" + BakeTag] = bakeTagValue },
        };
        return
        [
            // The temporary key pair and security group (run_tags are applied at creation).
            new(new PolicyStatementProps
            {
                Actions = ["ec2:CreateKeyPair", "ec2:CreateSecurityGroup"],
                Resources = [Ec2Arn(stack, "key-pair/*"), Ec2Arn(stack, "security-group/*")],
                Conditions = requestTagged,
            }),
            // A security group is created in a VPC, which it only references.
            Allow(["ec2:CreateSecurityGroup"], Ec2Arn(stack, "vpc/*")),
            // The build instance and its volumes carry the tag from the launch request.
            new(new PolicyStatementProps
            {
                Actions = ["ec2:RunInstances"],
                Resources = [Ec2Arn(stack, "instance/*"), Ec2Arn(stack, "volume/*")],
                Conditions = requestTagged,
            }),
            // What the instance is launched from, placed in or attached to (the source image is Amazon's, its snapshot public).
            Allow(["ec2:RunInstances"],
                Ec2Arn(stack, "subnet/*"), Ec2Arn(stack, "security-group/*"), Ec2Arn(stack, "key-pair/*"), Ec2Arn(stack, "network-interface/*"),
                Ec2Arn(stack, "image/*", account: ""), Ec2Arn(stack, "snapshot/*", account: "")),
            // Tags at creation (launch, key pair, security group).
            new(new PolicyStatementProps
            {
                Actions = ["ec2:CreateTags"],
                Resources = [Ec2Arn(stack, "instance/*"), Ec2Arn(stack, "volume/*"), Ec2Arn(stack, "key-pair/*"), Ec2Arn(stack, "security-group/*")],
                Conditions = new Dictionary<string, object>
                {
                    ["StringEquals"] = new Dictionary<string, object>
                    {
                        ["ec2:CreateAction"] = new[] { "RunInstances", "CreateKeyPair", "CreateSecurityGroup" },
                    },
                },
            }),
            // The image and its snapshots are tagged after CreateImage (Packer's tags and snapshot_tags), with the bake tag.
            new(new PolicyStatementProps
            {
                Actions = ["ec2:CreateTags"],
                Resources = [Ec2Arn(stack, "image/*", account: ""), Ec2Arn(stack, "snapshot/*", account: "")],
                Conditions = requestTagged,
            }),
            // SSH to the build instance (the rule is skipped when Packer connects through Session Manager), then clean-up.
            new(new PolicyStatementProps
            {
                Actions = ["ec2:AuthorizeSecurityGroupIngress", "ec2:DeleteSecurityGroup", "ec2:DeleteKeyPair"],
                Resources = [Ec2Arn(stack, "security-group/*"), Ec2Arn(stack, "key-pair/*")],
                Conditions = resourceTagged,
            }),
            new(new PolicyStatementProps
            {
                Actions = ["ec2:StopInstances", "ec2:TerminateInstances", "ec2:CreateImage"],
                Resources = [Ec2Arn(stack, "instance/*")],
                Conditions = resourceTagged,
            }),
            // CreateImage also authorizes the image and the snapshots it creates (untagged until Packer tags them above).
            Allow(["ec2:CreateImage"], Ec2Arn(stack, "image/*", account: ""), Ec2Arn(stack, "snapshot/*", account: "")),
        ];
    }

    private static string Ec2Arn(Stack stack, string resource, string? account = null)
    {
        var parts = resource.Split('/', 2);
        return stack.FormatArn(new ArnComponents
        {
            Service = "ec2",
            Account = account,
            Resource = parts[0],
            ResourceName = parts[1],
        });
    }
}
