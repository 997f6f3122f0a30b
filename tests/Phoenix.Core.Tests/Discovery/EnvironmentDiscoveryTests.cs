using Phoenix.Core.Discovery;
using Phoenix.Core.Ports;

namespace Phoenix.Core.Tests.Discovery;

public sealed class EnvironmentDiscoveryTests
{
    private const string Published = "arn:aws:states:eu-west-1:123456789012:stateMachine:DeployStateMachine-abc";

    private sealed class Parameters(Dictionary<string, string> values) : IEnvironmentParameters
    {
        public List<string> Read { get; } = [];

        public Task<string?> GetAsync(string name, CancellationToken cancellationToken)
        {
            Read.Add(name);
            return Task.FromResult(values.GetValueOrDefault(name));
        }
    }

    private static Parameters Installed() => new(new()
    {
        [EnvironmentDiscovery.StateMachineParameter] = Published,
        [EnvironmentDiscovery.TableParameter] = "PhoenixPipeline-StateTable-XYZ",
    });

    [Fact]
    public async Task ResolveAsync_NothingGiven_ReadsBothPublishedValues()
    {
        var parameters = Installed();

        var environment = await new EnvironmentDiscovery(parameters).ResolveAsync(null, null, wantTable: true, CancellationToken.None);

        Assert.Equal(new DeploymentEnvironment(Published, "PhoenixPipeline-StateTable-XYZ"), environment);
        Assert.Equal(["/phoenix/environment/state-machine-arn", "/phoenix/environment/table-name"], parameters.Read);
    }

    [Fact]
    public async Task ResolveAsync_ValuesGiven_WinAndNothingIsRead()
    {
        var parameters = Installed();

        var environment = await new EnvironmentDiscovery(parameters).ResolveAsync(" arn:given ", "given-table", wantTable: true, CancellationToken.None);

        Assert.Equal(new DeploymentEnvironment("arn:given", "given-table"), environment);
        Assert.Empty(parameters.Read);
    }

    [Fact]
    public async Task ResolveAsync_TableNotWanted_NotRead()
    {
        var parameters = Installed();

        var environment = await new EnvironmentDiscovery(parameters).ResolveAsync(null, null, wantTable: false, CancellationToken.None);

        Assert.Null(environment.TableName);
        Assert.Equal(["/phoenix/environment/state-machine-arn"], parameters.Read);
    }

    [Fact]
    public async Task ResolveAsync_NoTablePublished_StateMachineStillResolves()
    {
        var parameters = new Parameters(new() { [EnvironmentDiscovery.StateMachineParameter] = Published });

        var environment = await new EnvironmentDiscovery(parameters).ResolveAsync(null, "  ", wantTable: true, CancellationToken.None);

        Assert.Equal(new DeploymentEnvironment(Published, null), environment);
    }

    [Fact]
    public async Task ResolveAsync_NothingPublished_ThrowsNamingTheParameterAndTheAlternatives()
    {
        var error = await Assert.ThrowsAsync<EnvironmentNotFound>(() =>
            new EnvironmentDiscovery(new Parameters([])).ResolveAsync(null, null, wantTable: true, CancellationToken.None));

        Assert.Contains("/phoenix/environment/state-machine-arn", error.Message, StringComparison.Ordinal);
        Assert.Contains("--state-machine-arn", error.Message, StringComparison.Ordinal);
        Assert.Contains("PHOENIX_STATE_MACHINE_ARN", error.Message, StringComparison.Ordinal);
    }
}
