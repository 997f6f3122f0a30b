using Phoenix.Cdk.Tests.Support;

namespace Phoenix.Cdk.Tests;

/// <summary>The bake template (cdk/packer, copied beside the app and uploaded as the bake project's source).</summary>
public sealed class PackerTemplateTests
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "packer");

    private static HclBlock Template => HclBlock.Parse(File.ReadAllText(Path.Combine(Folder, "app.pkr.hcl")));

    [Fact]
    public void Source_AmazonEbs_FiltersTheNewestAmazonOwnedImage()
    {
        var source = Template.One("source", "amazon-ebs", "app");
        var filter = source.All("source_ami_filter").Single();
        Assert.Equal("true", filter.Attributes["most_recent"]);
        Assert.Equal("[\"amazon\"]", filter.Attributes["owners"]);
        Assert.Contains("virtualization-type = \"hvm\"", filter.Attributes["filters"], StringComparison.Ordinal);
        Assert.Contains("root-device-type    = \"ebs\"", filter.Attributes["filters"], StringComparison.Ordinal);
    }

    [Fact]
    public void Source_Tags_IncludeNameEnvironmentBuildTimeAndTheApprovedTag()
    {
        var tags = Template.One("source", "amazon-ebs", "app").Attributes["tags"];
        foreach (var tag in new[] { "Name", "Environment", "BuildTime", "Commit" })
        {
            Assert.Matches($@"\n\s*{tag}\s*=", tags);
        }

        // The approved-image tag comes from the approved_ami_tag variable (the Config rule's setting), not a literal.
        Assert.Contains("(local.approved_key) = local.approved_value", tags, StringComparison.Ordinal);
        var locals = Template.One("locals").Attributes;
        Assert.Contains("var.approved_ami_tag", locals["approved_key"], StringComparison.Ordinal);
        Assert.Contains("var.approved_ami_tag", locals["approved_value"], StringComparison.Ordinal);
        Assert.DoesNotContain("\"baked\"", File.ReadAllText(Path.Combine(Folder, "app.pkr.hcl")), StringComparison.Ordinal);
    }

    [Fact]
    public void Source_Connection_SessionManagerWithTheBakeProfileAndNoSshRule()
    {
        var source = Template.One("source", "amazon-ebs", "app");
        Assert.Equal("\"ssh\"", source.Attributes["communicator"]);
        Assert.Equal("\"session_manager\"", source.Attributes["ssh_interface"]);
        Assert.Equal("var.iam_instance_profile", source.Attributes["iam_instance_profile"]);
        // Nothing that would open or reuse an SSH port: no source CIDRs, no public-IP rule, no given security group.
        foreach (var attribute in new[] { "temporary_security_group_source_cidrs", "temporary_security_group_source_public_ip", "security_group_id", "security_group_ids", "ssh_port" })
        {
            Assert.False(source.Attributes.ContainsKey(attribute), attribute);
        }
    }

    [Fact]
    public void Plugins_Amazon_PinnedToOneRelease()
    {
        var plugins = Template.One("packer").One("required_plugins").Attributes["amazon"];
        Assert.Matches("version\\s*=\\s*\"= \\d+\\.\\d+\\.\\d+\"", plugins);
    }

    [Fact]
    public void Build_Provisioners_ShellScriptsThenConfigFilesThenManifest()
    {
        var build = Template.All("build").Single();
        Assert.Equal("[\"source.amazon-ebs.app\"]", build.Attributes["sources"]);
        var provisioners = build.All("provisioner").ToList();
        Assert.Equal(["shell", "file", "shell"], provisioners.Select(p => p.Labels[0]));
        var scripts = provisioners[0].Attributes["scripts"];
        foreach (var script in new[] { "scripts/install-dependencies.sh", "scripts/configure-app.sh", "scripts/harden-os.sh" })
        {
            Assert.Contains($"\"{script}\"", scripts, StringComparison.Ordinal);
        }

        Assert.Equal("\"configs/\"", provisioners[1].Attributes["source"]);
        Assert.Equal("\"/etc/app/\"", provisioners[1].Attributes["destination"]);
        var manifest = build.One("post-processor", "manifest");
        Assert.Equal("\"manifest.json\"", manifest.Attributes["output"]);
    }

    [Fact]
    public void Build_Packages_InstalledAndRemovedFromTheBakeManifestTheDriftRulesRead()
    {
        Assert.Contains("jsondecode(file(\"${path.root}/bake-manifest.json\"))", Template.One("locals").Attributes["bake"], StringComparison.Ordinal);
        var shell = Template.All("build").Single().All("provisioner").First();
        Assert.Contains("\"PACKAGES=${join(\" \", local.bake.packages)}\"", shell.Attributes["environment_vars"], StringComparison.Ordinal);
        Assert.Contains("\"FORBIDDEN=${join(\" \", local.bake.forbidden)}\"", shell.Attributes["environment_vars"], StringComparison.Ordinal);
        Assert.Contains("dnf -y install $PACKAGES", File.ReadAllText(Path.Combine(Folder, "scripts", "install-dependencies.sh")), StringComparison.Ordinal);
        Assert.Contains("for package in $FORBIDDEN", File.ReadAllText(Path.Combine(Folder, "scripts", "harden-os.sh")), StringComparison.Ordinal);
        Assert.NotEmpty(BakeManifest.Load(Path.Combine(Folder, BakeManifest.FileName)).Packages);
    }

    [Fact]
    public void Scripts_Referenced_ExistAsStrictBashScripts()
    {
        foreach (var script in new[] { "install-dependencies.sh", "configure-app.sh", "harden-os.sh" })
        {
            var text = File.ReadAllText(Path.Combine(Folder, "scripts", script));
            Assert.StartsWith("#!/usr/bin/env bash", text, StringComparison.Ordinal);
            Assert.Contains("set -euo pipefail", text, StringComparison.Ordinal);
        }

        Assert.NotEmpty(Directory.GetFiles(Path.Combine(Folder, "configs")));
    }

    [Fact]
    public void Parse_UnclosedBlock_Throws()
    {
        var error = Assert.Throws<FormatException>(() => HclBlock.Parse("build {\n  sources = []\n"));
        Assert.Contains("build", error.Message, StringComparison.Ordinal);
    }
}
