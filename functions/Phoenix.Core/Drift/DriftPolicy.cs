using System.Text.Json;
using System.Text.Json.Serialization;

namespace Phoenix.Core.Drift;

/// <summary>
/// Per-application remediation by replacement. Off by default. MaxPerHour bounds replacements per application in
/// any rolling hour; DryRun announces what would be replaced without touching the fleet or the ledger.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record DriftPolicy(bool Enabled = false, int MaxPerHour = 1, bool DryRun = false)
{
    public static DriftPolicy Off { get; } = new();

    /// <summary>Parses the policy JSON (camelCase); unknown fields and bad values are rejected, naming them.</summary>
    public static DriftPolicy Parse(string json)
    {
        DriftPolicy? policy;
        try
        {
            policy = JsonSerializer.Deserialize(json, DriftJsonContext.Default.DriftPolicy);
        }
        catch (JsonException ex)
        {
            throw new ArgumentException($"Drift policy is not valid JSON: {ex.Message}", nameof(json), ex);
        }

        if (policy is null)
        {
            throw new ArgumentException("Drift policy is null; expected an object like {\"enabled\":true,\"maxPerHour\":1}.", nameof(json));
        }

        policy.Validate();
        return policy;
    }

    public void Validate()
    {
        if (MaxPerHour is < 1 or > 100)
        {
            throw new ArgumentException($"Drift policy maxPerHour {MaxPerHour} is out of range: expected 1 to 100.");
        }
    }
}
