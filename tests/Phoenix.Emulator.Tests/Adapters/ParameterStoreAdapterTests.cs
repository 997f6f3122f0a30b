using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using Phoenix.Aws.Adapters;
using Phoenix.Core.Drift;
using Phoenix.Emulator.Tests.Support;

namespace Phoenix.Emulator.Tests.Adapters;

public sealed class ParameterStoreAdapterTests(MotoServer moto) : EmulatorTest(moto)
{
    [EmulatorFact]
    public async Task GetTopology_UnknownApplication_ReturnsNull()
    {
        using var client = Moto.Clients().SimpleSystemsManagement();

        Assert.Null(await new ParameterStoreAdapter(client).GetAsync("nobody", CancellationToken.None));
    }

    [EmulatorFact]
    public async Task GetTopology_UnderAnotherPrefix_ReadsIt()
    {
        using var fleet = await EmulatorFleet.CreateAsync(Moto, capacity: 1);
        using var client = Moto.Clients().SimpleSystemsManagement();
        var stored = (await client.GetParameterAsync(new GetParameterRequest { Name = fleet.TopologyParameterName })).Parameter.Value;
        await client.PutParameterAsync(new PutParameterRequest { Name = "/teams/payments/phoenix/web/topology", Type = ParameterType.String, Value = stored });

        var topology = await new ParameterStoreAdapter(client, "/teams/payments/phoenix/").GetAsync("web", CancellationToken.None);

        Assert.Equal(fleet.ListenerArn, topology?.ListenerArn);
    }

    [EmulatorFact]
    public async Task GetDriftPolicy_SecureString_IsDecryptedAndParsed()
    {
        using var client = Moto.Clients().SimpleSystemsManagement();
        await client.PutParameterAsync(new PutParameterRequest
        {
            Name = "/phoenix/apps/web/drift-policy",
            Type = ParameterType.SecureString,
            Value = "{\"enabled\":true,\"maxPerHour\":3}",
        });

        var policy = await ((IDriftPolicySource)new ParameterStoreAdapter(client)).GetAsync("web", CancellationToken.None);

        Assert.Equal(new DriftPolicy(Enabled: true, MaxPerHour: 3), policy);
    }

    [EmulatorFact]
    public async Task GetDriftPolicy_Absent_ReturnsNull()
    {
        using var client = Moto.Clients().SimpleSystemsManagement();

        Assert.Null(await ((IDriftPolicySource)new ParameterStoreAdapter(client)).GetAsync("web", CancellationToken.None));
    }

    [EmulatorFact]
    public async Task GetDriftPolicy_UnknownField_FailsNamingIt()
    {
        using var client = Moto.Clients().SimpleSystemsManagement();
        await client.PutParameterAsync(new PutParameterRequest { Name = "/phoenix/apps/web/drift-policy", Type = ParameterType.String, Value = "{\"enable\":true}" });

        var error = await Assert.ThrowsAsync<ArgumentException>(() => ((IDriftPolicySource)new ParameterStoreAdapter(client)).GetAsync("web", CancellationToken.None));

        Assert.Contains("enable", error.Message, StringComparison.Ordinal);
    }
}
