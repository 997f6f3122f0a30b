using BenchmarkDotNet.Attributes;
using Phoenix.Cli.Simulation;

namespace Phoenix.Benchmarks;

/// <summary>
/// Wall time to simulate a whole healthy blue/green deployment (given image, so no bake) of the shipped workflow with
/// the real steps against the simulated region: `dotnet run -c Release --project tests/Phoenix.Benchmarks -- --filter *Deployment*`.
/// 10,000 is the CLI's largest fleet: its time must stay within ~10× that of 1,000 (simulate-scaling.sh measures the CLI).
/// </summary>
[MemoryDiagnoser]
public class DeploymentBenchmarks
{
    [Params(10, 1000, 10_000)]
    public int Instances { get; set; }

    [Benchmark]
    public async Task<SimulationOutcome> HealthyDeployment()
    {
        var result = await DeploymentSimulation.RunAsync(new SimulationSetup { Capacity = Instances, ImageId = "ami-0123456789abcdef0" });
        return result.Outcome == SimulationOutcome.Deployed && result.Violations.Count == 0
            ? result.Outcome
            : throw new InvalidOperationException($"The benchmark's deployment did not succeed cleanly: {result.Execution.Error} {result.Execution.Cause}");
    }
}
