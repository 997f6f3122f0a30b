using Phoenix.Asl;

namespace Phoenix.Cli.Workflow;

/// <summary>
/// statemachines/deploy.asl.json as the hosts in this binary run it (the simulation and <c>deploy --local</c>): the file
/// shipped beside the binary with each <c>${StepFunctionArn}</c> placeholder replaced, as the CDK stack substitutes it.
/// </summary>
public static class DeployDefinition
{
    /// <summary>The function ARN a placeholder becomes; in-process hosts register their Task handlers under it.</summary>
    public static string FunctionArn(string region, string accountId, string step) => $"arn:aws:lambda:{region}:{accountId}:function:phoenix-{step}";

    public static StateMachineDefinition Load(IEnumerable<string> stepNames, Func<string, string> functionArn, string? path = null)
    {
        ArgumentNullException.ThrowIfNull(stepNames);
        ArgumentNullException.ThrowIfNull(functionArn);
        path ??= Path.Combine(AppContext.BaseDirectory, "statemachines", "deploy.asl.json");
        var text = File.ReadAllText(path);
        foreach (var step in stepNames)
        {
            text = text.Replace("${" + step + "FunctionArn}", functionArn(step), StringComparison.Ordinal);
        }

        var leftover = text.IndexOf("${", StringComparison.Ordinal);
        if (leftover >= 0)
        {
            var end = text.IndexOf('}', leftover);
            throw new InvalidOperationException(
                $"{path} uses placeholder {text[leftover..(end + 1)]}, which names no workflow step (known: {string.Join(", ", stepNames)}).");
        }

        return StateMachineDefinition.Parse(text);
    }
}
