using System.CommandLine;
using System.CommandLine.Parsing;
using System.Text;
using Phoenix.Cli.Commands;

namespace Phoenix.Cli;

/// <summary>
/// The <c>phoenix</c> command line: parses, and when the arguments are wrong says so in one line on stderr and exits 2
/// before any command runs. The values themselves are checked by the options (<see cref="CliOptions"/>) and by each
/// command's validators while parsing; this turns what the parser found into messages that name the option, what it
/// expects and what it got, lists the commands when none (or an unknown one) is given, and suggests the nearest name
/// for a typo.
/// </summary>
public static class PhoenixCli
{
    public const string Description = "phoenix: immutable, image-based blue/green deployments for EC2 Auto Scaling fleets";

    public static RootCommand CreateRoot()
    {
        var root = new RootCommand(Description);
        foreach (var command in CommandCatalog.Create())
        {
            root.Subcommands.Add(command);
        }

        return root;
    }

    public static async Task<int> RunAsync(IReadOnlyList<string> args, InvocationConfiguration configuration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var parse = CreateRoot().Parse(args);
        if (Problem(parse) is { } problem)
        {
            await configuration.Error.WriteLineAsync(problem);
            return ExitCodes.BadInput;
        }

        return await parse.InvokeAsync(configuration, cancellationToken);
    }

    /// <summary>What is wrong with the command line, for a person (null: nothing, run it).</summary>
    public static string? Problem(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        if (parse.Errors.Count == 0)
        {
            // --help (or --version) runs instead of the command: how its options go together does not matter then.
            var runsTheCommand = parse.Action == parse.CommandResult.Command.Action;
            return runsTheCommand && CliOptions.Unmet(parse) is { } unmet ? $"{PathOf(parse.CommandResult)}: {unmet}" : null;
        }

        var result = parse.CommandResult;
        var command = result.Command;
        var path = PathOf(result);
        var unmatched = parse.UnmatchedTokens.Count > 0 ? parse.UnmatchedTokens[0] : null;
        if (command.Subcommands.Count > 0 && command.Action is null)
        {
            // The root and groups such as `asl` do nothing themselves: show what they hold.
            var head = unmatched is null
                ? $"{path}: missing command."
                : $"{path}: unknown command '{unmatched}'.{Suggestion(unmatched, command.Subcommands.Select(c => c.Name))}";
            return head + "\n" + Listing(command, path);
        }

        if (unmatched is not null)
        {
            return unmatched.StartsWith('-')
                ? $"{path}: unknown option '{unmatched}'.{Suggestion(unmatched, OptionNames(command))} Its options: {string.Join(", ", OptionNames(command))}."
                : $"{path}: unexpected argument '{unmatched}'{(command.Arguments.Count == 0 ? $" ({path} takes options only)" : string.Empty)}.";
        }

        var error = parse.Errors[0];
        var form = error.SymbolResult switch
        {
            OptionResult { Option: var option } => CliOptions.FormOf(option),
            ArgumentResult { Argument: var argument } => CliOptions.FormOf(argument),
            _ => null,
        };
        return error.SymbolResult switch
        {
            // Given without its value ("--instances" at the end): the parser never saw a value to check.
            OptionResult { IdentifierToken: not null, Tokens.Count: 0, Option: var option } when option.Arity.MinimumNumberOfValues > 0 =>
                $"{path}: {option.Name}: expected {form ?? "a value"}, got nothing.",
            OptionResult { IdentifierToken: null, Option: { Required: true } option } =>
                $"{path}: missing {option.Name} {option.HelpName}: {form ?? option.Description}.",
            ArgumentResult { Tokens.Count: 0, Argument: var argument } =>
                $"{path}: missing {CliOptions.DisplayName(argument)}: {form ?? argument.Description}.",

            // Our own parsers and validators already wrote the whole message.
            _ => $"{path}: {error.Message}",
        };
    }

    /// <summary>" Did you mean 'X'?" for the nearest of <paramref name="candidates"/>, or nothing when none is near.</summary>
    public static string Suggestion(string typed, IEnumerable<string> candidates)
    {
        ArgumentNullException.ThrowIfNull(typed);
        var best = candidates
            .Select(c => (Name: c, Distance: Distance(typed, c)))
            .Where(c => c.Distance <= Math.Max(1, c.Name.Length / 3) || (typed.Length >= 3 && c.Name.StartsWith(typed, StringComparison.Ordinal)))
            .OrderBy(c => c.Distance)
            .ThenBy(c => c.Name, StringComparer.Ordinal)
            .Select(c => c.Name)
            .FirstOrDefault();
        return best is null ? string.Empty : $" Did you mean '{best}'?";
    }

    /// <summary>Edit distance counting a swap of two neighbours as one edit (the commonest typo: "histroy").</summary>
    public static int Distance(string a, string b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }

    private static string PathOf(CommandResult result)
    {
        var names = new List<string>();
        for (SymbolResult? at = result; at is not null; at = at.Parent)
        {
            if (at is CommandResult { Command: var command })
            {
                names.Add(command is RootCommand ? "phoenix" : command.Name);
            }
        }

        names.Reverse();
        return string.Join(' ', names);
    }

    private static IEnumerable<string> OptionNames(Command command) =>
        command.Options.Where(o => !o.Hidden && o.Name.StartsWith("--", StringComparison.Ordinal)).Select(o => o.Name);

    private static string Listing(Command command, string path)
    {
        var commands = command.Subcommands.Where(c => !c.Hidden).ToList();
        var width = commands.Max(c => c.Name.Length);
        var text = new StringBuilder("Commands:\n");
        foreach (var sub in commands)
        {
            text.Append("  ").Append(sub.Name.PadRight(width)).Append("  ").Append(sub.Description).Append('\n');
        }

        return text.Append("Run '").Append(path).Append(" COMMAND --help' for a command's options.").ToString();
    }
}
