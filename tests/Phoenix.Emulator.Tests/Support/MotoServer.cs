using System.Diagnostics;
using System.Globalization;
using System.Text;
using Amazon.Runtime;
using Phoenix.Aws;

namespace Phoenix.Emulator.Tests.Support;

/// <summary>
/// The AWS emulator every test here talks to: the endpoint in <c>PHOENIX_EMULATOR_ENDPOINT</c> when set (LocalStack,
/// a <c>moto_server</c> of your own), else moto started once per test run from <c>../shared/emulators/moto/start</c>
/// beside the repository and stopped when the run ends. Tests share it one at a time (<see cref="EmulatorSuite"/>)
/// and each starts from an empty emulator (<see cref="ResetAsync"/>).
/// </summary>
public sealed class MotoServer : IAsyncLifetime
{
    public const string EndpointVariable = "PHOENIX_EMULATOR_ENDPOINT";

    /// <summary>moto's fixed account and the region the fixture provisions in.</summary>
    public const string Account = "123456789012";

    public const string RegionName = "us-east-1";

    // The first start installs Debian packages (about 45 s on CI) and unpacks the bundle; allow for a slow machine.
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(5);

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    private int? _pid;
    private string? _endpoint;

    /// <summary>The emulator's base URL (http://127.0.0.1:PORT); throws when it could not be started.</summary>
    public string Endpoint => _endpoint ?? throw new InvalidOperationException(
        $"The AWS emulator is not running: {EmulatorAvailability.Unavailable ?? "its start failed (see the fixture's error)."}");

    /// <summary>Explicit test credentials, us-east-1 and the emulator as the endpoint of every service.</summary>
    public AwsClientSettings Settings => new(Region: RegionName, EndpointUrl: Endpoint, Credentials: Credentials, MaxErrorRetry: 0);

    public static AWSCredentials Credentials { get; } = new BasicAWSCredentials("test", "test");

    public AwsClientFactory Clients() => new(Settings);

    /// <summary>Points an SDK client configuration at the emulator (what AwsClientFactory does with <see cref="Settings"/>).</summary>
    public T Configure<T>(T config)
        where T : ClientConfig
    {
        ArgumentNullException.ThrowIfNull(config);
        config.ServiceURL = Endpoint;
        config.AuthenticationRegion = RegionName;
        config.MaxErrorRetry = 0;
        return config;
    }

    /// <summary>
    /// The environment a Phoenix Lambda function reads (AwsPortsFactory, Composition), pointed at the emulator.
    /// Pass <c>PHOENIX_TABLE</c>, topic ARNs and the like in <paramref name="extra"/>.
    /// </summary>
    public Dictionary<string, string?> LambdaEnvironment(IReadOnlyDictionary<string, string?>? extra = null)
    {
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["AWS_REGION"] = RegionName,
            ["AWS_DEFAULT_REGION"] = RegionName,
            ["AWS_ACCESS_KEY_ID"] = "test",
            ["AWS_SECRET_ACCESS_KEY"] = "test",
            ["AWS_ENDPOINT_URL"] = Endpoint,
            ["PHOENIX_TOPOLOGY_PREFIX"] = "/phoenix/apps/",
        };
        foreach (var (name, value) in extra ?? new Dictionary<string, string?>())
        {
            environment[name] = value;
        }

        return environment;
    }

    public async Task InitializeAsync()
    {
        if (Environment.GetEnvironmentVariable(EndpointVariable) is { Length: > 0 } given)
        {
            _endpoint = given.TrimEnd('/');
            return;
        }

        if (EmulatorAvailability.StartScript is not { } script)
        {
            // Not here: the tests are skipped (EmulatorFact) — unless CI is set, where they run and fail on Endpoint.
            return;
        }

        var (endpoint, pid) = await StartAsync(script);
        _endpoint = endpoint;
        _pid = pid;
    }

    public Task DisposeAsync()
    {
        if (_pid is { } pid)
        {
            try
            {
                using var process = Process.GetProcessById(pid);
                process.Kill();
                process.WaitForExit(10_000);
            }
            catch (ArgumentException)
            {
                // Already gone.
            }
            catch (InvalidOperationException)
            {
                // Exited between the lookup and the kill.
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>Clears every service's state and switches Step Functions back to recording only (moto's default).</summary>
    public async Task ResetAsync()
    {
        await PostAsync("/moto-api/reset", string.Empty);
        await SetStepFunctionsExecutionAsync(false);
    }

    /// <summary>
    /// With execution on, moto interprets Pass/Choice/Wait/Succeed/Fail and some service integrations (SQS, SNS,
    /// DynamoDB, callbacks with task tokens) instead of only recording the execution. Applies to state machines
    /// created afterwards.
    /// </summary>
    public Task SetStepFunctionsExecutionAsync(bool execute) =>
        PostAsync("/moto-api/config", $"{{\"stepfunctions\":{{\"execute_state_machine\":{(execute ? "true" : "false")}}}}}");

    private async Task PostAsync(string path, string body)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await Http.PostAsync(new Uri(Endpoint + path), content);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"POST {path} to the emulator answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
    }

    private static async Task<(string Endpoint, int Pid)> StartAsync(string script)
    {
        var start = new ProcessStartInfo("bash", [script])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not run {script}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(StartTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{script} did not start moto within {StartTimeout.TotalMinutes} minutes: {await error}");
        }

        var text = await output;
        string? Value(string key) => text.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith(key + "=", StringComparison.Ordinal))?[(key.Length + 1)..];
        if (process.ExitCode != 0 || Value("endpoint") is not { } endpoint || !int.TryParse(Value("pid"), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
        {
            throw new InvalidOperationException($"{script} exited {process.ExitCode} without endpoint= and pid=: {text.Trim()} {(await error).Trim()}");
        }

        return (endpoint, pid);
    }
}

/// <summary>Whether an emulator can be had here, decided once (at test discovery) for <see cref="EmulatorFactAttribute"/>.</summary>
public static class EmulatorAvailability
{
    private static readonly Lazy<string?> Script = new(FindStartScript);

    /// <summary><c>../shared/emulators/moto/start</c> beside the repository root (the folder holding Serverless.sln), when present.</summary>
    public static string? StartScript => Script.Value;

    /// <summary>True when the CI variable is set: there a missing emulator fails the tests instead of skipping them.</summary>
    public static bool InCi => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI"));

    /// <summary>Null when an emulator endpoint is configured or moto can be started; otherwise why not.</summary>
    public static string? Unavailable =>
        Environment.GetEnvironmentVariable(MotoServer.EndpointVariable) is { Length: > 0 } || StartScript is not null
            ? null
            : $"No AWS emulator: {MotoServer.EndpointVariable} is not set and ../shared/emulators/moto/start was not found beside the repository root ({RepositoryRoot ?? "no Serverless.sln above " + AppContext.BaseDirectory}).";

    public static string? RepositoryRoot
    {
        get
        {
            for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "Serverless.sln")))
                {
                    return directory.FullName;
                }
            }

            return null;
        }
    }

    private static string? FindStartScript()
    {
        if (RepositoryRoot is not { } root)
        {
            return null;
        }

        var script = Path.GetFullPath(Path.Combine(root, "..", "shared", "emulators", "moto", "start"));
        return File.Exists(script) ? script : null;
    }
}

/// <summary>
/// A test against the emulator. Skipped, saying why, only where no emulator can be had; under CI it is never skipped
/// (it runs and fails on the missing emulator), because a skipped emulator test in CI would look green.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class EmulatorFactAttribute : FactAttribute
{
    public EmulatorFactAttribute()
    {
        if (EmulatorAvailability.Unavailable is { } reason && !EmulatorAvailability.InCi)
        {
            Skip = reason;
        }
    }
}

/// <inheritdoc cref="EmulatorFactAttribute"/>
[AttributeUsage(AttributeTargets.Method)]
public sealed class EmulatorTheoryAttribute : TheoryAttribute
{
    public EmulatorTheoryAttribute()
    {
        if (EmulatorAvailability.Unavailable is { } reason && !EmulatorAvailability.InCi)
        {
            Skip = reason;
        }
    }
}

/// <summary>One moto for the whole run; its tests run one at a time (they share the emulator's state and process-wide environment).</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EmulatorSuite : ICollectionFixture<MotoServer>
{
    public const string Name = "emulator";
}

/// <summary>Base of every emulator test: starts each test from an empty emulator.</summary>
[Collection(EmulatorSuite.Name)]
public abstract class EmulatorTest(MotoServer moto) : IAsyncLifetime
{
    protected MotoServer Moto { get; } = moto;

    public virtual Task InitializeAsync() => Moto.ResetAsync();

    public virtual Task DisposeAsync() => Task.CompletedTask;
}
