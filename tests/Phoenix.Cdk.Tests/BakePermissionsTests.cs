using System.Text.Json.Nodes;
using Phoenix.Cdk.Tests.Support;

namespace Phoenix.Cdk.Tests;

/// <summary>
/// The bake role's EC2 grants hold only if Packer really tags what it creates with the value the role checks: the
/// template's tag maps, the build's -var, the project's environment and the role's conditions are read together.
/// </summary>
[Collection(SynthesizedAppGroup.Name)]
public sealed class BakePermissionsTests(SynthesizedApp app)
{
    private static HclBlock PackerSource =>
        HclBlock.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "packer", "app.pkr.hcl"))).One("source", "amazon-ebs", "app");

    private List<JsonObject> BakeStatements()
    {
        var template = app.JsonOf(app.Stacks.Pipeline);
        var role = Json.Resources(template, "AWS::IAM::Role").Single(r => r.LogicalId.StartsWith("BakeRole", StringComparison.Ordinal)).LogicalId;
        return Json.Resources(template, "AWS::IAM::Policy")
            .Where(p => Json.Many(p.Resource["Properties"]!["Roles"]).Any(r => (string?)r["Ref"] == role))
            .SelectMany(p => Json.Many(p.Resource["Properties"]!["PolicyDocument"]!["Statement"]))
            .Select(s => s.AsObject())
            .ToList();
    }

    private static bool Has(JsonObject statement, string action) => Json.Many(statement["Action"]).Any(a => (string?)a == action);

    [Theory]
    [InlineData("run_tags")]
    [InlineData("run_volume_tags")]
    [InlineData("snapshot_tags")]
    [InlineData("tags")]
    public void PackerTemplate_EveryTagMap_CarriesTheBakeTag(string map) =>
        Assert.Matches($@"\n\s*{LeastPrivilege.BakeTag}\s*=\s*var\.bake_tag\s*\n", PackerSource.Attributes[map]);

    [Fact]
    public void PackerTemplate_RootVolume_EncryptedAtLaunchWithoutACopy()
    {
        var source = PackerSource;
        Assert.False(source.Attributes.ContainsKey("encrypt_boot"));
        var root = Assert.Single(source.All("launch_block_device_mappings"));
        Assert.Equal("true", root.Attributes["encrypted"]);
        Assert.Equal("\"/dev/xvda\"", root.Attributes["device_name"]);
    }

    [Fact]
    public void Project_BakeTag_PassedToPackerWithTheValueTheRoleChecks()
    {
        var project = Json.Resources(app.JsonOf(app.Stacks.Pipeline), "AWS::CodeBuild::Project").Single().Resource["Properties"]!;
        var variable = Json.Many(project["Environment"]!["EnvironmentVariables"]).Single(v => (string?)v["Name"] == "PHOENIX_BAKE_TAG");
        Assert.Equal(app.Stacks.Pipeline.BakeTagValue, (string?)variable["Value"]);
        Assert.Contains("-var \\\"bake_tag=$PHOENIX_BAKE_TAG\\\"", (string?)project["Source"]!["BuildSpec"], StringComparison.Ordinal);
    }

    [Fact]
    public void Role_WhatPackerCreates_OnlyWhenTheRequestCarriesTheBakeTag()
    {
        var statements = BakeStatements();
        foreach (var action in new[] { "ec2:CreateKeyPair", "ec2:CreateSecurityGroup" })
        {
            var held = statements.Single(s => Has(s, action) && s["Condition"] is not null);
            Assert.Equal(app.Stacks.Pipeline.BakeTagValue, (string?)held["Condition"]!["StringEquals"]!["aws:RequestTag/" + LeastPrivilege.BakeTag]);
        }

        var launch = statements.Where(s => Has(s, "ec2:RunInstances")).ToList();
        var instance = launch.Single(s => s["Resource"]!.ToJsonString().Contains(":instance/*", StringComparison.Ordinal));
        Assert.Equal(app.Stacks.Pipeline.BakeTagValue, (string?)instance["Condition"]!["StringEquals"]!["aws:RequestTag/" + LeastPrivilege.BakeTag]);
        Assert.DoesNotContain(launch, s => Json.Many(s["Resource"]).Any(r => r is JsonValue v && v.GetValue<string>() == "*"));
    }

    [Fact]
    public void Role_WhatPackerStopsOrDeletes_OnlyWhenItCarriesTheBakeTag()
    {
        var statements = BakeStatements();
        foreach (var action in new[] { "ec2:TerminateInstances", "ec2:StopInstances", "ec2:DeleteSecurityGroup", "ec2:DeleteKeyPair", "ec2:AuthorizeSecurityGroupIngress" })
        {
            var held = Assert.Single(statements, s => Has(s, action));
            Assert.Equal(app.Stacks.Pipeline.BakeTagValue, (string?)held["Condition"]!["StringEquals"]!["aws:ResourceTag/" + LeastPrivilege.BakeTag]);
        }

        // Nothing the workflow bakes is ever deregistered, deleted or shared by this role.
        foreach (var action in new[] { "ec2:DeregisterImage", "ec2:DeleteSnapshot", "ec2:CopyImage", "ec2:ModifyImageAttribute", "ec2:ModifySnapshotAttribute", "ec2:RegisterImage" })
        {
            Assert.DoesNotContain(statements, s => Has(s, action));
        }
    }
}
