using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Phoenix.Core.Workflow;

namespace Phoenix.Cli.Commands;

/// <summary>
/// Every option and argument that takes a value is made here, so each checks its value while the command line is
/// parsed, before any command runs, and a bad value is reported as "OPTION: expected FORM, got 'VALUE'" (<see cref="PhoenixCli"/>
/// prints that one line and exits 2). A value that parses is already the right type and in range: commands do not check
/// it again.
/// </summary>
public static partial class CliOptions
{
    private static readonly ConditionalWeakTable<Symbol, string> Forms = [];
    private static readonly ConditionalWeakTable<Command, List<Func<ParseResult, string?>>> Checks = [];

    /// <summary>
    /// Adds a check of how <paramref name="command"/>'s options go together (an option another one excludes, one a
    /// scenario has no use for, a value that may come from the environment instead). It runs once every option and
    /// argument has parsed, so it can read their values and never hides what is wrong with one of them (System.CommandLine
    /// stops converting values at the first failed command validator, which is why these are not validators); it returns
    /// the problem, or null.
    /// </summary>
    public static void Check(Command command, Func<ParseResult, string?> check)
    {
        ArgumentNullException.ThrowIfNull(command);
        Checks.GetOrCreateValue(command).Add(check);
    }

    /// <summary>The first problem the checks of the parsed command find (null: none).</summary>
    public static string? Unmet(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        return Checks.TryGetValue(parse.CommandResult.Command, out var checks)
            ? checks.Select(check => check(parse)).FirstOrDefault(problem => problem is not null)
            : null;
    }

    /// <summary>Whether <paramref name="option"/> is on the command line (not only its default).</summary>
    public static bool Given(ParseResult parse, Option option)
    {
        ArgumentNullException.ThrowIfNull(parse);
        return parse.GetResult(option) is { Implicit: false };
    }

    /// <summary>What <paramref name="symbol"/> expects, in words (e.g. "a whole number from 1 to 60"); null for a flag.</summary>
    public static string? FormOf(Symbol symbol)
    {
        ArgumentNullException.ThrowIfNull(symbol);
        return Forms.TryGetValue(symbol, out var form) ? form : null;
    }

    /// <summary>How a positional argument is named in messages and help: DEFINITION, EXECUTION_ARN.</summary>
    public static string DisplayName(Argument argument)
    {
        ArgumentNullException.ThrowIfNull(argument);
        return argument.HelpName ?? argument.Name.ToUpperInvariant().Replace('-', '_');
    }

    public static Option<int> WholeNumber(string name, int min, int max, int defaultValue, string description)
    {
        var option = new Option<int>(name) { Description = description, HelpName = "N", DefaultValueFactory = _ => defaultValue };
        var form = Expect(option, $"a whole number from {min} to {max}");
        option.CustomParser = result => ReadWholeNumber(result, name, form, min, max) ?? defaultValue;
        return option;
    }

    /// <summary>A whole number that may be left out (null: the command's own default).</summary>
    public static Option<int?> OptionalWholeNumber(string name, int min, int max, string description)
    {
        var option = new Option<int?>(name) { Description = description, HelpName = "N" };
        var form = Expect(option, $"a whole number from {min} to {max}");
        option.CustomParser = result => ReadWholeNumber(result, name, form, min, max);
        return option;
    }

    /// <summary>Any text that is not blank (a reason, a table name, a profile).</summary>
    public static Option<string?> Text(string name, string helpName, string description)
    {
        var option = new Option<string?>(name) { Description = description, HelpName = helpName };
        var form = Expect(option, $"{helpName} (not blank)");
        option.CustomParser = result => Read<string>(result, name, form, value => string.IsNullOrWhiteSpace(value) ? (null, null) : (value, null));
        return option;
    }

    /// <summary>
    /// Adds <c>--table</c> to <paramref name="command"/>, falling back to PHOENIX_TABLE (the PhoenixPipeline stack's
    /// <c>TableName</c> output). An explicit value is checked while parsing. Without <paramref name="needed"/> the command
    /// finds a table neither names at run time (<see cref="TableDiscovery"/>); with it (deploy --local, which reads no SSM
    /// environment) the command is refused before it runs whenever <paramref name="needed"/> says it needs a table and
    /// neither gives one: "no lock and ledger table: pass --table or set PHOENIX_TABLE.". Read the name with <see cref="TableName"/>.
    /// </summary>
    public static Option<string?> Table(Command command, string description, Func<ParseResult, bool>? needed = null)
    {
        ArgumentNullException.ThrowIfNull(command);
        var fallback = needed is null ? $", else the SSM parameter {Phoenix.Core.Discovery.EnvironmentDiscovery.TableParameter}" : string.Empty;
        var option = Text("--table", "TABLE", $"{description} (default: {HistoryCommand.TableVariable}{fallback}).");
        command.Options.Add(option);
        if (needed is not null)
        {
            Check(command, parse => needed(parse) && string.IsNullOrWhiteSpace(TableName(parse, option))
                ? $"no lock and ledger table: pass --table or set {HistoryCommand.TableVariable}."
                : null);
        }

        return option;
    }

    /// <summary>The table <c>--table</c> names, else PHOENIX_TABLE; null only where the command did not need one.</summary>
    public static string? TableName(ParseResult parse, Option<string?> table)
    {
        ArgumentNullException.ThrowIfNull(parse);
        return parse.GetValue(table) ?? Environment.GetEnvironmentVariable(HistoryCommand.TableVariable);
    }

    /// <summary>
    /// An option whose one value <paramref name="check"/> accepts (returning the value) or refuses (returning null and,
    /// optionally, why), with <paramref name="form"/> as what it expects in the message.
    /// </summary>
    public static Option<T?> Checked<T>(string name, string helpName, string description, string form, Func<string, (T? Value, string? Why)> check)
        where T : class
    {
        var option = new Option<T?>(name) { Description = description, HelpName = helpName };
        Expect(option, form);
        option.CustomParser = result => Read(result, name, form, check);
        return option;
    }

    /// <summary><c>--state-machine-arn</c>: a Step Functions state machine ARN (PHOENIX_STATE_MACHINE_ARN is checked where it is read).</summary>
    public static Option<string?> StateMachineArn(string description) => Checked<string>(
        "--state-machine-arn", "ARN", description, StateMachineArnForm, value => AwsCommandOptions.TryParseStateMachineArn(value, out _) ? (value, null) : (null, null));

    public const string StateMachineArnForm = "a state machine ARN (arn:aws:states:REGION:ACCOUNT:stateMachine:NAME)";

    /// <summary><c>--app</c>: a name Validate accepts (the lock, the ledger and the topology are keyed by it).</summary>
    public static Option<string?> Application(string description, bool required)
    {
        var option = new Option<string?>("--app") { Description = description, HelpName = "NAME", Required = required };
        var form = Expect(option, "an application name (a letter or digit, then letters, digits, '-', '_' or '.', at most 64)");
        option.CustomParser = result => Read<string>(result, "--app", form, value => ValidateStep.IsApplicationName(value) ? (value, null) : (null, null));
        return option;
    }

    /// <summary><c>--auto-scaling-group</c>: an Auto Scaling group name as the API takes it (1 to 255 characters, no blank).</summary>
    public static Option<string?> AutoScalingGroupName(string description)
    {
        const string name = "--auto-scaling-group";
        var option = new Option<string?>(name) { Description = description, HelpName = "NAME", Required = true };
        var form = Expect(option, "an Auto Scaling group name (1 to 255 characters, not blank)");
        option.CustomParser = result => Read<string>(result, name, form, value =>
            string.IsNullOrWhiteSpace(value) || value.Length > 255 || value.Any(char.IsControl) ? (null, null) : (value, null));
        return option;
    }

    /// <summary>
    /// <c>--listener-arn</c>: an ELBv2 listener ARN. A load balancer or target group ARN is named as such, since it is the
    /// commonest mix-up (the console shows all three side by side).
    /// </summary>
    public static Option<string?> ListenerArn(string description)
    {
        const string name = "--listener-arn";
        var option = new Option<string?>(name) { Description = description, HelpName = "ARN", Required = true };
        var form = Expect(option, "a listener ARN (arn:aws:elasticloadbalancing:REGION:ACCOUNT:listener/app/NAME/ID/ID)");
        option.CustomParser = result => Read<string>(result, name, form, value =>
            ListenerArnPattern().IsMatch(value) ? (value, null)
            : value.Contains(":loadbalancer/", StringComparison.Ordinal) ? (null, "that is a load balancer ARN; give one of its listeners")
            : value.Contains(":targetgroup/", StringComparison.Ordinal) ? (null, "that is a target group ARN; give the listener that forwards to it")
            : (null, null));
        return option;
    }

    /// <summary><c>--image</c>: an AMI id, the shape Validate accepts.</summary>
    public static Option<string?> Image(string description)
    {
        var option = new Option<string?>("--image") { Description = description, HelpName = "AMI_ID" };
        var form = Expect(option, "an AMI id (ami- followed by 8 or 17 lowercase hex digits)");
        option.CustomParser = result => Read<string>(result, "--image", form, value => ValidateStep.IsImageId(value) ? (value, null) : (null, null));
        return option;
    }

    /// <summary>A file that must exist (a directory, or nothing at that path, is refused naming which).</summary>
    public static Option<FileInfo?> ExistingFile(string name, string what, string description, bool required = false)
    {
        var option = new Option<FileInfo?>(name) { Description = description, HelpName = "FILE", Required = required };
        var form = Expect(option, $"an existing file ({what})");
        option.CustomParser = result => Read(result, name, form, FileAt);
        return option;
    }

    /// <summary>A file to write: its folder must exist and the path must not be a directory, checked before anything runs.</summary>
    public static Option<FileInfo?> NewFile(string name, string what, string description)
    {
        var option = new Option<FileInfo?>(name) { Description = description, HelpName = "FILE" };
        var form = Expect(option, $"a file to write ({what}) in an existing directory");
        option.CustomParser = result => Read<FileInfo>(result, name, form, path =>
            path.Length == 0 ? (null, null)
            : Directory.Exists(path) ? (null, "that is a directory")
            : Path.GetDirectoryName(Path.GetFullPath(path)) is { } folder && !Directory.Exists(folder) ? (null, $"no directory {folder}")
            : (new FileInfo(path), null));
        return option;
    }

    public static Argument<FileInfo> ExistingFileArgument(string name, string what, string description)
    {
        var argument = new Argument<FileInfo>(name) { Description = description, HelpName = name.ToUpperInvariant() };
        var form = Expect(argument, $"an existing file ({what})");
        argument.CustomParser = result => Read(result, DisplayName(argument), form, FileAt)!;
        return argument;
    }

    /// <summary>A Step Functions execution ARN (standard or express), the one an operator command is about.</summary>
    public static Argument<string> ExecutionArn(string description)
    {
        var argument = new Argument<string>("execution") { Description = description, HelpName = "EXECUTION_ARN" };
        var form = Expect(argument, "an execution ARN (arn:aws:states:REGION:ACCOUNT:execution:STATE_MACHINE:NAME)");
        argument.CustomParser = result => Read<string>(result, "EXECUTION_ARN", form, value => AwsCommandOptions.TryParseExecutionArn(value, out _) ? (value, null) : (null, null))!;
        return argument;
    }

    /// <summary>
    /// A JSON value given as a file or as JSON text (<c>--input</c>). Text that starts like JSON (<c>{</c>, <c>[</c>, <c>"</c>)
    /// is JSON text; anything else is a path, so a missing file is reported as missing rather than as bad JSON, a directory
    /// as a directory, and a file that is not JSON as such, with the parser's position.
    /// </summary>
    public static Option<JsonNode?> Json(string name, string description)
    {
        var option = new Option<JsonNode?>(name) { Description = description, HelpName = "FILE|JSON" };
        var form = Expect(option, "a JSON file or JSON text");
        option.CustomParser = result => Read(result, name, form, ReadJson);
        return option;
    }

    /// <summary>Registers what <paramref name="symbol"/> expects and returns it.</summary>
    public static string Expect(Symbol symbol, string form)
    {
        Forms.AddOrUpdate(symbol, form);
        return form;
    }

    private static int? ReadWholeNumber(ArgumentResult result, string name, string form, int min, int max)
    {
        var read = Read<int?>(result, name, form, value =>
            int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) && number >= min && number <= max
                ? (number, null)
                : (null, null));
        return read;
    }

    /// <summary>
    /// Applies <paramref name="parse"/> to the one token; on failure adds "NAME: expected FORM, got 'VALUE'" (and the reason
    /// <paramref name="parse"/> gave, if any) as the parse error.
    /// </summary>
    private static T? Read<T>(ArgumentResult result, string name, string form, Func<string, (T? Value, string? Why)> parse)
    {
        var token = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
        var (value, why) = parse(token);
        if (value is null)
        {
            // One line whatever the reason holds (a JSON parser's message can span two).
            result.AddError($"{name}: expected {form}, got '{token}'{(why is null ? string.Empty : $": {why.ReplaceLineEndings(" ").TrimEnd('.')}")}.");
        }

        return value;
    }

    private static (FileInfo? File, string? Why) FileAt(string path) =>
        File.Exists(path) ? (new FileInfo(path), null)
        : Directory.Exists(path) ? (null, "that is a directory")
        : (null, "no such file");

    private static (JsonNode? Node, string? Why) ReadJson(string value)
    {
        var text = value;
        string? file = null;
        if (!value.TrimStart().StartsWith('{') && !value.TrimStart().StartsWith('[') && !value.TrimStart().StartsWith('"'))
        {
            var (found, why) = FileAt(value);
            if (found is null)
            {
                return (null, why);
            }

            file = found.FullName;
            try
            {
                text = File.ReadAllText(file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return (null, $"cannot read it: {e.Message}");
            }
        }

        // A repeated key is named with where it is; System.Text.Json's own message for it is a bare resource key in
        // the trimmed binary.
        if (!Phoenix.Asl.StrictJson.TryParse(text, out _, out var problems) && problems[0].DuplicateKey is not null)
        {
            return (null, file is null ? problems[0].Message : $"file '{file}' has a {problems[0].Message}");
        }

        try
        {
            // A JSON null is a value too, but no option here accepts it: say so rather than pass null on as "not given".
            var node = JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { AllowDuplicateProperties = false });
            return node is null ? (null, file is null ? "null is not an accepted value" : $"file '{file}' holds null") : (node, null);
        }
        catch (JsonException e)
        {
            return (null, file is null ? $"not valid JSON: {e.Message}" : $"file '{file}' is not valid JSON: {e.Message}");
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^arn:aws(-[a-z]+)*:elasticloadbalancing:[a-z0-9-]+:\d{12}:listener/(app|net|gwy)/[A-Za-z0-9-]{1,32}/[0-9a-f]{1,32}/[0-9a-f]{1,32}$")]
    private static partial System.Text.RegularExpressions.Regex ListenerArnPattern();
}
