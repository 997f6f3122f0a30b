using System.Globalization;
using System.Text.RegularExpressions;

namespace Phoenix.Asl;

/// <summary>RFC 3339 timestamps as Step Functions accepts them: a 'T', seconds, any fraction, and 'Z' or an offset.</summary>
internal static partial class AslTimestamp
{
    public static bool TryParse(string text, out DateTimeOffset value)
    {
        value = default;
        var match = Rfc3339().Match(text);
        if (!match.Success)
        {
            return false;
        }

        var fraction = match.Groups["fraction"].Value;
        var zone = match.Groups["zone"].Value;
        var offset = zone is "Z" or "z"
            ? TimeSpan.Zero
            : TimeSpan.ParseExact(zone[1..], "hh\\:mm", CultureInfo.InvariantCulture) * (zone[0] == '-' ? -1 : 1);
        var ticks = fraction.Length == 0 ? 0 : long.Parse(fraction.PadRight(7, '0')[..7], CultureInfo.InvariantCulture);
        try
        {
            value = new DateTimeOffset(
                Int(match, "year"), Int(match, "month"), Int(match, "day"),
                Int(match, "hour"), Int(match, "minute"), Int(match, "second"), offset).AddTicks(ticks);
            return true;
        }
        catch (ArgumentOutOfRangeException)
        {
            return false;
        }
    }

    private static int Int(Match match, string group) => int.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^(?<year>\d{4})-(?<month>\d{2})-(?<day>\d{2})[Tt](?<hour>\d{2}):(?<minute>\d{2}):(?<second>\d{2})(\.(?<fraction>\d+))?(?<zone>[Zz]|[+-]\d{2}:\d{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex Rfc3339();
}
