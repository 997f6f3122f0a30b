namespace Phoenix.Emulator.Tests.Support;

/// <summary>
/// Sets process environment variables for one test and restores them afterwards. The AWS SDK's credential chain (the
/// Lambda host's and the CLI's) reads the real environment, as Lambda and a shell provide it. Also points the shared
/// config files nowhere, so the developer's own AWS profile never leaks into a test. Tests here run one at a time.
/// </summary>
public sealed class ProcessEnvironment : IDisposable
{
    private static readonly string[] Cleared =
    [
        "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_REGION", "AWS_DEFAULT_REGION",
        "AWS_ENDPOINT_URL", "AWS_SHARED_CREDENTIALS_FILE", "AWS_CONFIG_FILE", "AWS_EC2_METADATA_DISABLED", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
        "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_WEB_IDENTITY_TOKEN_FILE", "PHOENIX_STATE_MACHINE_ARN", "PHOENIX_TABLE",
    ];

    private readonly Dictionary<string, string?> _saved = new(StringComparer.Ordinal);

    public ProcessEnvironment(IReadOnlyDictionary<string, string?> variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        var nowhere = Path.Combine(Path.GetTempPath(), $"phoenix-no-aws-config-{Guid.NewGuid():N}");
        var values = Cleared.ToDictionary(v => v, _ => (string?)null, StringComparer.Ordinal);
        values["AWS_SHARED_CREDENTIALS_FILE"] = nowhere;
        values["AWS_CONFIG_FILE"] = nowhere;
        values["AWS_EC2_METADATA_DISABLED"] = "true";
        foreach (var (name, value) in variables)
        {
            values[name] = value;
        }

        foreach (var (name, value) in values)
        {
            _saved[name] = Environment.GetEnvironmentVariable(name);
            Environment.SetEnvironmentVariable(name, value);
        }
    }

    public void Dispose()
    {
        foreach (var (name, value) in _saved)
        {
            Environment.SetEnvironmentVariable(name, value);
        }
    }
}
