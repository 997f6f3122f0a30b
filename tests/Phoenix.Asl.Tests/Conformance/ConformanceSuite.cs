using System.Text.Json.Nodes;

namespace Phoenix.Asl.Tests.Conformance;

/// <summary>
/// The recorded AWS executions, loaded once per file: from <c>Conformance/data</c> (checked in beside these tests, copied
/// to the output), else from the shared folder beside the repository (<c>../shared/conformance/asl</c>). Where a file is
/// in neither, the tests that need it skip, saying so ( <see cref="ConformanceTheoryAttribute"/>), except under CI
/// (<c>CI</c> set), where they fail: replaying nothing must never look green.
/// </summary>
internal static class ConformanceSuite
{
    public static readonly string[] Files = ["pure", "choice", "lambda", "jsonata"];

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Lazy<Dictionary<string, JsonObject>>> Loaded = new(StringComparer.Ordinal);

    /// <summary>Where the build copies the checked-in data (see the project file).</summary>
    public static string Folder => Path.Combine(AppContext.BaseDirectory, "Conformance", "data");

    /// <summary>The shared conformance folder beside the repository's root, or null when the root is not found.</summary>
    public static string? SharedFolder
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Serverless.sln")))
                {
                    return Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "conformance", "asl"));
                }
            }

            return null;
        }
    }

    /// <summary>True under CI, where absent data fails the tests instead of skipping them.</summary>
    public static bool UnderCi => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI"));

    public static IReadOnlyDictionary<string, JsonObject> Cases(string file) =>
        Loaded.GetOrAdd(file, f => new Lazy<Dictionary<string, JsonObject>>(() => Load(f))).Value;

    public static IEnumerable<object[]> Rows(string file) => Cases(file).Keys.Select(id => new object[] { file, id });

    /// <summary>Why tests over <paramref name="files"/> skip: null when the data is here, and always null under CI.</summary>
    public static string? SkipReason(IEnumerable<string> files, bool underCi) => underCi ? null : Absent(files);

    /// <summary>Why the data of <paramref name="files"/> cannot be replayed here (null: all are present).</summary>
    public static string? Absent(IEnumerable<string> files)
    {
        var missing = files.Where(f => Locate(f) is null).ToList();
        return missing.Count == 0
            ? null
            : $"Conformance data {string.Join(", ", missing.Select(f => f + ".jsonl"))} is absent: not in {Folder} nor in {SharedFolder ?? "../shared/conformance/asl (no repository root found)"}; under CI (CI set) this fails instead.";
    }

    private static string? Locate(string file) =>
        new[] { Folder, SharedFolder }.OfType<string>().Select(dir => Path.Combine(dir, file + ".jsonl")).FirstOrDefault(File.Exists);

    private static Dictionary<string, JsonObject> Load(string file)
    {
        // Fail loudly: replaying nothing must never look green (the attributes skip before this where CI is unset).
        var path = Locate(file) ?? throw new FileNotFoundException(Absent([file]), file + ".jsonl");
        var cases = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(path))
        {
            if (line.Length > 0 && JsonNode.Parse(line) is JsonObject c)
            {
                cases[c["id"]!.GetValue<string>()] = c;
            }
        }

        return cases;
    }
}
