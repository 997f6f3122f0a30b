using System.CommandLine;
using System.Globalization;
using Phoenix.Cli.Simulation;

namespace Phoenix.Cli.Commands;

/// <summary>
/// <c>phoenix simulate</c>: runs the real deployment workflow and steps against the simulated region on a virtual
/// clock, showing live progress and a summary (or JSON with <c>--json</c>).
/// </summary>
public static class SimulateCommand
{
    public const int MaxInstances = 10_000;

    public static Command Create()
    {
        var scenario = new Option<string>("--scenario")
        {
            Description = "Scenario to run (see --list).",
            DefaultValueFactory = _ => ScenarioCatalog.DefaultScenario,
        };
        var instances = new Option<int?>("--instances") { Description = $"Fleet capacity (default {ScenarioCatalog.DefaultInstances})." };
        var image = new Option<string?>("--image") { Description = "Deploy this image (ami-…) instead of baking one." };
        var steps = new Option<string?>("--steps") { Description = "Traffic steps in percent, e.g. 10,50,100." };
        var json = new Option<bool>("--json") { Description = "Print the execution history and the timeline as JSON instead." };
        var list = new Option<bool>("--list") { Description = "List the scenarios, one line each." };
        var command = new Command("simulate", "Run a whole blue/green deployment on the embedded simulated AWS region (virtual time).")
        {
            scenario, instances, image, steps, json, list,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            if (parse.GetValue(list))
            {
                var all = ScenarioCatalog.All;
                var width = all.Max(s => s.Name.Length);
                foreach (var s in all)
                {
                    await output.WriteLineAsync($"{s.Name.PadRight(width)}  {s.Description}");
                }

                return ExitCodes.Success;
            }

            var name = parse.GetValue(scenario) ?? ScenarioCatalog.DefaultScenario;
            var found = ScenarioCatalog.Find(name);
            if (found is null)
            {
                await error.WriteLineAsync(
                    $"phoenix simulate: unknown scenario '{name}'. Known: {string.Join(", ", ScenarioCatalog.All.Select(s => s.Name))} (phoenix simulate --list).");
                return ExitCodes.BadInput;
            }

            if (!TryReadParameters(parse.GetValue(instances), parse.GetValue(image), parse.GetValue(steps), out var parameters, out var problem))
            {
                await error.WriteLineAsync($"phoenix simulate: {problem}");
                return ExitCodes.BadInput;
            }

            return await found.RunAsync(parameters, new ScenarioOutput(output, error, parse.GetValue(json)), cancellationToken);
        });
        return command;
    }

    /// <summary>
    /// Checks what the simulated fleet itself needs (a positive size, a well-formed image id, numeric steps). Whether
    /// the steps make a valid strategy is the workflow's Validate step's call, as it is on AWS.
    /// </summary>
    internal static bool TryReadParameters(int? instances, string? image, string? steps, out ScenarioParameters parameters, out string? problem)
    {
        parameters = new ScenarioParameters();
        problem = null;
        if (instances is <= 0 or > MaxInstances)
        {
            problem = $"--instances {instances} must be between 1 and {MaxInstances}.";
            return false;
        }

        if (image is not null && !SimulatedRegion.IsImageIdShape(image))
        {
            problem = $"--image '{image}' is not an image id (ami- followed by 8 or 17 lowercase hex digits).";
            return false;
        }

        List<int>? trafficSteps = null;
        if (steps is not null)
        {
            trafficSteps = [];
            foreach (var part in steps.Split(','))
            {
                if (!int.TryParse(part.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var percent))
                {
                    problem = $"--steps '{steps}': '{part}' is not a whole percentage (expected e.g. 10,50,100).";
                    return false;
                }

                trafficSteps.Add(percent);
            }
        }

        parameters = new ScenarioParameters(instances, image, trafficSteps);
        return true;
    }
}
