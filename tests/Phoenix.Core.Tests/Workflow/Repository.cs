using System.Reflection;

namespace Phoenix.Core.Tests.Workflow;

internal static class Repository
{
    /// <summary>
    /// The folder holding Serverless.sln: found above the test binaries when they are built in the tree, otherwise the
    /// source location recorded at build time.
    /// </summary>
    public static string Root { get; } = Find();

    public static string DeployDefinitionPath => Path.Combine(AppContext.BaseDirectory, "statemachines", "deploy.asl.json");

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Serverless.sln")))
            {
                return directory.FullName;
            }
        }

        var recorded = typeof(Repository).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "RepositoryRoot")?.Value;
        if (recorded is not null && File.Exists(Path.Combine(recorded, "Serverless.sln")))
        {
            return recorded;
        }

        throw new InvalidOperationException($"No Serverless.sln above {AppContext.BaseDirectory} or at '{recorded}'.");
    }
}
