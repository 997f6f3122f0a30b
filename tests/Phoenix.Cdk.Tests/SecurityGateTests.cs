using Phoenix.Cdk.Tests.Support;

namespace Phoenix.Cdk.Tests;

/// <summary>
/// The security gates over every synthesized template of both app shapes: cdk-nag's AwsSolutions pack and cfn-guard
/// with the Control Tower rules. Zero unsuppressed findings; every suppression has a written reason.
/// </summary>
[Collection(SynthesizedAppGroup.Name)]
public sealed class SecurityGateTests(SynthesizedApp app, AlternateApp alternate)
{
    private IEnumerable<string> Templates => app.TemplateFiles.Concat(alternate.TemplateFiles);

    [Fact]
    public void CdkNag_AwsSolutions_NoUnsuppressedFindings()
    {
        var report = Gates.Run("nag", Templates);
        Assert.Equal(10, (int)report["templates"]!);
        Assert.Empty(Gates.Describe(report["findings"]));
        Assert.NotEmpty(report["suppressed"]!.AsArray());
    }

    [Fact]
    public void CfnGuard_ControlTowerRules_NoUnsuppressedFindings()
    {
        var report = Gates.Run("guard", Templates);
        Assert.Equal(10, (int)report["templates"]!);
        Assert.Empty(Gates.Describe(report["findings"]));
    }

    [Fact]
    public void Suppressions_EveryTemplate_EachCarriesAReason()
    {
        foreach (var synthesized in new[] { app, (SynthesizedApp)alternate })
        {
            foreach (var stack in synthesized.AllStacks)
            {
                foreach (var (id, resource) in synthesized.JsonOf(stack)["Resources"]!.AsObject())
                {
                    var metadata = resource!["Metadata"];
                    foreach (var rule in Json.Many(metadata?["cdk_nag"]?["rules_to_suppress"]))
                    {
                        Assert.True(((string?)rule["reason"])?.Length >= 20, $"{stack.StackName}/{id}: nag suppression {rule["id"]} has no reason");
                    }

                    foreach (var rule in Json.Many(metadata?["guard"]?["SuppressedRules"]))
                    {
                        var reason = (string?)metadata!["phoenix_guard_reasons"]?[(string)rule!];
                        Assert.True(reason?.Length >= 20, $"{stack.StackName}/{id}: guard suppression {rule} has no reason");
                    }
                }
            }
        }
    }
}
