using Phoenix.Asl;

namespace Phoenix.Cli.Workflow;

/// <summary>
/// statemachines/deploy.asl.json as the hosts in this binary run it (the simulation and <c>deploy --local</c>): the file
/// embedded in the binary with each <c>${StepFunctionArn}</c> placeholder replaced, as the CDK stack substitutes it.
/// Embedded rather than shipped beside it so the Native AOT <c>phoenix</c> is one self-contained file (the container
/// image copies only that file).
/// </summary>
public static class DeployDefinition
{
    /// <summary>The function ARN a placeholder becomes; in-process hosts register their Task handlers under it.</summary>
    public static string FunctionArn(string region, string accountId, string step) => $"arn:aws:lambda:{region}:{accountId}:function:phoenix-{step}";

    /// <summary>The manifest resource name the project gives statemachines/deploy.asl.json.</summary>
    public const string ResourceName = "statemachines/deploy.asl.json";

    /// <summary>The embedded definition, or the file at <paramref name="path"/> when one is given.</summary>
    public static StateMachineDefinition Load(IEnumerable<string> stepNames, Func<string, string> functionArn, string? path = null)
    {
        ArgumentNullException.ThrowIfNull(stepNames);
        ArgumentNullException.ThrowIfNull(functionArn);
        var text = path is null ? ReadEmbedded() : File.ReadAllText(path);
        path ??= "the embedded " + ResourceName;
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

    /// <summary>The shipped definition's text as embedded in this build (the AOT binary ships no files beside it).</summary>
    public static string ReadEmbedded()
    {
        using var stream = typeof(DeployDefinition).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"This phoenix build does not embed {ResourceName}.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
