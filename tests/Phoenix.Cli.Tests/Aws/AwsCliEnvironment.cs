namespace Phoenix.Cli.Tests.Aws;

/// <summary>Environment variables are process-wide: the AWS CLI tests run alone, one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AwsCliTests
{
    public const string Name = "aws-cli";
}

/// <summary>
/// Fixed test credentials in the environment (the standard chain's first source), no shared config files, no
/// instance metadata, and none of the Phoenix or AWS variables of whoever runs the tests; restored afterwards.
/// </summary>
public sealed class AwsCliEnvironment : IDisposable
{
    private static readonly string[] Variables =
    [
        "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_REGION", "AWS_DEFAULT_REGION",
        "AWS_ENDPOINT_URL", "AWS_SHARED_CREDENTIALS_FILE", "AWS_CONFIG_FILE", "AWS_EC2_METADATA_DISABLED", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
        "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_WEB_IDENTITY_TOKEN_FILE", "PHOENIX_STATE_MACHINE_ARN", "PHOENIX_TABLE",
        "AWS_DEFAULTS_MODE", "AWS_EXECUTION_ENV", "AWS_USE_FIPS_ENDPOINT", "AWS_USE_DUALSTACK_ENDPOINT", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
        "AWS_ENDPOINT_URL_SFN", "AWS_ENDPOINT_URL_DYNAMODB",
    ];

    private readonly Dictionary<string, string?> _saved = Variables.ToDictionary(v => v, Environment.GetEnvironmentVariable);

    public AwsCliEnvironment()
    {
        foreach (var variable in Variables)
        {
            Environment.SetEnvironmentVariable(variable, null);
        }

        var nowhere = Path.Combine(Path.GetTempPath(), $"phoenix-no-aws-config-{Guid.NewGuid():N}");
        Environment.SetEnvironmentVariable("AWS_SHARED_CREDENTIALS_FILE", nowhere);
        Environment.SetEnvironmentVariable("AWS_CONFIG_FILE", nowhere);
        Environment.SetEnvironmentVariable("AWS_EC2_METADATA_DISABLED", "true");
        Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE");
        Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
    }

    public static void RemoveCredentials()
    {
        Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", null);
        Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", null);
    }

    public void Dispose()
    {
        foreach (var (variable, value) in _saved)
        {
            Environment.SetEnvironmentVariable(variable, value);
        }
    }
}
