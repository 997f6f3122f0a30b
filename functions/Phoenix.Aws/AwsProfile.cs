using Amazon.Runtime.Internal.Util;

namespace Phoenix.Aws;

/// <summary>
/// The settings of one profile of the shared AWS config and credentials files, read from the paths the given
/// environment names (AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE, else ~/.aws/config and ~/.aws/credentials).
/// AWSSDK.Core's own reader fixes both paths once per process and takes every setting but credentials (defaults
/// mode, FIPS, endpoints) from AWS_PROFILE's profile only, so a <c>--profile</c> would lose them: Phoenix reads the
/// selected profile itself, with Core's INI parser. As in Core, a key in the credentials file wins over the same key
/// in the config file.
/// </summary>
internal sealed class AwsProfile
{
    private readonly Dictionary<string, string> _properties;
    private readonly Dictionary<string, Dictionary<string, string>> _services;

    private AwsProfile(string name, bool exists, Dictionary<string, string> properties, Dictionary<string, Dictionary<string, string>> services)
    {
        Name = name;
        Exists = exists;
        _properties = properties;
        _services = services;
    }

    public string Name { get; }

    /// <summary>True when either file has a section for this profile.</summary>
    public bool Exists { get; }

    public string? this[string key] => _properties.TryGetValue(key, out var value) && value.Length > 0 ? value : null;

    /// <summary>
    /// A setting of one service in the <c>[services NAME]</c> section the profile names with <c>services = NAME</c>
    /// (e.g. <c>sfn =</c> then an indented <c>endpoint_url = …</c>); <paramref name="serviceKey"/> is the service id
    /// lower-cased with spaces as underscores, as the SDKs' service-specific endpoints feature defines.
    /// </summary>
    public string? ServiceSetting(string serviceKey, string key) =>
        _services.TryGetValue(serviceKey, out var settings) && settings.TryGetValue(key, out var value) && value.Length > 0 ? value : null;

    public static AwsProfile Load(string name, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(environment);
        var home = environment("HOME") ?? environment("USERPROFILE") ?? System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile);
        var configPath = NonEmpty(environment("AWS_CONFIG_FILE")) ?? Path.Combine(home, ".aws", "config");
        var credentialsPath = NonEmpty(environment("AWS_SHARED_CREDENTIALS_FILE")) ?? Path.Combine(home, ".aws", "credentials");

        var config = Open(configPath, profileMarkerRequired: name != "default");
        var credentials = Open(credentialsPath, profileMarkerRequired: false);
        var properties = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var inConfig = config.TryGetSection(name, isSsoSession: false, isServicesSection: false, out var fromConfig, out _);
        var inCredentials = credentials.TryGetSection(name, isSsoSession: false, isServicesSection: false, out var fromCredentials, out _);
        foreach (var (key, value) in (fromConfig ?? []).Concat(fromCredentials ?? []))
        {
            properties[key] = value.Trim();
        }

        var services = new Dictionary<string, Dictionary<string, string>>(StringComparer.OrdinalIgnoreCase);
        if (properties.TryGetValue("services", out var servicesSection) && servicesSection.Length > 0)
        {
            config.ProfileMarkerRequired = true;
            if (!config.TryGetSection(servicesSection, isSsoSession: false, isServicesSection: true, out _, out var nested))
            {
                throw new AwsConfigurationException($"AWS profile '{name}' names services section '{servicesSection}', which is not in {configPath}.");
            }

            foreach (var (service, settings) in nested ?? [])
            {
                services[service] = new Dictionary<string, string>(settings.Select(s => KeyValuePair.Create(s.Key, s.Value.Trim())), StringComparer.OrdinalIgnoreCase);
            }
        }

        return new AwsProfile(name, inConfig || inCredentials, properties, services);
    }

    private static ProfileIniFile Open(string path, bool profileMarkerRequired)
    {
        try
        {
            return new ProfileIniFile(path, profileMarkerRequired);
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            throw new AwsConfigurationException($"Cannot read the AWS shared config file {path}: {ex.Message}", ex);
        }
    }

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
