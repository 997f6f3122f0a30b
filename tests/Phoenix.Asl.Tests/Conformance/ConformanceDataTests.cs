namespace Phoenix.Asl.Tests.Conformance;

/// <summary>Absent conformance data skips the replay, saying why, except under CI, where it fails.</summary>
public sealed class ConformanceDataTests
{
    [Fact]
    public void SkipReason_AbsentFileOutsideCi_NamesTheFileAndWhereItLooked()
    {
        var why = ConformanceSuite.SkipReason(["no-such-suite"], underCi: false);

        Assert.NotNull(why);
        Assert.Contains("no-such-suite.jsonl is absent", why, StringComparison.Ordinal);
        Assert.Contains(ConformanceSuite.Folder, why, StringComparison.Ordinal);
        Assert.Contains("CI", why, StringComparison.Ordinal);
    }

    [Fact]
    public void SkipReason_AbsentFileUnderCi_DoesNotSkip()
    {
        Assert.Null(ConformanceSuite.SkipReason(["no-such-suite"], underCi: true));
    }

    [Fact]
    public void Cases_AbsentFile_FailsNamingIt()
    {
        // What a test that is not skipped (under CI) meets: a failure, never an empty, green replay.
        var e = Assert.Throws<FileNotFoundException>(() => ConformanceSuite.Cases("no-such-suite"));

        Assert.Contains("no-such-suite.jsonl is absent", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SkipReason_PresentFiles_RunsThem()
    {
        Assert.Null(ConformanceSuite.SkipReason(["pure", "choice", "lambda"], underCi: false));
    }
}
