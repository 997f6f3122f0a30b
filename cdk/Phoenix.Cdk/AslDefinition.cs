using System.Text.RegularExpressions;

namespace Phoenix.Cdk;

/// <summary>The deployment workflow as written in statemachines/deploy.asl.json (the only source of the workflow).</summary>
public static partial class AslDefinition
{
    public static string DefaultPath => Path.Combine(AppContext.BaseDirectory, "statemachines", "deploy.asl.json");

    public static string Load(string? path = null)
    {
        var file = path ?? DefaultPath;
        if (!File.Exists(file))
        {
            throw new FileNotFoundException($"State machine definition '{file}' not found; it is copied to the output by Phoenix.Cdk.csproj.", file);
        }

        return File.ReadAllText(file);
    }

    /// <summary>The distinct <c>${Name}</c> substitution placeholders in a definition, in order of appearance.</summary>
    public static IReadOnlyList<string> Placeholders(string definition) =>
        PlaceholderPattern().Matches(definition).Select(m => m.Groups[1].Value).Distinct(StringComparer.Ordinal).ToList();

    [GeneratedRegex(@"\$\{([A-Za-z0-9_]+)\}")]
    private static partial Regex PlaceholderPattern();
}
