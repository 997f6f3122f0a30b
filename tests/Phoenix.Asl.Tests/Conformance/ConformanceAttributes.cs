namespace Phoenix.Asl.Tests.Conformance;

/// <summary>
/// A theory over recorded AWS executions: skipped, naming the absent file and where it was looked for, when the data of
/// <c>files</c> is not here; never skipped under CI (<c>CI</c> set), so there the missing data fails the run.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ConformanceTheoryAttribute : TheoryAttribute
{
    public ConformanceTheoryAttribute(params string[] files)
    {
        Files = files;
        Skip = ConformanceSuite.SkipReason(files, ConformanceSuite.UnderCi);
    }

    public IReadOnlyList<string> Files { get; }
}

/// <summary>A fact over recorded AWS executions; skipped or failed as <see cref="ConformanceTheoryAttribute"/>.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ConformanceFactAttribute : FactAttribute
{
    public ConformanceFactAttribute(params string[] files)
    {
        Files = files;
        Skip = ConformanceSuite.SkipReason(files, ConformanceSuite.UnderCi);
    }

    public IReadOnlyList<string> Files { get; }
}
