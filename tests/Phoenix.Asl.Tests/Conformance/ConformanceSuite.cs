using System.Text.Json.Nodes;

namespace Phoenix.Asl.Tests.Conformance;

/// <summary>
/// The recorded AWS executions in <c>../shared/conformance/asl</c> (beside the repository root), loaded once.
/// </summary>
internal static class ConformanceSuite
{
    public static readonly string[] Files = ["pure", "choice", "lambda"];

    private static readonly Lazy<string?> FolderLazy = new(FindFolder);
    private static readonly Lazy<Dictionary<string, Dictionary<string, JsonObject>>> CasesLazy = new(Load);

    /// <summary>The conformance folder, or null when the repository has no sibling <c>shared/conformance/asl</c>.</summary>
    public static string? Folder => FolderLazy.Value;

    public static string ExpectedLocation => Path.Combine(RepositoryRoot() ?? AppContext.BaseDirectory, "..", "shared", "conformance", "asl");

    public static IReadOnlyDictionary<string, JsonObject> Cases(string file) =>
        CasesLazy.Value.TryGetValue(file, out var cases) ? cases : new Dictionary<string, JsonObject>();

    public static IEnumerable<object[]> Rows(string file)
    {
        if (Folder is null)
        {
            // One row that says why nothing was replayed, so the absence is visible in the results.
            yield return [file, MissingFolderRow];
            yield break;
        }

        foreach (var id in Cases(file).Keys)
        {
            yield return [file, id];
        }
    }

    public const string MissingFolderRow = "(conformance folder not present)";

    /// <summary>
    /// Walks up from the test binaries to Serverless.sln; when they were built outside the tree (--artifacts-path),
    /// from the source folder the project was built from (recorded as assembly metadata).
    /// </summary>
    public static string? RepositoryRoot()
    {
        var builtFrom = typeof(ConformanceSuite).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
            .Cast<System.Reflection.AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "ProjectDirectory")?.Value;
        foreach (var start in new[] { AppContext.BaseDirectory, builtFrom })
        {
            for (var dir = start is null ? null : new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Serverless.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        return null;
    }

    private static string? FindFolder()
    {
        var root = RepositoryRoot();
        if (root is null)
        {
            return null;
        }

        var folder = Path.GetFullPath(Path.Combine(root, "..", "shared", "conformance", "asl"));
        return Directory.Exists(folder) ? folder : null;
    }

    private static Dictionary<string, Dictionary<string, JsonObject>> Load()
    {
        var all = new Dictionary<string, Dictionary<string, JsonObject>>(StringComparer.Ordinal);
        if (Folder is null)
        {
            return all;
        }

        foreach (var file in Files)
        {
            var cases = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
            foreach (var line in File.ReadLines(Path.Combine(Folder, file + ".jsonl")))
            {
                if (line.Length > 0 && JsonNode.Parse(line) is JsonObject c)
                {
                    cases[c["id"]!.GetValue<string>()] = c;
                }
            }

            all[file] = cases;
        }

        return all;
    }
}
