namespace Phoenix.Cli.Tests.Delivery.Support;

/// <summary>
/// An npm tool folder under tests/tools (installed by `npm ci`, as .ci/run does for every package-lock.json). A missing
/// install is a failure naming the command that fixes it, never a skip: a linter that did not run must not look green.
/// </summary>
public static class NpmTool
{
    public static string Folder(string name)
    {
        var folder = Repository.PathOf(Path.Combine("tests", "tools", name));
        if (!Directory.Exists(Path.Combine(folder, "node_modules")))
        {
            throw new InvalidOperationException($"tests/tools/{name} is not installed: run `npm ci` in {folder} (.ci/run does).");
        }

        return folder;
    }
}
