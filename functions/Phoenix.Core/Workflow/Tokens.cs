using System.Security.Cryptography;
using System.Text;

namespace Phoenix.Core.Workflow;

/// <summary>
/// Idempotency tokens derived from the execution, so every retry of a step sends the same token and the service
/// returns what the first attempt created. 64 hex characters: the EC2 ClientToken limit.
/// </summary>
internal static class Tokens
{
    public static string Derive(params string[] parts)
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', parts)));
        return Convert.ToHexStringLower(bytes);
    }
}
