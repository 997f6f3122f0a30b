using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Phoenix.Asl;

namespace Phoenix.Cli.Commands;

/// <summary>
/// <c>phoenix asl run</c>: runs any state machine definition locally on Phoenix.Asl, with Task states answered from a
/// mocks file. stdout holds only the execution's output (or <c>{"error","cause"}</c>), so it can be piped.
/// </summary>
public static class AslRunCommand
{
    internal static readonly JsonSerializerOptions Pretty = new()
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static readonly JsonSerializerOptions Compact = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static Command Create()
    {
        var definition = CliOptions.ExistingFileArgument("definition", "a state machine definition, ASL JSON", "The state machine definition (ASL JSON, JSONPath query language).");
        var input = CliOptions.Json("--input", "Execution input: a JSON file, or JSON text (default {}).");
        var mocks = CliOptions.ExistingFile(
            "--mocks",
            "Task mocks, JSON",
            "JSON object keyed by Task state name; each an ordered list of {\"return\": json} or {\"throw\": {\"error\", \"cause\"}} (the last repeats). A Step Functions Local MockConfigFile is recognised too.");
        var testCase = new Option<string?>("--mock-test-case")
        {
            Description = "The test case of a Step Functions Local MockConfigFile given as --mocks (needed when it has several).",
            HelpName = "NAME",
        };
        var virtualClock = new Option<bool>("--virtual-clock") { Description = "Let waits, retry intervals and timeouts pass instantly (virtual time)." };
        var history = new Option<bool>("--history") { Description = "Write the execution history to stderr, one JSON event per line." };
        var express = new Option<bool>("--express")
        {
            Description = "Run it as an EXPRESS state machine: no 25,000-event history quota (a STANDARD execution that reaches it fails with States.Runtime, as on AWS).",
        };
        var run = new Command("run", "Run a state machine definition locally; Task states answer from --mocks.")
        {
            definition, input, mocks, testCase, virtualClock, history, express,
        };
        run.SetAction((parse, cancellationToken) => RunAsync(
            new RunRequest(parse.GetValue(definition)!, parse.GetValue(input), parse.GetValue(mocks), parse.GetValue(virtualClock), parse.GetValue(history), parse.GetValue(express), parse.GetValue(testCase)),
            parse.InvocationConfiguration.Output,
            parse.InvocationConfiguration.Error,
            cancellationToken));
        return new Command("asl", "Amazon States Language tools.") { run, AslValidateCommand.Create(), AslGraphCommand.Create() };
    }

    internal sealed record RunRequest(FileInfo Definition, JsonNode? Input, FileInfo? Mocks, bool VirtualClock, bool History, bool Express = false, string? MockTestCase = null);

    internal static async Task<int> RunAsync(RunRequest request, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (!TryPrepare(request, out var definition, out var input, out var mocks, out var problem))
        {
            await error.WriteLineAsync($"phoenix asl run: {problem}");
            return ExitCodes.BadInput;
        }

        TimeProvider time = request.VirtualClock ? new VirtualClock(DateTimeOffset.UtcNow) : TimeProvider.System;
        var started = new TaskCompletionSource<AslExecution>(TaskCreationOptions.RunContinuationsAsynchronously);
        var tasks = new TaskRegistry();
        tasks.RegisterDefault(mocks.HandlerFor(started.Task));
        var gate = new object();

        // Time stands still until the mocks can reach the execution (callback tasks complete through it).
        var hold = (time as VirtualClock)?.Hold();
        var execution = AslEngine.Start(definition, input, new ExecutionOptions
        {
            Time = time,
            Tasks = tasks,
            StateMachineName = StateMachineName(request.Definition),
            Type = request.Express ? StateMachineType.Express : StateMachineType.Standard,

            // Only --history prints events; without it none is built or kept, so a long run holds only its current data.
            RecordHistory = false,
            OnEvent = request.History
                ? e =>
                {
                    lock (gate)
                    {
                        error.WriteLine(e.ToJson().ToJsonString(Compact));
                    }
                }
                : null,
        });
        started.SetResult(execution);
        hold?.Dispose();
        await using var stop = cancellationToken.Register(() => execution.Stop("Phoenix.Cancelled", "phoenix asl run was interrupted"));
        var result = await execution.Completion;
        if (mocks.Gap is { } gap)
        {
            await error.WriteLineAsync($"phoenix asl run: {gap}");
            return ExitCodes.BadInput;
        }

        if (result.Status == ExecutionStatus.Succeeded)
        {
            await output.WriteLineAsync(result.Output?.ToJsonString(Pretty) ?? "null");
            return ExitCodes.Success;
        }

        await output.WriteLineAsync(new JsonObject { ["error"] = result.Error, ["cause"] = result.Cause }.ToJsonString(Pretty));
        return ExitCodes.Failed;
    }

    private static bool TryPrepare(RunRequest request, out StateMachineDefinition definition, out JsonNode? input, out TaskMocks mocks, out string? problem)
    {
        definition = null!;
        input = null;
        mocks = TaskMocks.None;
        if (!TryReadFile(request.Definition, "definition", out var text, out problem))
        {
            return false;
        }

        try
        {
            definition = StateMachineDefinition.Parse(text);
        }
        catch (AslDefinitionException e)
        {
            problem = $"invalid definition '{request.Definition.FullName}': {string.Join("; ", e.Errors)}";
            return false;
        }

        input = request.Input ?? new JsonObject();
        var taskStates = TaskStateNames(definition.Json);
        if (request.Mocks is null)
        {
            mocks = TaskMocks.None;
            problem = request.MockTestCase is null ? null : $"--mock-test-case '{request.MockTestCase}' needs a --mocks FILE (a Step Functions Local MockConfigFile).";
            return problem is null;
        }

        if (!TryReadFile(request.Mocks, "--mocks", out var mocksText, out problem))
        {
            return false;
        }

        return TaskMocks.TryParse(mocksText, request.Mocks.FullName, taskStates, StateMachineName(request.Definition), request.MockTestCase, out mocks, out problem);
    }

    private static bool TryReadFile(FileInfo file, string what, out string text, out string? problem)
    {
        text = "";
        problem = null;
        try
        {
            text = File.ReadAllText(file.FullName);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problem = $"cannot read {what} file '{file.FullName}': {e.Message}";
            return false;
        }
    }

    /// <summary>The state machine's name: the definition file's, without .json and .asl (MockConfigFiles are keyed by it).</summary>
    private static string StateMachineName(FileInfo definition)
    {
        var name = Path.GetFileNameWithoutExtension(definition.Name);
        return name.EndsWith(".asl", StringComparison.OrdinalIgnoreCase) ? name[..^4] : name;
    }

    /// <summary>Task state names anywhere in the definition (top level, Parallel branches, Map processors).</summary>
    internal static HashSet<string> TaskStateNames(JsonObject machine)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        void Walk(JsonNode? block)
        {
            if (block?["States"] is not JsonObject states)
            {
                return;
            }

            foreach (var (name, state) in states)
            {
                if (state?["Type"]?.GetValue<string>() == "Task")
                {
                    names.Add(name);
                }

                foreach (var branch in state?["Branches"]?.AsArray() ?? [])
                {
                    Walk(branch);
                }

                Walk(state?["ItemProcessor"] ?? state?["Iterator"]);
            }
        }

        Walk(machine);
        return names;
    }
}
