namespace Phoenix.Aws.Tests.Support;

/// <summary>
/// A private shared config and credentials file pair plus an environment that points at them, handed to
/// <see cref="AwsClientSettings.Environment"/> so nothing of the machine's own AWS setup leaks in.
/// </summary>
public sealed class AwsConfigFiles : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"phoenix-aws-config-{Guid.NewGuid():N}");

    public AwsConfigFiles(string config = "", string credentials = "")
    {
        Directory.CreateDirectory(_directory);
        File.WriteAllText(ConfigPath, config);
        File.WriteAllText(CredentialsPath, credentials);
        Variables = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["HOME"] = _directory,
            ["AWS_CONFIG_FILE"] = ConfigPath,
            ["AWS_SHARED_CREDENTIALS_FILE"] = CredentialsPath,
        };
    }

    public string ConfigPath => Path.Combine(_directory, "config");

    public string CredentialsPath => Path.Combine(_directory, "credentials");

    public Dictionary<string, string> Variables { get; }

    public Func<string, string?> Environment => name => Variables.TryGetValue(name, out var value) ? value : null;

    public AwsConfigFiles With(string variable, string value)
    {
        Variables[variable] = value;
        return this;
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
