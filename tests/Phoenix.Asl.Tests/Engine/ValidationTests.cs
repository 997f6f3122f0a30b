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

    [Fact]
    public void Parse_DuplicateKey_OneDiagnosticNamingKeyLocationAndLine()
    {
        var e = Invalid("{\"StartAt\":\"A\",\n\"States\":{\"A\":{\"Type\":\"Pass\",\"End\":true,\"End\":false}}}");

        var diagnostic = Assert.Single(e.Diagnostics);
        Assert.Equal(("INVALID_JSON_DESCRIPTION", "/States/A/End"), (diagnostic.Code, diagnostic.Location));
        Assert.Contains("duplicate key 'End' at /States/A/End (line 2, column 41)", diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_StateNamedTwiceInOneStatesObject_IsADuplicateStateName()
    {
        var e = Invalid("""{"StartAt":"A","States":{"A":{"Type":"Succeed"},"A":{"Type":"Fail"}}}""");

        Assert.Equal(("DUPLICATE_STATE_NAME", "/States/A"), (e.Diagnostics[0].Code, e.Diagnostics[0].Location));
    }

    [Fact]
    public void Parse_StateNameReusedInABranch_IsADuplicateStateName()
    {
        var e = Invalid("""
            {"StartAt":"A","States":{"A":{"Type":"Parallel","End":true,
              "Branches":[{"StartAt":"A","States":{"A":{"Type":"Succeed"}}}]}}}
            """);

        var diagnostic = Assert.Single(e.Diagnostics);
        Assert.Equal(("DUPLICATE_STATE_NAME", "/States/A/Branches/0/States/A"), (diagnostic.Code, diagnostic.Location));
    }

    [Fact]
    public void Parse_SeveralProblems_EachReportedWithItsPointer()
    {
        var e = Invalid("""
            {"StartAt":"A","States":{
              "A":{"Type":"Pass","Next":"Nowhere","InputPath":"$.a["},
              "M":{"Type":"Map","End":true,"ItemProcessor":{"StartAt":"I","States":{"I":{"Type":"Task","Resource":"@FN","End":true,
                "Retry":[{"ErrorEquals":[],"MaxAttempts":-1}]}}}}}}
            """);

        var found = e.Diagnostics.Select(d => (d.Code, d.Location)).ToList();
        Assert.Contains(("MISSING_TRANSITION_TARGET", "/States/A/Next"), found);
        Assert.Contains(("SCHEMA_VALIDATION_FAILED", "/States/A/InputPath"), found);
        Assert.Contains(("SCHEMA_VALIDATION_FAILED", "/States/M/ItemProcessor/States/I/Retry/0/ErrorEquals"), found);
        Assert.Contains(("SCHEMA_VALIDATION_FAILED", "/States/M/ItemProcessor/States/I/Retry/0/MaxAttempts"), found);
        Assert.Contains(("SCHEMA_VALIDATION_FAILED", "/States/M"), found);
        Assert.All(e.Diagnostics, d => Assert.Equal("ERROR", d.Severity));
    }

    [Fact]
    public void Validate_ValidDefinition_NoDiagnostics()
    {
        Assert.Empty(StateMachineDefinition.Validate("""{"StartAt":"A","States":{"A":{"Type":"Succeed"}}}"""));
    }

    [Fact]
    public void Validate_EmptyText_MissingDescription()
    {
        var diagnostic = Assert.Single(StateMachineDefinition.Validate("  "));
        Assert.Equal("MISSING_DESCRIPTION", diagnostic.Code);
    }

    [Fact]
    public void Validate_SyntaxError_InvalidJsonWithLineAndColumn()
    {
        var diagnostic = Assert.Single(StateMachineDefinition.Validate("{\"StartAt\":\n  \"A\" \"States\"}"));
        Assert.Equal("INVALID_JSON_DESCRIPTION", diagnostic.Code);
        Assert.Contains("line 2", diagnostic.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"And":[{"Variable":"$.a","IsPresent":true}],"Variable":"$.b","StringEquals":"x","Next":"B"}""", "'And' with 'Variable', 'StringEquals'")]
    [InlineData("""{"Or":[{"Variable":"$.a","IsPresent":true}],"And":[{"Variable":"$.a","IsPresent":true}],"Next":"B"}""", "'Or' with 'And'")]
    [InlineData("""{"Not":{"Variable":"$.a","IsPresent":true},"BooleanEquals":true,"Next":"B"}""", "'Not' with 'BooleanEquals'")]
    public void Parse_BooleanRuleWithASiblingOperator_IsRejected(string rule, string names)
    {
        var e = Invalid($$$$$"""{"StartAt":"C","States":{"C":{"Type":"Choice","Choices":[{{{{{rule}}}}}],"Default":"B"},"B":{"Type":"Succeed"}}}""");

        var diagnostic = Assert.Single(e.Diagnostics);
        Assert.Equal("/States/C/Choices/0", diagnostic.Location);
        Assert.Contains(names, diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NestedBooleanRuleWithASiblingOperator_IsRejectedAtItsPointer()
    {
        var e = Invalid("""
            {"StartAt":"C","States":{"C":{"Type":"Choice","Default":"B",
              "Choices":[{"And":[{"Not":{"Variable":"$.a","IsPresent":true},"Variable":"$.a"}],"Next":"B"}]},"B":{"Type":"Succeed"}}}
            """);

        Assert.Equal("/States/C/Choices/0/And/0", Assert.Single(e.Diagnostics).Location);
    }
}
