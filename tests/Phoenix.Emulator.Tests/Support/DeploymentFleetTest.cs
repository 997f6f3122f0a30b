namespace Phoenix.Emulator.Tests.Support;

/// <summary>
/// Base of the tests that run whole deployments: a two-instance fleet provisioned before each test, with instance
/// launch-template versions mirrored as AWS reports them (<see cref="MotoGap.InstanceLaunchTemplateVersion"/>), so the
/// health gate is exercised for real; both are torn down after it.
/// </summary>
public abstract class DeploymentFleetTest(MotoServer moto) : EmulatorTest(moto), IDisposable
{
    private EmulatorFleet? _fleet;
    private IAsyncDisposable? _mirror;

    protected EmulatorFleet Fleet => _fleet ?? throw new InvalidOperationException("No fleet.");

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _fleet = await EmulatorFleet.CreateAsync(Moto, capacity: 2);
        _mirror = _fleet.MirrorInstanceVersionsAsAws();
    }

    public override async Task DisposeAsync()
    {
        if (_mirror is not null)
        {
            await _mirror.DisposeAsync();
        }

        await base.DisposeAsync();
    }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            _fleet?.Dispose();
        }
    }
}
