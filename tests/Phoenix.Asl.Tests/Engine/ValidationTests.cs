namespace Phoenix.Asl.Tests.Engine;

public sealed class ValidationTests
{
    private static AslDefinitionException Invalid(string json) => Assert.Throws<AslDefinitionException>(() => StateMachineDefinition.Parse(json.Replace("@FN", Asl.Fn, StringComparison.Ordinal)));

    [Fact]
    public void Parse_UnknownType_NamesStateAndField()
    {
        var e = Invalid("""{"StartAt":"A","States":{"A":{"Type":"Sleep","End":true}}}""");
        Assert.Contains(e.Errors, m => m.Contains("State 'A'", StringComparison.Ordinal) && m.Contains("'Type'", StringComparison.Ordinal) && m.Contains("Sleep", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_MissingNextAndEnd_NamesState()
    {
        var e = Invalid("""{"StartAt":"A","States":{"A":{"Type":"Pass"}}}""");
        Assert.Contains(e.Errors, m => m.Contains("State 'A'", StringComparison.Ordinal) && m.Contains("'Next'", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_NextToMissingState_NamesTarget()
    {
        var e = Invalid("""{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"}}}""");
        Assert.Contains(e.Errors, m => m.Contains("State 'A'", StringComparison.Ordinal) && m.Contains("'B'", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_UnreachableState_IsReported()
    {
        var e = Invalid("""{"StartAt":"A","States":{"A":{"Type":"Succeed"},"Lost":{"Type":"Succeed"}}}""");
        Assert.Contains(e.Errors, m => m.Contains("State 'Lost'", StringComparison.Ordinal) && m.Contains("not reachable", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_BadPath_NamesFieldAndValue()
    {
        var e = Invalid("""{"StartAt":"A","States":{"A":{"Type":"Pass","InputPath":"$.a[","End":true}}}""");
        Assert.Contains(e.Errors, m => m.Contains("'InputPath'", StringComparison.Ordinal) && m.Contains("$.a[", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_ResultPathWithWildcard_IsRejected()
    {
        var e = Invalid("""{"StartAt":"A","States":{"A":{"Type":"Pass","ResultPath":"$.a[*]","End":true}}}""");
        Assert.Contains(e.Errors, m => m.Contains("'ResultPath'", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_StatesAllNotLast_IsRejected()
    {
        var e = Invalid("""
            {"StartAt":"T","States":{"T":{"Type":"Task","Resource":"@FN","End":true,
              "Retry":[{"ErrorEquals":["States.ALL"]},{"ErrorEquals":["X"]}]}}}
            """);
        Assert.Contains(e.Errors, m => m.Contains("State 'T'", StringComparison.Ordinal) && m.Contains("Retry[0].ErrorEquals", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_StatesAllWithOtherNames_IsRejected()
    {
        var e = Invalid("""
            {"StartAt":"T","States":{"T":{"Type":"Task","Resource":"@FN","End":true,
              "Catch":[{"ErrorEquals":["States.ALL","X"],"Next":"T"}]}}}
            """);
        Assert.Contains(e.Errors, m => m.Contains("Catch[0].ErrorEquals", StringComparison.Ordinal) && m.Contains("alone", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_BadRetrierFields_AreEachReported()
    {
        var e = Invalid("""
            {"StartAt":"T","States":{"T":{"Type":"Task","Resource":"@FN","End":true,
              "Retry":[{"ErrorEquals":["X"],"BackoffRate":0.5,"MaxAttempts":-1,"JitterStrategy":"SOME","Interval":3}]}}}
            """);
        Assert.Contains(e.Errors, m => m.Contains("Retry[0].BackoffRate", StringComparison.Ordinal));
        Assert.Contains(e.Errors, m => m.Contains("Retry[0].MaxAttempts", StringComparison.Ordinal));
        Assert.Contains(e.Errors, m => m.Contains("Retry[0].JitterStrategy", StringComparison.Ordinal));
        Assert.Contains(e.Errors, m => m.Contains("Retry[0].Interval'", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_InvalidJson_SaysSo()
    {
        var e = Invalid("{not json");
        Assert.Contains("not valid JSON", e.Errors[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_DistributedMap_IsRejectedAsUnsupported()
    {
        var e = Invalid("""
            {"StartAt":"M","States":{"M":{"Type":"Map","End":true,
              "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED"},"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}}}}
            """);
        Assert.Contains(e.Errors, m => m.Contains("State 'M'", StringComparison.Ordinal) && m.Contains("DISTRIBUTED", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_ValidDefinition_ExposesStartAndStates()
    {
        var definition = StateMachineDefinition.Parse("""{"StartAt":"A","TimeoutSeconds":60,"States":{"A":{"Type":"Succeed"}}}""");
        Assert.Equal("A", definition.StartAt);
        Assert.Equal(["A"], definition.StateNames);
        Assert.Equal(60, definition.TimeoutSeconds);
    }
}
