using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Phoenix.Cli.Simulation;
using Phoenix.Core.Workflow;

namespace Phoenix.Cli.Commands;

/// <summary>
/// <c>phoenix simulate</c>: runs the real deployment workflow and steps against the simulated region on a virtual
/// clock, showing live progress and a summary (or JSON with <c>--json</c>). Every option is checked before the scenario
/// starts, including whether it applies to the chosen scenario (<see cref="SimulationScenario.NotApplicable"/>).
/// </summary>
public static class SimulateCommand
{
    public const int MaxInstances = 10_000;

    public static Command Create()
    {
        var scenario = new Option<string>("--scenario")
        {
            Description = "Scenario to run (see --list).",
            HelpName = "NAME",
            DefaultValueFactory = _ => ScenarioCatalog.DefaultScenario,
        };
        var scenarioForm = CliOptions.Expect(scenario, "a scenario name (phoenix simulate --list)");
        scenario.CustomParser = result => ReadScenario(result, scenarioForm)!;
        var instances = CliOptions.OptionalWholeNumber("--instances", 1, MaxInstances, $"Fleet capacity (default {ScenarioCatalog.DefaultInstances}).");
        var image = CliOptions.Image("Deploy this image (ami-…) instead of baking one.");
        var steps = new Option<IReadOnlyList<int>?>("--steps") { Description = "Traffic steps in percent, e.g. 10,50,100.", HelpName = "P1,P2,…" };
        var stepsForm = CliOptions.Expect(steps, "traffic percentages from 1 to 100, strictly increasing and ending at 100 (e.g. 10,50,100)");
        steps.CustomParser = result => ReadSteps(result, stepsForm);
        var json = new Option<bool>("--json") { Description = "Print the execution history and the timeline (with --list: the scenarios) as JSON instead." };
        var list = new Option<bool>("--list") { Description = "List the scenarios, one line each." };
        var report = CliOptions.NewFile("--report", "HTML", "Also write a self-contained HTML page: traffic and capacity of each colour over time, and the states as a timeline.");
        var command = new Command("simulate", "Run a whole blue/green deployment on the embedded simulated AWS region (virtual time).")
        {
            scenario, instances, image, steps, json, list, report,
        };
        CliOptions.Check(command, parse =>
        {
            bool Given(Option option) => CliOptions.Given(parse, option);
            if (parse.GetValue(list))
            {
                return new Option[] { scenario, instances, image, steps, report }.FirstOrDefault(Given) is { } extra
                    ? $"{extra.Name} does not go with --list, which lists the scenarios and runs none."
                    : null;
            }

            var chosen = ScenarioCatalog.Find(parse.GetValue(scenario)!)!;
            if (Given(report) && chosen is not DeploymentScenario)
            {
                return $"--report does not apply to scenario '{chosen.Name}': it runs no deployment to chart.";
            }

            return new Option[] { instances, image, steps }.Where(Given).FirstOrDefault(o => chosen.NotApplicable.ContainsKey(o.Name)) is { } refused
                ? $"{refused.Name} does not apply to scenario '{chosen.Name}': {chosen.NotApplicable[refused.Name]}."
                : null;
        });
        command.SetAction(async (parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(list))
            {
                await output.WriteAsync(parse.GetValue(json) ? ListJson() : ListText());
                return ExitCodes.Success;
            }

            var parameters = new ScenarioParameters(parse.GetValue(instances), parse.GetValue(image), parse.GetValue(steps));
            return await ScenarioCatalog.Find(parse.GetValue(scenario)!)!.RunAsync(parameters, new ScenarioOutput(output, parse.InvocationConfiguration.Error, parse.GetValue(json), parse.GetValue(report)), cancellationToken);
        });
        return command;
    }

    private static string? ReadScenario(ArgumentResult result, string form)
    {
        var name = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
        if (ScenarioCatalog.Find(name) is null)
        {
            var names = ScenarioCatalog.All.Select(s => s.Name).ToList();
            result.AddError($"--scenario: expected {form}, got '{name}'.{PhoenixCli.Suggestion(name, names)} Known: {string.Join(", ", names)}.");
            return null;
        }

        return name;
    }

    /// <summary>Whole percentages, then Validate's own rule for traffic steps, so a bad list is refused before anything runs.</summary>
    private static List<int>? ReadSteps(ArgumentResult result, string form)
    {
        var token = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
        var percentages = new List<int>();
        foreach (var part in token.Split(','))
        {
            if (!int.TryParse(part.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var percent))
            {
                result.AddError($"--steps: expected {form}, got '{token}': '{part}' is not a whole percentage.");
                return null;
            }

            percentages.Add(percent);
        }

        if (ValidateStep.TrafficStepsProblem(percentages) is { } problem)
        {
            result.AddError($"--steps: expected {form}, got '{token}': {problem}.");
            return null;
        }

        return percentages;
    }

    private static string ListText()
    {
        var all = ScenarioCatalog.All;
        var width = all.Max(s => s.Name.Length);
        return string.Concat(all.Select(s => $"{s.Name.PadRight(width)}  {s.Description}\n"));
    }

    private static string ListJson()
    {
        var scenarios = new JsonArray();
        foreach (var s in ScenarioCatalog.All)
        {
            var refused = new JsonObject();
            foreach (var (option, why) in s.NotApplicable)
            {
                refused[option] = why;
            }

            scenarios.Add((JsonNode)new JsonObject { ["name"] = s.Name, ["description"] = s.Description, ["notApplicable"] = refused });
        }

        return new JsonObject { ["scenarios"] = scenarios }.ToJsonString(new JsonSerializerOptions
        {
            WriteIndented = true,
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        }) + "\n";
    }
}
