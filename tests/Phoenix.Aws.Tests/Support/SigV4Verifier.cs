using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Phoenix.Aws.Tests.Support;

/// <summary>
/// Recomputes a SigV4 Authorization header from what arrived on the wire, written from the SigV4 specification and
/// sharing no code with AWSSDK.Core's signer; checked against the official JS signer's output (Fixtures/sigv4-session.json).
/// </summary>
public static partial class SigV4Verifier
{
    public sealed record Authorization(string AccessKeyId, string Date, string Region, string Service, IReadOnlyList<string> SignedHeaders, string Signature);

    public static Authorization Parse(string header)
    {
        var match = AuthorizationPattern().Match(header);
        Assert.True(match.Success, $"not a SigV4 Authorization header: {header}");
        return new Authorization(
            match.Groups["key"].Value,
            match.Groups["date"].Value,
            match.Groups["region"].Value,
            match.Groups["service"].Value,
            match.Groups["headers"].Value.Split(';'),
            match.Groups["signature"].Value);
    }

    /// <summary>The signature for a request whose headers (any case) include every signed one and X-Amz-Date.</summary>
    public static string Sign(string method, string path, IReadOnlyDictionary<string, string> headers, string body, Authorization authorization, string secretAccessKey)
    {
        ArgumentNullException.ThrowIfNull(headers);
        ArgumentNullException.ThrowIfNull(authorization);
        var lower = headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value, StringComparer.Ordinal);
        var pathAndQuery = path.Split('?', 2);
        var canonicalHeaders = string.Concat(authorization.SignedHeaders.Select(name => $"{name}:{Collapse(lower[name])}\n"));
        var payloadHash = Hex(SHA256.HashData(Encoding.UTF8.GetBytes(body)));
        var canonicalRequest = string.Join(
            '\n',
            method,
            pathAndQuery[0],
            pathAndQuery.Length > 1 ? CanonicalQuery(pathAndQuery[1]) : string.Empty,
            canonicalHeaders,
            string.Join(';', authorization.SignedHeaders),
            payloadHash);
        var scope = $"{authorization.Date}/{authorization.Region}/{authorization.Service}/aws4_request";
        var stringToSign = string.Join('\n', "AWS4-HMAC-SHA256", lower["x-amz-date"], scope, Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest))));
        var key = Encoding.UTF8.GetBytes("AWS4" + secretAccessKey);
        foreach (var part in new[] { authorization.Date, authorization.Region, authorization.Service, "aws4_request" })
        {
            key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(part));
        }

        return Hex(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(stringToSign)));
    }

    private static string Collapse(string value) => WhiteSpace().Replace(value.Trim(), " ");

    private static string CanonicalQuery(string query) =>
        string.Join('&', query.Split('&', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Contains('=', StringComparison.Ordinal) ? p : p + "=").Order(StringComparer.Ordinal));

    private static string Hex(byte[] bytes) => Convert.ToHexString(bytes).ToLower(CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^AWS4-HMAC-SHA256 Credential=(?<key>[^/]+)/(?<date>\d{8})/(?<region>[^/]+)/(?<service>[^/]+)/aws4_request, SignedHeaders=(?<headers>[^,]+), Signature=(?<signature>[0-9a-f]{64})$")]
    private static partial Regex AuthorizationPattern();

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhiteSpace();
}
