using System.Text.Json;
using System.Text.RegularExpressions;

namespace Phoenix.Cdk;

/// <summary>
/// cdk/packer/bake-manifest.json: the packages the bake installs and those no server may carry. Packer reads the same
/// file (app.pkr.hcl), so the image and the drift stack's application rules are derived from one list.
/// </summary>
public sealed partial record BakeManifest(IReadOnlyList<string> Packages, IReadOnlyList<string> Forbidden)
{
    public const string FileName = "bake-manifest.json";

    public static string DefaultPath => Path.Combine(AppContext.BaseDirectory, "packer", FileName);

    public static BakeManifest Load(string? path = null)
    {
        path ??= DefaultPath;
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var manifest = new BakeManifest(Names(document.RootElement, "packages", path), Names(document.RootElement, "forbidden", path));
        var both = manifest.Packages.Intersect(manifest.Forbidden, StringComparer.Ordinal).ToList();
        return both.Count == 0
            ? manifest
            : throw new InvalidOperationException($"{path}: {string.Join(", ", both)} is both installed and forbidden.");
    }

    private static string[] Names(JsonElement root, string property, string path)
    {
        if (!root.TryGetProperty(property, out var list) || list.ValueKind != JsonValueKind.Array || list.GetArrayLength() == 0)
        {
            throw new InvalidOperationException($"{path}: '{property}' must be a non-empty array of package names.");
        }

        return list.EnumerateArray().Select(item =>
        {
            var name = item.ValueKind == JsonValueKind.String ? item.GetString()! : string.Empty;
            // The Config rule takes them comma-separated and the shell word-splits them: neither may appear in a name.
            return PackageName().IsMatch(name) ? name : throw new InvalidOperationException($"{path}: '{property}' holds '{item}', which is not a package name.");
        }).ToArray();
    }

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._+-]*$")]
    private static partial Regex PackageName();
}
