using System.Text.Json.Nodes;

namespace Phoenix.Asl.Tests.Conformance;

/// <summary>
/// The recorded AWS executions in <c>Conformance/data</c> (checked in beside these tests, copied to the output), loaded
/// once. They live in the repository so that a clone replays them with nothing beside it; a missing file is a failure.
/// </summary>
internal static class ConformanceSuite
{
    public static readonly string[] Files = ["pure", "choice", "lambda", "jsonata"];

    private static readonly Lazy<Dictionary<string, Dictionary<string, JsonObject>>> CasesLazy = new(Load);

    /// <summary>Where the build copies the data (see the project file).</summary>
    public static string Folder => Path.Combine(AppContext.BaseDirectory, "Conformance", "data");

    public static IReadOnlyDictionary<string, JsonObject> Cases(string file) => CasesLazy.Value[file];

    public static IEnumerable<object[]> Rows(string file) => Cases(file).Keys.Select(id => new object[] { file, id });

    private static Dictionary<string, Dictionary<string, JsonObject>> Load()
    {
        var all = new Dictionary<string, Dictionary<string, JsonObject>>(StringComparer.Ordinal);
        foreach (var file in Files)
        {
            var path = Path.Combine(Folder, file + ".jsonl");
            if (!File.Exists(path))
            {
                // Fail loudly: replaying nothing must never look green.
                throw new FileNotFoundException($"Conformance data {path} is missing: it is checked in under tests/Phoenix.Asl.Tests/Conformance/data and copied to the output.", path);
            }

            var cases = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
            foreach (var line in File.ReadLines(path))
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
