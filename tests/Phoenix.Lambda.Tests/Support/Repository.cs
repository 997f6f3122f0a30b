using System.Reflection;

namespace Phoenix.Lambda.Tests.Support;

public static class Repository
{
    /// <summary>The checkout the tests were built from (stamped at build time: the test output may live anywhere,
    /// e.g. under --artifacts-path).</summary>
    public static string Root { get; } = typeof(Repository).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "RepositoryRoot").Value!;

    public static string PathOf(string relative) => Path.Combine(Root, relative);
}
