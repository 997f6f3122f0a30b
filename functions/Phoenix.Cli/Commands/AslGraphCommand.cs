using System.CommandLine;
using System.Text.Json;
using Phoenix.Asl;
using Phoenix.Asl.Graph;

namespace Phoenix.Cli.Commands;

/// <summary>
/// <c>phoenix asl graph</c>: prints a Mermaid flowchart of a state machine definition (states, Next/Default/Choice/Catch
/// transitions, Map and Parallel branches). docs/workflow.mmd is this command's output for statemachines/deploy.asl.json,
/// and a test regenerates it, so the picture in the README cannot fall behind the workflow.
/// </summary>
public static class AslGraphCommand
{
    public static Command Create()
    {
        var definition = CliOptions.ExistingFileArgument("definition", "a state machine definition, ASL JSON", "The state machine definition (ASL JSON); ${...} placeholders are fine.");
        var graph = new Command("graph", "Print a Mermaid flowchart of a state machine definition.") { definition };
        graph.SetAction(async (parse, cancellationToken) =>
        {
            var file = parse.GetValue(definition)!;
            string mermaid;
            try
            {
                mermaid = AslGraph.Parse(await File.ReadAllTextAsync(file.FullName, cancellationToken)).ToMermaid();
            }
            catch (Exception ex) when (ex is JsonException or AslDefinitionException or InvalidOperationException)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync($"phoenix asl graph: {file.Name} is not a state machine definition: {ex.Message}");
                return ExitCodes.BadInput;
            }

            await parse.InvocationConfiguration.Output.WriteAsync(mermaid);
            return ExitCodes.Success;
        });
        return graph;
    }
}
