using Amazon.CDK;
using Amazon.CDK.AWS.CodeBuild;
using Amazon.CDK.AWS.CodePipeline;
using Amazon.CDK.AWS.CodePipeline.Actions;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.KMS;
using Amazon.CDK.AWS.S3;
using Constructs;
using Newtonsoft.Json.Linq;
using static Phoenix.Cdk.Governance;
using IStageProps = Amazon.CDK.AWS.CodePipeline.IStageProps;
using StageProps = Amazon.CDK.AWS.CodePipeline.StageProps;

namespace Phoenix.Cdk;

public sealed class DeliveryStackProps : StackProps
{
    public required PhoenixSettings Settings { get; init; }

    public required PipelineStack Pipeline { get; init; }
}

/// <summary>
/// git push to deployment: a CodePipeline V2 (QUEUED, so pushes deploy one after another in order) with a
/// CodeConnections source, an optional Packer bake and a Step Functions action that starts the Phoenix workflow.
/// </summary>
/// <remarks>
/// CDK's pipeline and action grants use wildcard S3 actions (s3:GetObject*, s3:List*); every role here is handed to
/// CDK without policy updates and granted explicitly instead.
/// </remarks>
public sealed class DeliveryStack : Stack
{
    public const string PackerFolder = "cdk/packer";

    public const string DeployInputFile = "deploy-input.json";

    /// <summary>The files an image is built from (glob patterns for the pipeline's push trigger).</summary>
    public static readonly IReadOnlyList<string> ImageSourcePaths = [PackerFolder + "/**"];

    public DeliveryStack(Construct scope, string id, DeliveryStackProps props)
        : base(scope, id, props)
    {
        ArgumentNullException.ThrowIfNull(props);
        var settings = props.Settings;
        var engine = props.Pipeline;
        // Both need phoenix:connectionArn and phoenix:repository, so the engine has a bake project whenever this stack exists.
        var bakeProject = engine.BakeProject
            ?? throw new ArgumentException("The delivery stack needs the pipeline stack's bake project, which exists only with phoenix:connectionArn and phoenix:repository.", nameof(props));
        var repository = settings.Repository!.Split('/');

        // Access logs are granted by bucket policy, not the LogDeliveryWrite ACL (ACLs stay disabled).
        Node.SetContext("@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy", true);
        var accessLogs = new Bucket(this, "ArtifactAccessLogs", new BucketProps
        {
            Encryption = BucketEncryption.S3_MANAGED,
            EnforceSSL = true,
            BlockPublicAccess = BlockPublicAccess.BLOCK_ALL,
            ObjectOwnership = ObjectOwnership.BUCKET_OWNER_ENFORCED,
            Versioned = true,
            LifecycleRules = [new LifecycleRule { Expiration = Duration.Days(365) }],
        });
        const string selfLogging = "This is the access-log bucket of the artifact bucket; logging it to itself would loop.";
        SuppressNag(accessLogs, ("AwsSolutions-S1", selfLogging));
        SuppressGuard(accessLogs,
            ("s3_bucket_logging_enabled_check", selfLogging),
            ("s3_bucket_default_encryption_kms_check", "S3 server access logging delivers only to buckets encrypted with S3-managed keys."),
            ("s3_event_notifications_enabled_check", "Nothing consumes access-log object events; they are read on demand."),
            ("s3_bucket_object_lock_enabled_check", "Access logs expire through the lifecycle rule, which object lock would block."));
        var artifactKey = new Key(this, "ArtifactsKey", new KeyProps { EnableKeyRotation = true, Description = "Phoenix delivery pipeline artifacts" });
        LimitKeyGrants(artifactKey);
        Artifacts = new Bucket(this, "Artifacts", new BucketProps
        {
            Encryption = BucketEncryption.KMS,
            EncryptionKey = artifactKey,
            BucketKeyEnabled = true,
            EnforceSSL = true,
            BlockPublicAccess = BlockPublicAccess.BLOCK_ALL,
            ObjectOwnership = ObjectOwnership.BUCKET_OWNER_ENFORCED,
            Versioned = true,
            ServerAccessLogsBucket = accessLogs,
            ServerAccessLogsPrefix = "artifacts/",
            LifecycleRules = [new LifecycleRule { NoncurrentVersionExpiration = Duration.Days(30) }],
        });
        SuppressGuard(Artifacts,
            ("s3_event_notifications_enabled_check", "Pipeline artifacts are passed between actions by CodePipeline itself; nothing subscribes to their object events."),
            ("s3_bucket_object_lock_enabled_check", "Old artifact versions expire through the lifecycle rule, which object lock would block."));
        var useArtifactKey = Allow(["kms:Decrypt", "kms:GenerateDataKey"], artifactKey.KeyArn);
        // The bake's output artifact (deploy-input.json) is encrypted with the bake project's own key, not the bucket's.
        var readBakeOutput = Allow(["kms:Decrypt"], engine.BakeKey.KeyArn);

        var pipelineRole = new Role(this, "PipelineRole", new RoleProps { AssumedBy = new ServicePrincipal("codepipeline.amazonaws.com") });
        var sourceRole = ActionRole("SourceActionRole", pipelineRole);
        var bakeRole = ActionRole("BakeActionRole", pipelineRole);
        var deployRole = ActionRole("DeployActionRole", pipelineRole);
        pipelineRole.AddToPrincipalPolicy(Allow(["sts:AssumeRole"], sourceRole.RoleArn, bakeRole.RoleArn, deployRole.RoleArn));
        pipelineRole.AddToPrincipalPolicy(Allow(["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject"], Artifacts.ArnForObjects("*")));
        pipelineRole.AddToPrincipalPolicy(Allow(["s3:GetBucketVersioning", "s3:GetBucketLocation"], Artifacts.BucketArn));
        pipelineRole.AddToPrincipalPolicy(useArtifactKey);
        sourceRole.AddToPrincipalPolicy(useArtifactKey);
        deployRole.AddToPrincipalPolicy(useArtifactKey);
        if (settings.BakeInPipeline)
        {
            pipelineRole.AddToPrincipalPolicy(readBakeOutput);
            deployRole.AddToPrincipalPolicy(readBakeOutput);
        }

        sourceRole.AddToPrincipalPolicy(Allow(["codestar-connections:UseConnection", "codeconnections:UseConnection"], settings.ConnectionArn!));
        sourceRole.AddToPrincipalPolicy(Allow(["s3:PutObject", "s3:PutObjectAcl", "s3:GetObject"], Artifacts.ArnForObjects("*")));
        bakeRole.AddToPrincipalPolicy(Allow(["codebuild:StartBuild", "codebuild:BatchGetBuilds", "codebuild:StopBuild"], bakeProject.ProjectArn));
        deployRole.AddToPrincipalPolicy(Allow(["states:StartExecution"], engine.StateMachine.StateMachineArn));
        deployRole.AddToPrincipalPolicy(Allow(["states:DescribeExecution"], FormatArn(new ArnComponents
        {
            Service = "states",
            Resource = "execution",
            ResourceName = engine.StateMachine.StateMachineName + ":*",
            ArnFormat = ArnFormat.COLON_RESOURCE_NAME,
        })));
        deployRole.AddToPrincipalPolicy(Allow(["s3:GetObject"], Artifacts.ArnForObjects("*")));
        // The bake project (pipeline stack) reads the checkout and writes the manifest here; the policy lives in this
        // stack so the dependency stays one-way.
        var bakeArtifactAccess = new Policy(this, "BakeArtifactAccess", new PolicyProps
        {
            Roles = [engine.BakeRole],
            Statements =
            [
                Allow(["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject"], Artifacts.ArnForObjects("*")),
                Allow(["s3:GetBucketAcl", "s3:GetBucketLocation"], Artifacts.BucketArn),
                useArtifactKey,
            ],
        });
        const string artifactObjects = "Pipeline artifacts are objects with generated keys under this pipeline's own bucket; executions are named per run.";
        foreach (var role in new[] { pipelineRole, sourceRole, deployRole })
        {
            SuppressNag(role.Node.FindChild("DefaultPolicy"), ("AwsSolutions-IAM5", artifactObjects));
        }

        SuppressNag(bakeArtifactAccess, ("AwsSolutions-IAM5", artifactObjects));

        var source = new Artifact_("Source");
        var sourceAction = new CodeStarConnectionsSourceAction(new CodeStarConnectionsSourceActionProps
        {
            ActionName = "Source",
            ConnectionArn = settings.ConnectionArn!,
            Owner = repository[0],
            Repo = repository[1],
            Branch = settings.Branch,
            Output = source,
            TriggerOnPush = true,
            VariablesNamespace = "SourceVariables",
            Role = sourceRole.WithoutPolicyUpdates(),
        });
        var stages = new List<IStageProps> { new StageProps { StageName = "Source", Actions = [sourceAction] } };

        StateMachineInput input;
        if (settings.BakeInPipeline)
        {
            var baked = new Artifact_("Baked");
            stages.Add(new StageProps
            {
                StageName = "Bake",
                Actions =
                [
                    new CodeBuildAction(new CodeBuildActionProps
                    {
                        ActionName = "Packer",
                        Project = bakeProject,
                        Input = source,
                        Outputs = [baked],
                        Role = bakeRole.WithoutPolicyUpdates(),
                        EnvironmentVariables = new Dictionary<string, IBuildEnvironmentVariable>
                        {
                            ["APPLICATION"] = new BuildEnvironmentVariable { Value = settings.Application },
                            ["PACKER_DIR"] = new BuildEnvironmentVariable { Value = PackerFolder },
                            ["REPOSITORY"] = new BuildEnvironmentVariable { Value = settings.Repository! },
                        },
                    }),
                ],
            });
            // deploy-input.json carries the image id read from Packer's manifest (BakeBuildSpec). The Input is fixed
            // to the file's path inside the artifact below.
            input = StateMachineInput.FilePath(baked.AtPath(DeployInputFile));
        }
        else
        {
            // No image id: the workflow bakes through its own StartBake/CheckBake steps.
            input = StateMachineInput.Literal(new JObject
            {
                ["application"] = settings.Application,
                ["source"] = new JObject
                {
                    ["commit"] = sourceAction.Variables.CommitId,
                    ["repository"] = settings.Repository,
                    ["trigger"] = "codepipeline",
                },
            });
        }

        stages.Add(new StageProps
        {
            StageName = "Deploy",
            Actions =
            [
                new StepFunctionInvokeAction(new StepFunctionsInvokeActionProps
                {
                    ActionName = "Phoenix",
                    StateMachine = engine.StateMachine,
                    StateMachineInput = input,
                    ExecutionNamePrefix = "pipeline",
                    Role = deployRole.WithoutPolicyUpdates(),
                }),
            ],
        });

        DeliveryPipeline = new Pipeline(this, "DeliveryPipeline", new PipelineProps
        {
            PipelineType = PipelineType.V2,
            ExecutionMode = ExecutionMode.QUEUED,
            ArtifactBucket = Artifacts,
            CrossAccountKeys = false,
            RestartExecutionOnUpdate = false,
            Role = pipelineRole.WithoutPolicyUpdates(),
            Stages = [.. stages],
        });
        DeliveryPipeline.Node.AddDependency(pipelineRole, sourceRole, bakeRole, deployRole);
        var cfnPipeline = (CfnPipeline)DeliveryPipeline.Node.DefaultChild!;
        if (settings.BakeInPipeline)
        {
            // CodePipeline's Step Functions action reads the file named by Input from the input artifact: a path inside
            // the artifact (its example: assets/input.json), https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-StepFunctions.html.
            // CDK 2.160's StateMachineInput.FilePath writes ArtifactPath.Location, "Baked::deploy-input.json", which
            // names no file in the artifact; the action would fail on every run.
            cfnPipeline.AddPropertyOverride($"Stages.{stages.Count - 1}.Actions.0.Configuration.Input", DeployInputFile);
        }

        // Only pushes to the branch that touch the image's sources start a run: the image is built from the Packer
        // folder alone, so any other change cannot change what would be deployed. (CDK 2.160's GitPushFilter has
        // tags only; the L1 property takes branches and file paths.) A trigger replaces the source's default
        // change detection.
        cfnPipeline.AddPropertyOverride("Triggers", new object[]
        {
            new Dictionary<string, object>
            {
                ["ProviderType"] = "CodeStarSourceConnection",
                ["GitConfiguration"] = new Dictionary<string, object>
                {
                    ["SourceActionName"] = sourceAction.ActionProperties.ActionName,
                    ["Push"] = new object[]
                    {
                        new Dictionary<string, object>
                        {
                            ["Branches"] = new Dictionary<string, object> { ["Includes"] = new[] { settings.Branch } },
                            ["FilePaths"] = new Dictionary<string, object> { ["Includes"] = ImageSourcePaths.ToArray() },
                        },
                    },
                },
            },
        });
        _ = new CfnOutput(this, "PipelineName", new CfnOutputProps { Value = DeliveryPipeline.PipelineName });
    }

    public Bucket Artifacts { get; }

    public Pipeline DeliveryPipeline { get; }

    private Role ActionRole(string id, Role pipelineRole) => new(this, id, new RoleProps
    {
        AssumedBy = new ArnPrincipal(pipelineRole.RoleArn),
        Description = "Phoenix delivery pipeline action",
    });
}
