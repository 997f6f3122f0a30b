using System.Text.RegularExpressions;

namespace Phoenix.Cli.Tests.Delivery.Support;

/// <summary>One Dockerfile instruction: its keyword, its arguments (continuation lines joined) and its first line.</summary>
public sealed record Instruction(string Keyword, string Arguments, int Line);

/// <summary>
/// The image rules Phoenix holds its Dockerfile to (the reference design's container practices), each returning the
/// problems it finds so a test can show a rule catches a bad Dockerfile as well as passing ours.
/// </summary>
public static partial class DockerfileRules
{
    /// <summary>Bases known to ship no shell and no package manager.</summary>
    private static readonly string[] ShellLessBases =
        ["mcr.microsoft.com/dotnet/runtime-deps:10.0-noble-chiseled", "gcr.io/distroless/", "cgr.dev/chainguard/static"];

    private static readonly string[] RequiredLabels =
        ["org.opencontainers.image.source", "org.opencontainers.image.revision", "org.opencontainers.image.version"];

    public static IReadOnlyList<Instruction> Parse(string text)
    {
        var instructions = new List<Instruction>();
        var lines = text.Replace("\r", string.Empty, StringComparison.Ordinal).Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var start = i;
            var joined = line;
            while (joined.EndsWith('\\') && i + 1 < lines.Length)
            {
                var next = lines[++i].Trim();
                joined = joined[..^1].TrimEnd() + (next.StartsWith('#') ? string.Empty : " " + next);
            }

            var space = joined.IndexOf(' ', StringComparison.Ordinal);
            instructions.Add(space < 0
                ? new Instruction(joined.ToUpperInvariant(), string.Empty, start + 1)
                : new Instruction(joined[..space].ToUpperInvariant(), joined[(space + 1)..].Trim(), start + 1));
        }

        return instructions;
    }

    /// <summary>The instructions of each stage, in order (a stage starts at its FROM).</summary>
    public static IReadOnlyList<IReadOnlyList<Instruction>> Stages(IReadOnlyList<Instruction> instructions)
    {
        var stages = new List<List<Instruction>>();
        foreach (var instruction in instructions)
        {
            if (instruction.Keyword == "FROM")
            {
                stages.Add([]);
            }

            if (stages.Count > 0)
            {
                stages[^1].Add(instruction);
            }
        }

        return stages;
    }

    /// <summary>Every FROM names its image by digest, so a moved tag cannot change what is built.</summary>
    public static IEnumerable<string> DigestPins(IReadOnlyList<Instruction> instructions) =>
        instructions.Where(i => i.Keyword == "FROM")
            .Where(i => !DigestPinned().IsMatch(i.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries).First(a => !a.StartsWith("--", StringComparison.Ordinal))))
            .Select(i => $"line {i.Line}: FROM {i.Arguments} is not pinned by @sha256 digest");

    /// <summary>A build stage and a final stage that takes only built files from it.</summary>
    public static IEnumerable<string> MultiStage(IReadOnlyList<Instruction> instructions)
    {
        var stages = Stages(instructions);
        if (stages.Count < 2)
        {
            yield return $"{stages.Count} stage(s): the build tools must stay in a stage of their own";
            yield break;
        }

        foreach (var copy in stages[^1].Where(i => i.Keyword is "COPY" or "ADD"))
        {
            if (!copy.Arguments.Contains("--from=", StringComparison.Ordinal))
            {
                yield return $"line {copy.Line}: the final stage copies from the build context ({copy.Keyword} {copy.Arguments}), not from the build stage";
            }
        }
    }

    /// <summary>The final stage runs as a numeric non-root user, set last.</summary>
    public static IEnumerable<string> NonRoot(IReadOnlyList<Instruction> instructions)
    {
        var user = Stages(instructions)[^1].LastOrDefault(i => i.Keyword == "USER");
        if (user is null)
        {
            yield return "the final stage sets no USER (it would run as root)";
            yield break;
        }

        var match = NumericUser().Match(user.Arguments);
        if (!match.Success)
        {
            yield return $"line {user.Line}: USER {user.Arguments} is not numeric uid[:gid] (runAsNonRoot cannot verify a name)";
        }
        else if (match.Groups["uid"].Value == "0" || match.Groups["gid"].Value == "0")
        {
            yield return $"line {user.Line}: USER {user.Arguments} is root";
        }
    }

    /// <summary>The final stage has no shell: a shell-less base, no RUN, and exec-form ENTRYPOINT/CMD.</summary>
    public static IEnumerable<string> NoShell(IReadOnlyList<Instruction> instructions)
    {
        var final = Stages(instructions)[^1];
        var from = final[0].Arguments;
        if (!ShellLessBases.Any(b => from.StartsWith(b, StringComparison.Ordinal)))
        {
            yield return $"line {final[0].Line}: final base {from} is not one known to ship no shell or package manager";
        }

        foreach (var instruction in final.Where(i => i.Keyword == "RUN"))
        {
            yield return $"line {instruction.Line}: RUN in the final stage needs a shell";
        }

        foreach (var instruction in final.Where(i => i.Keyword is "ENTRYPOINT" or "CMD" or "SHELL"))
        {
            if (instruction.Keyword == "SHELL" || !instruction.Arguments.StartsWith('['))
            {
                yield return $"line {instruction.Line}: {instruction.Keyword} {instruction.Arguments} runs through a shell";
            }
        }

        if (!final.Any(i => i.Keyword == "ENTRYPOINT"))
        {
            yield return "the final stage has no ENTRYPOINT";
        }
    }

    /// <summary>OCI labels for source, revision and version, each from a build argument declared in the final stage.</summary>
    public static IEnumerable<string> Labels(IReadOnlyList<Instruction> instructions)
    {
        var final = Stages(instructions)[^1];
        var labels = string.Join(' ', final.Where(i => i.Keyword == "LABEL").Select(i => i.Arguments));
        var arguments = final.Where(i => i.Keyword == "ARG").Select(i => i.Arguments.Split('=')[0]).ToHashSet(StringComparer.Ordinal);
        foreach (var label in RequiredLabels)
        {
            var match = Regex.Match(labels, Regex.Escape(label) + "=\"?\\$\\{?(?<arg>[A-Z_]+)\\}?\"?");
            if (!match.Success)
            {
                yield return $"no {label} label set from a build argument";
            }
            else if (!arguments.Contains(match.Groups["arg"].Value))
            {
                yield return $"{label} uses ${match.Groups["arg"].Value}, which the final stage does not declare with ARG";
            }
        }
    }

    /// <summary>No secret in a layer: no ARG or ENV that names one, no copied credential files, no ADD from a URL.</summary>
    public static IEnumerable<string> NoSecrets(IReadOnlyList<Instruction> instructions)
    {
        foreach (var instruction in instructions)
        {
            if (instruction.Keyword is "ARG" or "ENV")
            {
                foreach (var name in Regex.Matches(instruction.Arguments, @"(?<![\w$])([A-Za-z_][A-Za-z0-9_]*)(?==|\s|$)").Select(m => m.Value))
                {
                    if (SecretName().IsMatch(name))
                    {
                        yield return $"line {instruction.Line}: {instruction.Keyword} {name} would keep a secret in the image's history";
                    }
                }
            }

            if (instruction.Keyword is "COPY" or "ADD" && SecretFile().IsMatch(instruction.Arguments))
            {
                yield return $"line {instruction.Line}: {instruction.Keyword} {instruction.Arguments} copies credentials into a layer";
            }

            if (instruction.Keyword == "ADD" && instruction.Arguments.Contains("://", StringComparison.Ordinal))
            {
                yield return $"line {instruction.Line}: ADD from a URL fetches unverified content";
            }
        }
    }

    [GeneratedRegex(@"@sha256:[0-9a-f]{64}$")]
    private static partial Regex DigestPinned();

    [GeneratedRegex(@"^(?<uid>\d+)(:(?<gid>\d+))?$")]
    private static partial Regex NumericUser();

    [GeneratedRegex(@"(SECRET|PASSWORD|PASSWD|TOKEN|CREDENTIAL|PRIVATE_KEY|ACCESS_KEY|API_KEY)", RegexOptions.IgnoreCase)]
    private static partial Regex SecretName();

    // A path segment, not part of a name: functions/Phoenix.Aws/ is source, .aws/ is a credentials folder.
    [GeneratedRegex(@"((?<![\w.])\.aws\b|(?<![\w.])\.env\b|\.pem\b|id_rsa|(?<![\w.])\.npmrc\b|(?<![\w.])\.netrc\b|credentials)", RegexOptions.IgnoreCase)]
    private static partial Regex SecretFile();
}
