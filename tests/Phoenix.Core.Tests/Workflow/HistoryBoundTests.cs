using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Phoenix.Asl;
using Phoenix.Cli.Simulation;
using Phoenix.Core.Domain;
using Phoenix.Core.Workflow;

namespace Phoenix.Core.Tests.Workflow;

/// <summary>
/// <see cref="ValidateStep.WorstCaseHistoryEvents"/> against real executions of the shipped definition on the simulated
/// region: one driven to the poll maxima (a bake finishing just before its deadline, a colour healthy just before its
/// deadline, approval, ten traffic steps, a long watch), one with the defaults. When the ASL gains or loses states on the
/// longest path, the maxima run moves away from the bound and this fails: update the bound with the ASL.
/// </summary>
public sealed partial class HistoryBoundTests
{
    /// <summary>How far below the bound a run at the maxima may land: each loop's last poll interval is counted whole.</summary>
    private const int Slack = 40;

    [Fact]
    public async Task WorstCaseHistoryEvents_RunAtPollMaxima_BoundsTheRecordedHistoryTightly()
    {
        const int bakeTimeout = 1800;
        const int healthTimeout = 900;
        var shipped = SimulationTimings.Default;
        var timings = shipped with
        {
            // The bake finishes 30 s before its deadline; instances turn healthy 20 s before the health deadline.
            Bake = TimeSpan.FromSeconds(bakeTimeout - 30),
            ApplicationBoot = TimeSpan.FromSeconds(healthTimeout - 20) - shipped.InstanceLaunch - (shipped.HealthCheckInterval * shipped.HealthyThreshold),
            // Long enough that Auto Scaling does not replace the slow-booting instances before they pass.
            HealthCheckGracePeriod = TimeSpan.FromSeconds(healthTimeout * 2),
        };
        var strategy = DeploymentStrategy.Default with
        {
            TrafficSteps = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100],
            StepWaitSeconds = 30,
            BakeTimeSeconds = 600,
            KeepPreviousSeconds = 60,
            Approval = true,
            HealthTimeoutSeconds = healthTimeout,
            BakeTimeoutSeconds = bakeTimeout,
        };

        var result = await RunAsync(timings, """
            {"application":"web","source":{"commit":"abc","repository":"acme/web"},
             "strategy":{"trafficSteps":[10,20,30,40,50,60,70,80,90,100],"stepWaitSeconds":30,"bakeTimeSeconds":600,
                         "keepPreviousSeconds":60,"approval":true,"healthTimeoutSeconds":900,"bakeTimeoutSeconds":1800}}
            """);
        var bound = ValidateStep.WorstCaseHistoryEvents(strategy);

        Assert.True(result.Status == ExecutionStatus.Succeeded, $"{result.Status}: {result.Error} {result.Cause}");
        Assert.True(Polls(result, "CheckBake") >= (bakeTimeout / 60) - 1, $"bake polled {Polls(result, "CheckBake")} times");
        Assert.True(Polls(result, "CheckHealth") >= (healthTimeout / 15) - 3, $"health polled {Polls(result, "CheckHealth")} times");
        Assert.True(result.History.Count <= bound && result.History.Count >= bound - Slack, $"{result.History.Count} events, bound {bound}; polls: bake {Polls(result, "CheckBake")}, health {Polls(result, "CheckHealth")}, watch {Polls(result, "WatchAlarms")}, end {result.History[^1].Type}");
    }

    [Fact]
    public async Task WorstCaseHistoryEvents_DefaultStrategyRun_IsAboveTheRecordedHistory()
    {
        var result = await RunAsync(SimulationTimings.Default, """{"application":"web","source":{"commit":"abc","repository":"acme/web"}}""");

        Assert.True(result.Status == ExecutionStatus.Succeeded, $"{result.Status}: {result.Error} {result.Cause}");
        Assert.True(result.History.Count <= ValidateStep.WorstCaseHistoryEvents(DeploymentStrategy.Default), $"{result.History.Count} events");
    }

    private static int Polls(ExecutionResult result, string state) =>
        result.History.Count(e => e.Type == "TaskStateEntered" && e.StateName == state);

    private static async Task<ExecutionResult> RunAsync(SimulationTimings timings, string input)
    {
        var clock = new VirtualClock(RegionHarness.Start);
        var region = new SimulatedRegion(clock, timings);
        region.CreateFleet(new FleetSpec(RegionHarness.Application, 2, RegionHarness.InitialImage, 2));
        var catalog = new StepCatalog(
            new WorkflowPorts(region.Topology, region.AutoScaling, region.Ec2, region.LoadBalancer, region.Alarms, region.Baker, region.Locks, region.Ledger, region.Notifier),
            clock);
        var text = Placeholder().Replace(
            File.ReadAllText(Repository.DeployDefinitionPath), m => $"arn:aws:lambda:us-east-1:000000000000:function:phoenix-{m.Groups[1].Value}");
        var tasks = new TaskRegistry();
        AslExecution? execution = null;
        foreach (var step in catalog.Names)
        {
            tasks.Register($"phoenix-{step}", async (request, ct) =>
            {
                var output = await catalog.InvokeAsync(step, request.Input, ct);
                if (request.TaskToken is { } token)
                {
                    clock.CreateTimer(_ => execution!.SendTaskSuccess(token, new JsonObject { ["approvedBy"] = "alice" }), null, TimeSpan.FromMinutes(5), Timeout.InfiniteTimeSpan);
                }

                return output;
            });
        }

        execution = AslEngine.Start(StateMachineDefinition.Parse(text), JsonNode.Parse(input), new ExecutionOptions
        {
            Time = clock,
            Tasks = tasks,
            ExecutionName = "deploy-1",
            StateMachineName = "phoenix-deploy",
        });
        return await execution.Completion.WaitAsync(TimeSpan.FromMinutes(1));
    }

    [GeneratedRegex(@"\$\{(\w+)FunctionArn\}")]
    private static partial Regex Placeholder();
}
