using Phoenix.Core.Drift;

namespace Phoenix.Core.Tests.Drift;

public class DriftPolicyTests
{
    [Fact]
    public void Parse_FullPolicy_ReadsEveryField() =>
        Assert.Equal(new DriftPolicy(true, 3, true), DriftPolicy.Parse("""{"enabled":true,"maxPerHour":3,"dryRun":true}"""));

    [Fact]
    public void Parse_EmptyObject_IsOff() => Assert.Equal(DriftPolicy.Off, DriftPolicy.Parse("{}"));

    [Theory]
    [InlineData("""{"enabled":true,"maxPerHour":0}""", "maxPerHour 0")]
    [InlineData("""{"enabled":true,"maxPerHour":1000}""", "maxPerHour 1000")]
    [InlineData("""{"enabled":true,"maxPerHr":2}""", "maxPerHr")]
    [InlineData("""{"enabled":"yes"}""", "not valid JSON")]
    [InlineData("null", "null")]
    public void Parse_BadPolicy_ThrowsNamingTheValue(string json, string named)
    {
        var error = Assert.Throws<ArgumentException>(() => DriftPolicy.Parse(json));

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }
}
