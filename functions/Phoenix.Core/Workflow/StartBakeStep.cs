using Phoenix.Core.Domain;
using Phoenix.Core.Ports;

namespace Phoenix.Core.Workflow;

public sealed record StartBakeInput(DeploymentRequest Request, DeploymentPlan Plan, ExecutionRef Execution);

/// <summary><see cref="Deadline"/> bounds the CheckBake loop.</summary>
public sealed record StartBakeOutput(string BakeId, string ProjectName, DateTimeOffset Deadline);

/// <summary>
/// Starts the image bake for the request's commit, on a project whose source takes a commit (<see cref="BakeSources"/>). The idempotency token is derived from the execution, so a retried
/// start returns the bake the first attempt started instead of starting a second one.
/// </summary>
public sealed class StartBakeStep(WorkflowPorts ports, TimeProvider time, WorkflowSettings settings)
{
    public async Task<StartBakeOutput> ExecuteAsync(StartBakeInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var project = input.Plan.Topology.BakeProject ?? settings.BakeProject ?? string.Empty;
        // Validate refused this already; checked again because the commit must never reach a project that misreads it.
        if (await BakeSources.ProblemAsync(ports.Baker, input.Plan.Application, project, cancellationToken) is { } problem)
        {
            throw new InvalidDeploymentRequest(char.ToUpperInvariant(problem[0]) + problem[1..] + ".");
        }

        var source = input.Request.Source;
        var token = Tokens.Derive("bake", input.Execution.Id, input.Plan.Application);
        var bakeId = await ports.Baker.StartBakeAsync(
            new BakeRequest(input.Plan.Application, project, source.Commit, source.Repository, token), cancellationToken);
        return new StartBakeOutput(bakeId, project, time.GetUtcNow().AddSeconds(input.Request.Strategy.BakeTimeoutSeconds));
    }
}

public sealed record CheckBakeInput(string BakeId, DateTimeOffset Deadline);

/// <summary><see cref="ImageId"/> is set once <see cref="Done"/>.</summary>
public sealed record CheckBakeOutput(string BakeId, bool Done, string? ImageId);

/// <summary>
/// One poll of the bake: done with an available image, still running (the state machine waits and polls again), or a
/// failure — the bake failed, produced an unusable image, or is still running past its deadline. Reads only.
/// </summary>
public sealed class CheckBakeStep(WorkflowPorts ports, TimeProvider time)
{
    public async Task<CheckBakeOutput> ExecuteAsync(CheckBakeInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var status = await ports.Baker.GetBakeAsync(input.BakeId, cancellationToken);
        switch (status.State)
        {
            case BakeState.Failed:
                throw new BakeFailed($"Bake '{input.BakeId}' failed: {status.Reason ?? "no reason given"}.");
            case BakeState.Succeeded when string.IsNullOrEmpty(status.ImageId):
                throw new BakeFailed($"Bake '{input.BakeId}' succeeded without reporting an image id.");
            case BakeState.Succeeded:
                await ImageCheck.RequireAvailableAsync(ports.Ec2, status.ImageId!, cancellationToken);
                return new CheckBakeOutput(input.BakeId, Done: true, status.ImageId);
            default:
                if (time.GetUtcNow() >= input.Deadline)
                {
                    throw new BakeFailed($"Bake '{input.BakeId}' is still running at its deadline {input.Deadline:O}.");
                }

                return new CheckBakeOutput(input.BakeId, Done: false, ImageId: null);
        }
    }
}
