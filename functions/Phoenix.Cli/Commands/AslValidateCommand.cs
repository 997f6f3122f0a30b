using System.CommandLine;
using System.Text.Json.Nodes;
using Phoenix.Asl;

namespace Phoenix.Cli.Commands;

/// <summary>
/// <c>phoenix asl validate</c>: every problem of a definition at once, as Step Functions' ValidateStateMachineDefinition
/// reports them (severity, code, message, location as a JSON Pointer). Exit 0 when there is none, 1 when there are
/// problems, 2 when the file cannot be read. <c>--json</c> prints the API's response shape
/// (<c>{"result": "OK"|"FAIL", "diagnostics": [...], "truncated": false}</c>).
/// </summary>
public static class AslValidateCommand
{
    public static Command Create()
    {
        var definition = CliOptions.ExistingFileArgument("definition", "a state machine definition, ASL JSON", "The state machine definition (ASL JSON); ${...} placeholders are fine.");
        var json = new Option<bool>("--json") { Description = "Print ValidateStateMachineDefinition's response shape as JSON." };
        var validate = new Command("validate", "Check a state machine definition and list every problem with its location.") { definition, json };
        validate.SetAction((parse, cancellationToken) => RunAsync(
            parse.GetValue(definition)!,
            parse.GetValue(json),
            parse.InvocationConfiguration.Output,
            parse.InvocationConfiguration.Error,
            cancellationToken));
        return validate;
    }

    internal static async Task<int> RunAsync(FileInfo file, bool json, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        string text;
        try
        {
            text = await File.ReadAllTextAsync(file.FullName, cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"phoenix asl validate: cannot read definition file '{file.FullName}': {e.Message}");
            return ExitCodes.BadInput;
        }

        var diagnostics = StateMachineDefinition.Validate(text);
        var failed = diagnostics.Any(d => d.Severity == AslDiagnostic.Error);
        if (json)
        {
            var report = new JsonObject
            {
                ["result"] = failed ? "FAIL" : "OK",
                ["diagnostics"] = new JsonArray([.. diagnostics.Select(d => (JsonNode)new JsonObject
                {
                    ["severity"] = d.Severity,
                    ["code"] = d.Code,
                    ["message"] = d.Message,
                    ["location"] = d.Location,
                })]),
                ["truncated"] = false,
            };
            await output.WriteLineAsync(report.ToJsonString(AslRunCommand.Pretty));
        }
        else if (diagnostics.Count == 0)
        {
            await output.WriteLineAsync($"{file.Name}: OK");
        }
        else
        {
            foreach (var d in diagnostics)
            {
                await output.WriteLineAsync($"{file.Name}: {d.Severity} {d.Code} at {d.Location}: {d.Message}");
            }
        }

        return failed ? ExitCodes.Failed : ExitCodes.Success;
    }
}
