using System.CommandLine;
using Phoenix.Aws;
using Phoenix.Aws.Adapters;
using Phoenix.Core;
using Phoenix.Core.Workflow;

namespace Phoenix.Cli.Commands;

/// <summary>
/// <c>phoenix adopt --app NAME --auto-scaling-group G --listener-arn L [--dry-run]</c>: puts an existing group and its ALB
/// listener under Phoenix (<see cref="FleetAdoption"/>). Exit 0 adopted (or a dry run), 1 refused or failed (rolled back, or
/// what is left named) or AWS failed, 2 bad input.
/// </summary>
public static class AdoptCommand
{
    public static Command Create()
    {
        var aws = new AwsCommandOptions();
        var app = CliOptions.Application("The application name to adopt the fleet as (its topology, lock and ledger are keyed by it).", required: true);
        var group = CliOptions.AutoScalingGroupName("The existing Auto Scaling group that serves now; it becomes blue.");
        var listener = CliOptions.ListenerArn("The Application Load Balancer listener whose default action forwards to the group's target group.");
        var dryRun = new Option<bool>("--dry-run") { Description = "Check and print the plan, changing nothing." };
        var command = new Command("adopt", "Put an existing Auto Scaling group and ALB listener under Phoenix: an idle twin at 0, a 100/0 weighted forward, the topology.")
        {
            app, group, listener, dryRun,
        };
        aws.AddTo(command);
        command.SetAction((parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            return AwsCommandOptions.RunAsync("adopt", error, async () =>
            {
                var factory = new AwsClientFactory(aws.Settings(parse));
                using var autoScaling = factory.AutoScaling();
                using var loadBalancing = factory.ElasticLoadBalancingV2();
                using var ec2 = factory.Ec2();
                using var ssm = factory.SimpleSystemsManagement();
                var adoption = new FleetAdoption(new AutoScalingAdapter(autoScaling), new LoadBalancerAdapter(loadBalancing), new Ec2Adapter(ec2), new ParameterStoreAdapter(ssm));
                try
                {
                    var report = await adoption.RunAsync(
                        new AdoptRequest(parse.GetRequiredValue(app)!, parse.GetRequiredValue(group)!, parse.GetRequiredValue(listener)!, parse.GetValue(dryRun)),
                        cancellationToken);
                    foreach (var line in report.Lines)
                    {
                        await output.WriteLineAsync(line);
                    }

                    return ExitCodes.Success;
                }
                catch (AdoptionRefused ex)
                {
                    await error.WriteLineAsync($"phoenix adopt: refused: {ex.Message}");
                    return ExitCodes.Failed;
                }
                catch (AdoptionFailed ex)
                {
                    await error.WriteLineAsync($"phoenix adopt: {ex.Message}");
                    return ExitCodes.Failed;
                }
            });
        });
        return command;
    }
}
