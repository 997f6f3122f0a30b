using Amazon.CDK.AWS.CodeBuild;

namespace Phoenix.Cdk;

/// <summary>
/// The bake build: runs cdk/packer/app.pkr.hcl, reads the image id from Packer's manifest post-processor output and
/// hands it on twice — as the exported variable IMAGE_ID (what the workflow's CheckBake reads from BatchGetBuilds)
/// and as deploy-input.json (what the delivery pipeline's Step Functions action starts the deployment with).
/// APPLICATION must be set by the caller (StartBuild override or the pipeline action); PACKER_DIR (the project's
/// environment) is the template's folder inside the source; every other Packer variable comes as PKR_VAR_* from the
/// project (PipelineStack.BakeVariables). Both downloads are checked against pinned SHA-256 sums before use.
/// </summary>
public static class BakeBuildSpec
{
    public const string PackerVersion = "1.13.1";

    /// <summary>
    /// SHA-256 of packer_1.13.1_linux_amd64.zip as HashiCorp's SHA256SUMS lists it (taken from public install scripts
    /// and package formulas that agree on it; releases.hashicorp.com cannot be reached from this project's machines).
    /// The build refuses any other download.
    /// </summary>
    public const string PackerSha256 = "c3401da41a47d51e2ef3e78a76f625c753b6f19e81681e4cdc3bc6e6f8c699c0";

    /// <summary>Packer's session_manager interface runs AWS's session-manager-plugin, which the build image lacks.</summary>
    public const string SessionManagerPluginVersion = "1.2.245.0";

    /// <summary>SHA-256 of that version's ubuntu_64bit session-manager-plugin.deb (from public build files that agree on it).</summary>
    public const string SessionManagerPluginSha256 = "f1c03d2aaad9f89f73fc70f1c1cdef0e2877a03b86cca3c8b5c97992c6344449";

    /// <summary>The base image Packer starts from: the newest Amazon Linux 2023 (x86_64) owned by Amazon.</summary>
    public const string SourceAmiName = "al2023-ami-2023.*-x86_64";

    public static BuildSpec Create() => BuildSpec.FromObject(new Dictionary<string, object>
    {
        ["version"] = "0.2",
        ["env"] = new Dictionary<string, object>
        {
            ["variables"] = new Dictionary<string, object>
            {
                ["PACKER_VERSION"] = PackerVersion,
                ["PACKER_SHA256"] = PackerSha256,
                ["SSM_PLUGIN_VERSION"] = SessionManagerPluginVersion,
                ["SSM_PLUGIN_SHA256"] = SessionManagerPluginSha256,
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
                    "echo \"${PACKER_SHA256}  /tmp/packer.zip\" | sha256sum -c -",
                    "unzip -o -q /tmp/packer.zip -d /usr/local/bin",
                    "packer version",
                    "curl -fsSL -o /tmp/session-manager-plugin.deb https://s3.amazonaws.com/session-manager-downloads/plugin/${SSM_PLUGIN_VERSION}/ubuntu_64bit/session-manager-plugin.deb",
                    "echo \"${SSM_PLUGIN_SHA256}  /tmp/session-manager-plugin.deb\" | sha256sum -c -",
                    "dpkg -i /tmp/session-manager-plugin.deb",
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
