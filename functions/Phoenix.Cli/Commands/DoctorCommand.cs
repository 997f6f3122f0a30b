using System.CommandLine;
using System.Text.Json.Nodes;
using Phoenix.Aws;
using Phoenix.Aws.Adapters;
using Phoenix.Core.Discovery;
using Phoenix.Core.Doctor;

namespace Phoenix.Cli.Commands;

/// <summary>
/// <c>phoenix doctor [--app NAME] [--stack-name NAME] [--json]</c>: checks a deployment environment (<see cref="EnvironmentDoctor"/>)
/// and prints what is wrong and the environment variables to set (a variable <c>phoenix deploy</c> finds by discovery is
/// information, not a problem). Exit 0 no problem found, 1 problems found (or AWS could not be asked who is calling), 2 bad input.
/// </summary>
public static class DoctorCommand
{
    public static Command Create()
    {
        var aws = new AwsCommandOptions();
        var app = CliOptions.Application("Also require this application's topology (default: any application's).", required: false);
        var stackName = CliOptions.Text("--stack-name", "NAME", $"The pipeline stack whose outputs name the state machine, table and topics (default: {EnvironmentDoctor.DefaultStackName}).");
        var json = new Option<bool>("--json") { Description = "Print the checks and the variables to set as JSON." };
        var command = new Command("doctor", "Check a deployment environment (stack outputs, table, state machine, topologies, Config recorder, topics) and say what to fix and set.")
        {
            app, stackName, json,
        };
        aws.AddTo(command);
        command.SetAction((parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            return AwsCommandOptions.RunAsync("doctor", error, async () =>
            {
                var factory = new AwsClientFactory(aws.Settings(parse));

                // Credentials and region first: without them no check can run, and their errors are the usual exit 2 or 1.
                var caller = await AwsCommandOptions.CallerAsync(factory, cancellationToken);
                using var cloudFormation = factory.CloudFormation();
                using var ssm = factory.SimpleSystemsManagement();
                using var dynamoDb = factory.DynamoDb();
                using var stepFunctions = factory.StepFunctions();
                using var config = factory.ConfigService();
                using var sns = factory.SimpleNotificationService();
                var doctor = new EnvironmentDoctor(new DeploymentEnvironmentAdapter(cloudFormation, ssm, dynamoDb, stepFunctions, config, sns));
                var variables = PublishedEnvironment.All
                    .Where(v => v.Variable is not null)
                    .ToDictionary(v => v.Variable!, v => Environment.GetEnvironmentVariable(v.Variable!));
                var report = await doctor.RunAsync(
                    new DoctorRequest(factory.Region.SystemName, variables, parse.GetValue(stackName) ?? EnvironmentDoctor.DefaultStackName, parse.GetValue(app)),
                    cancellationToken);
                if (parse.GetValue(json))
                {
                    await output.WriteLineAsync(Json(report, caller).ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
                }
                else
                {
                    await output.WriteLineAsync($"Checking region {report.Region} as {caller}.");
                    foreach (var line in report.Lines())
                    {
                        await output.WriteLineAsync(line);
                    }
                }

                return report.Healthy ? ExitCodes.Success : ExitCodes.Failed;
            });
        });
        return command;
    }

    private static JsonObject Json(DoctorReport report, string caller)
    {
        var checks = new JsonArray();
        foreach (var check in report.Checks)
        {
            checks.Add((JsonNode)new JsonObject
            {
                ["name"] = check.Name,
                ["status"] = check.Status.ToString().ToLowerInvariant(),
                ["detail"] = check.Detail,
            });
        }

        var variables = new JsonObject();
        var optional = new JsonObject();
        foreach (var variable in report.VariablesToSet)
        {
            (variable.Optional ? optional : variables)[variable.Name] = variable.Value;
        }

        return new JsonObject
        {
            ["region"] = report.Region,
            ["caller"] = caller,
            ["healthy"] = report.Healthy,
            ["problems"] = report.Problems,
            ["checks"] = checks,
            ["set"] = variables,
            ["optional"] = optional,
        };
    }
}
