using System.Reflection;

namespace Phoenix.Cli.Tests.Delivery.Support;

/// <summary>The checkout these tests were built from (stamped at build time; the test output may live anywhere).</summary>
public static class Repository
{
    public static string Root { get; } = typeof(Repository).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "RepositoryRoot").Value!;

    public static string PathOf(string relative) => Path.Combine(Root, relative);

    public static string Read(string relative) => File.ReadAllText(PathOf(relative));
}
