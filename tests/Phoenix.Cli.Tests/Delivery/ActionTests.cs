using System.Text.RegularExpressions;
using Phoenix.Cli.Tests.Delivery.Support;
using YamlDotNet.RepresentationModel;

namespace Phoenix.Cli.Tests.Delivery;

/// <summary>
/// The phoenix-deploy composite action and the workflows that use it, read as YAML: what actionlint cannot check for a
/// local action (inputs passed and declared, outputs produced) and the supply-chain rule (third-party actions pinned
/// to a full commit SHA, the version in a comment beside it).
/// </summary>
public sealed partial class ActionTests
{
    private const string ActionPath = ".github/actions/phoenix-deploy/action.yml";
    private const string ScriptPath = ".github/actions/phoenix-deploy/deploy.sh";
    private const string ExamplePath = "examples/github/deploy.yml";

    private static readonly YamlMappingNode Action = Yaml.Load(ActionPath);

    private static IEnumerable<string> FilesWithUses => [ActionPath, .. WorkflowLintTests.Workflows.Select(w => Path.GetRelativePath(Repository.Root, w))];

    [Fact]
    public void Action_Runs_CompositeWithOidcCredentialsFirst()
    {
        var runs = Action.Map("runs");
        Assert.Equal("composite", runs.Text("using"));
        var steps = runs.Items("steps").ToList();
        var credentials = steps[0];
        Assert.StartsWith("aws-actions/configure-aws-credentials@", credentials.Text("uses"), StringComparison.Ordinal);
        var with = credentials.Map("with");
        Assert.Equal("${{ inputs.role-to-assume }}", with.Text("role-to-assume"));
        // OIDC only: the action has no way to take stored keys.
        Assert.DoesNotContain(with.Keys(), k => k.StartsWith("aws-access-key", StringComparison.Ordinal) || k == "aws-secret-access-key");
        Assert.DoesNotContain(Action.Map("inputs").Keys(), k => k.Contains("secret", StringComparison.OrdinalIgnoreCase) || k.Contains("access-key", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Uses_ThirdPartyActions_PinnedToFullShaWithVersionComment()
    {
        var offenders = new List<string>();
        var checkedCount = 0;
        foreach (var file in FilesWithUses)
        {
            var lines = Repository.Read(file).Split('\n');
            for (var i = 0; i < lines.Length; i++)
            {
                var match = UsesLine().Match(lines[i]);
                if (!match.Success || match.Groups["ref"].Value.StartsWith("./", StringComparison.Ordinal))
                {
                    continue;
                }

                // The example names the Phoenix action with a placeholder the user replaces with their Phoenix commit.
                if (file == ExamplePath && match.Groups["ref"].Value == "your-org/phoenix/.github/actions/phoenix-deploy@PHOENIX_REF")
                {
                    continue;
                }

                checkedCount++;
                if (!PinnedRef().IsMatch(match.Groups["ref"].Value) || !match.Groups["version"].Success)
                {
                    offenders.Add($"{file}:{i + 1}: {lines[i].Trim()}");
                }
            }
        }

        Assert.True(checkedCount >= 5, $"only {checkedCount} uses: lines were found");
        Assert.True(offenders.Count == 0, "not pinned to a commit SHA with a # vX comment:\n" + string.Join("\n", offenders));
    }

    [Fact]
    public void Inputs_EveryReference_IsDeclared()
    {
        var declared = Action.Map("inputs").Keys().ToHashSet(StringComparer.Ordinal);
        var referenced = InputReference().Matches(Repository.Read(ActionPath)).Select(m => m.Groups["name"].Value).ToHashSet(StringComparer.Ordinal);

        Assert.Empty(referenced.Except(declared));
        // Every declared input is used: a dead input would be an option that silently does nothing.
        Assert.Empty(declared.Except(referenced));
    }

    [Fact]
    public void DeployStep_Environment_OnlyVariablesTheScriptReads()
    {
        var deploy = Action.Map("runs").Items("steps").Single(s => s.Text("id") == "deploy");
        var script = Repository.Read(ScriptPath);

        Assert.Contains("deploy.sh", deploy.Text("run"), StringComparison.Ordinal);
        foreach (var name in deploy.Map("env").Keys())
        {
            Assert.Contains("${" + name, script, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Outputs_EveryOne_IsWrittenByTheScript()
    {
        var script = Repository.Read(ScriptPath);
        foreach (var (name, output) in Action.Map("outputs").Children.Select(c => (((YamlScalarNode)c.Key).Value!, c.Value)))
        {
            Assert.Equal($"${{{{ steps.deploy.outputs.{name} }}}}", output.Text("value"));
            Assert.Contains($"\"{name}=", script, StringComparison.Ordinal);
        }
    }

    /// <summary>
    /// Issue 14's bar: a user copies the example and sets one role ARN. The workflow reads no other repository variable
    /// and no secret; the state machine and table are found in the region (the action's inputs for them stay empty).
    /// </summary>
    [Fact]
    public void ExampleWorkflow_Configuration_OnlyTheRoleArnVariable()
    {
        var text = File.ReadAllText(Repository.PathOf(ExamplePath));

        var variables = Regex.Matches(text, @"\bvars\.([A-Za-z_][A-Za-z0-9_]*)").Select(m => m.Groups[1].Value).Distinct();
        Assert.Equal(["PHOENIX_ROLE_ARN"], variables);
        Assert.DoesNotContain("secrets.", text, StringComparison.Ordinal);
        Assert.DoesNotContain("state-machine-arn:", text, StringComparison.Ordinal);
        Assert.DoesNotContain("table:", text, StringComparison.Ordinal);
    }

    [Fact]
    public void ExampleWorkflow_PhoenixStep_PassesDeclaredInputsAndEveryRequiredOne()
    {
        var workflow = Yaml.Load(ExamplePath);
        var inputs = Action.Map("inputs");
        var required = inputs.Children.Where(c => c.Value.Text("required") == "true").Select(c => ((YamlScalarNode)c.Key).Value!).ToList();
        var job = workflow.Map("jobs").Map("deploy");
        var step = job.Items("steps").Single(s => s.Text("uses")?.Contains("/.github/actions/phoenix-deploy@", StringComparison.Ordinal) == true);
        var given = step.Map("with").Keys().ToList();

        Assert.Empty(given.Except(inputs.Keys()));
        Assert.Empty(required.Except(given));
        Assert.Equal("write", workflow.Map("permissions").Text("id-token"));
        // A job in an environment presents sub=repo:OWNER/NAME:environment:NAME, which the branch-trusting role refuses.
        Assert.Null(job.Get("environment"));
        Assert.Equal(["main"], ((YamlSequenceNode)workflow.Map("on").Map("push").Get("branches")!).Children.Select(c => ((YamlScalarNode)c).Value));
    }

    [GeneratedRegex(@"^\s*-?\s*uses:\s*(?<ref>\S+)(\s+#\s*(?<version>v\d\S*))?\s*$")]
    private static partial Regex UsesLine();

    [GeneratedRegex(@"^[A-Za-z0-9_.-]+/[A-Za-z0-9_./-]+@[0-9a-f]{40}$")]
    private static partial Regex PinnedRef();

    [GeneratedRegex(@"inputs\.(?<name>[a-z0-9-]+)")]
    private static partial Regex InputReference();
}
