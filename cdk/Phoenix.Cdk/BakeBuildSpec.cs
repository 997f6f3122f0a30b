using Amazon.CDK.AWS.CodeBuild;

namespace Phoenix.Cdk;

/// <summary>
/// The bake build: runs cdk/packer/app.pkr.hcl, reads the image id from Packer's manifest post-processor output and
/// hands it on twice — as the exported variable IMAGE_ID (what the workflow's CheckBake reads from BatchGetBuilds)
/// and as deploy-input.json (what the delivery pipeline's Step Functions action starts the deployment with).
/// APPLICATION must be set by the caller (StartBuild override or the pipeline action); PACKER_DIR is the template's
/// folder inside the source (the project's own source holds only the template; a pipeline checkout holds the repo).
/// </summary>
public static class BakeBuildSpec
{
    public const string PackerVersion = "1.11.2";

    public static BuildSpec Create() => BuildSpec.FromObject(new Dictionary<string, object>
    {
        ["version"] = "0.2",
        ["env"] = new Dictionary<string, object>
        {
            ["variables"] = new Dictionary<string, object>
            {
                ["PACKER_DIR"] = ".",
                ["PACKER_VERSION"] = PackerVersion,
                ["REPOSITORY"] = "",
            },
            ["exported-variables"] = new[] { "IMAGE_ID" },
        },
        ["phases"] = new Dictionary<string, object>
        {
            ["install"] = new Dictionary<string, object>
            {
                ["commands"] = new[]
                {
                    "curl -fsSL -o /tmp/packer.zip https://releases.hashicorp.com/packer/${PACKER_VERSION}/packer_${PACKER_VERSION}_linux_amd64.zip",
                    "unzip -o -q /tmp/packer.zip -d /usr/local/bin",
                    "packer version",
                },
            },
            ["build"] = new Dictionary<string, object>
            {
                ["commands"] = new[]
                {
                    ": \"${APPLICATION:?APPLICATION must name the application to bake}\"",
                    "cd \"$CODEBUILD_SRC_DIR/$PACKER_DIR\"",
                    "packer init .",
                    "packer build -color=false -var \"application=$APPLICATION\" -var \"commit=${CODEBUILD_RESOLVED_SOURCE_VERSION:-unknown}\" -var \"bake_tag=$PHOENIX_BAKE_TAG\" .",
                    "export IMAGE_ID=$(jq -r '.builds[-1].artifact_id' manifest.json | cut -d: -f2)",
                    "case \"$IMAGE_ID\" in ami-*) ;; *) echo \"manifest.json holds no image id: '$IMAGE_ID'\"; exit 1;; esac",
                    "cp manifest.json \"$CODEBUILD_SRC_DIR/manifest.json\"",
                    "jq -n --arg app \"$APPLICATION\" --arg image \"$IMAGE_ID\" --arg commit \"${CODEBUILD_RESOLVED_SOURCE_VERSION:-}\" " +
                        "--arg repo \"$REPOSITORY\" '{application: $app, imageId: $image, source: {commit: $commit, repository: $repo, trigger: \"codepipeline\"}}' " +
                        "> \"$CODEBUILD_SRC_DIR/deploy-input.json\"",
                },
            },
        },
        ["artifacts"] = new Dictionary<string, object>
        {
            ["files"] = new[] { "deploy-input.json", "manifest.json" },
        },
    });
}
