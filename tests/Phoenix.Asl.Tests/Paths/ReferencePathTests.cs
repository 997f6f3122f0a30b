using System.Text.Json.Nodes;
using Phoenix.Asl.Paths;

namespace Phoenix.Asl.Tests.Paths;

public class ReferencePathTests
{
    [Fact]
    public void Set_RootPath_ReturnsResultAlone()
    {
        var result = ReferencePath.Set(JsonNode.Parse("""{"a":1}"""), "$", JsonValue.Create("Hello"));

        JsonPathTests.AssertJson("\"Hello\"", result);
    }

    [Fact]
    public void Set_MissingIntermediates_CreatesObjects()
    {
        var result = ReferencePath.Set(JsonNode.Parse("""{"keep":true}"""), "$.detail.shipped_output", JsonNode.Parse("[1]"));

        JsonPathTests.AssertJson("""{"keep":true,"detail":{"shipped_output":[1]}}""", result);
    }

    [Fact]
    public void Set_ExistingKey_ReplacesOnlyThatKey()
    {
        var result = ReferencePath.Set(JsonNode.Parse("""{"a":{"b":1,"c":2}}"""), "$.a.b", JsonValue.Create(9));

        JsonPathTests.AssertJson("""{"a":{"b":9,"c":2}}""", result);
    }

    [Fact]
    public void Set_NullResult_StoresJsonNull()
    {
        var result = ReferencePath.Set(JsonNode.Parse("{}"), "$.r", null);

        JsonPathTests.AssertJson("""{"r":null}""", result);
    }

    [Fact]
    public void Set_AnyPath_LeavesInputUnchanged()
    {
        var input = JsonNode.Parse("""{"a":{"b":1}}""");

        ReferencePath.Set(input, "$.a.c", JsonValue.Create(2));

        JsonPathTests.AssertJson("""{"a":{"b":1}}""", input);
    }

    [Fact]
    public void Set_ValueOwnedByAnotherDocument_IsCopied()
    {
        var other = JsonNode.Parse("""{"x":{"y":1}}""");

        var result = ReferencePath.Set(JsonNode.Parse("{}"), "$.copy", other!["x"]);

        JsonPathTests.AssertJson("""{"copy":{"y":1}}""", result);
        JsonPathTests.AssertJson("""{"x":{"y":1}}""", other);
    }

    [Fact]
    public void Set_ArrayIndex_ReplacesElement()
    {
        var result = ReferencePath.Set(JsonNode.Parse("""{"list":[1,2,3]}"""), "$.list[-1]", JsonValue.Create(30));

        JsonPathTests.AssertJson("""{"list":[1,2,30]}""", result);
    }

    [Fact]
    public void Set_ArrayIndexOutOfRange_Throws()
    {
        var e = Assert.Throws<JsonPathException>(() => ReferencePath.Set(JsonNode.Parse("""{"list":[1]}"""), "$.list[3]", JsonValue.Create(0)));

        Assert.Contains("index 3", e.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"text\"", "$.result", "$ is string")]
    [InlineData("[1,2]", "$.result", "$ is array")]
    [InlineData("""{"a":5}""", "$.a.b", "$['a'] is number")]
    [InlineData("""{"a":null}""", "$.a.b", "$['a'] is null")]
    public void Set_ThroughNonObject_ThrowsNamingWhatWasFound(string input, string path, string found)
    {
        var e = Assert.Throws<JsonPathException>(() => ReferencePath.Set(JsonNode.Parse(input), path, JsonValue.Create(1)));

        Assert.Equal(path, e.Path);
        Assert.Contains(found, e.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("$.a[*]")]
    [InlineData("$..a")]
    [InlineData("$$.Execution")]
    public void Set_NonReferencePath_ThrowsSyntaxError(string path) =>
        Assert.Throws<JsonPathSyntaxException>(() => ReferencePath.Set(JsonNode.Parse("{}"), path, null));

    [Theory]
    [InlineData("$", true)]
    [InlineData("$.a['b c'][0]", true)]
    [InlineData("$$.Execution.Input.value", true)]
    [InlineData("$.a[*]", false)]
    [InlineData("$.a[?(@.b)]", false)]
    [InlineData("$.a.length()", false)]
    [InlineData("$.a[0:1]", false)]
    [InlineData("$.a b", false)]
    public void Validate_Path_AcceptsOnlyReferencePaths(string path, bool valid)
    {
        var error = ReferencePath.Validate(path);

        Assert.Equal(valid, error is null);
        if (!valid)
        {
            Assert.Contains(path, error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Validate_ContextPathWhereNotAllowed_ReturnsReason() =>
        Assert.NotNull(ReferencePath.Validate("$$.Execution.Id", allowContext: false));
}
