using System.Text.Json.Nodes;
using Phoenix.Asl.Paths;

namespace Phoenix.Asl.Tests.Paths;

public class JsonPathTests
{
    private static readonly JsonNode Store = JsonNode.Parse("""
        {
          "name": "shop",
          "open hours": "9-5",
          "nothing": null,
          "flag": false,
          "books": [
            { "title": "A", "price": 8, "tags": ["x"], "author": { "name": "Ann" } },
            { "title": "B", "price": 12, "isbn": "1-2" },
            { "title": "C", "price": 22.5, "isbn": "3-4", "author": { "name": "Cy" } }
          ],
          "users": [ { "year": 1997, "status": 0 }, { "year": 1998, "status": 1 } ]
        }
        """)!;

    [Theory]
    [InlineData("$.name", "\"shop\"")]
    [InlineData("$['open hours']", "\"9-5\"")]
    [InlineData("$[\"open hours\"]", "\"9-5\"")]
    [InlineData("$.books[1].title", "\"B\"")]
    [InlineData("$.books[-1].title", "\"C\"")]
    [InlineData("$['books'][0]['author'].name", "\"Ann\"")]
    [InlineData("$.books[0].tags", "[\"x\"]")]
    [InlineData("$.flag", "false")]
    [InlineData("$.books[1]['title','isbn','nope']", "{\"title\":\"B\",\"isbn\":\"1-2\"}")]
    public void Select_DefinitePath_ReturnsNode(string path, string expected) =>
        AssertJson(expected, JsonPathEvaluator.Select(Store, path));

    [Fact]
    public void Select_Root_ReturnsCopyOfWholeInput()
    {
        var result = JsonPathEvaluator.Select(Store, "$");

        AssertJson(Store.ToJsonString(), result);
        Assert.NotSame(Store, result);
    }

    [Fact]
    public void Select_PropertyHoldingNull_ReturnsNullWithoutThrowing()
    {
        Assert.Null(JsonPathEvaluator.Select(Store, "$.nothing"));
        Assert.True(JsonPathEvaluator.TrySelect(Store, "$.nothing", out var value));
        Assert.Null(value);
    }

    [Fact]
    public void Select_MissingLeaf_ThrowsWithAwsNoResultsWording()
    {
        // Recorded cause: "Invalid path '$.NoSuchInputPath' : No results for path: $['NoSuchInputPath']".
        var e = Assert.Throws<JsonPathException>(() => JsonPathEvaluator.Select(JsonNode.Parse("{}"), "$.NoSuchInputPath"));

        Assert.Equal("Invalid path '$.NoSuchInputPath' : No results for path: $['NoSuchInputPath']", e.Message);
        Assert.Equal("$.NoSuchInputPath", e.Path);
    }

    [Fact]
    public void Select_MissingIntermediate_ThrowsWithAwsMissingPropertyWording()
    {
        // Recorded cause (lambda.jsonl test_catch_states_runtime): "... Missing property in path $['no']".
        var e = Assert.Throws<JsonPathException>(() => JsonPathEvaluator.Select(JsonNode.Parse("{}"), "$.no.such.result.path"));

        Assert.Equal("Invalid path '$.no.such.result.path' : Missing property in path $['no']", e.Message);
    }

    [Fact]
    public void Select_IndexOutsideArray_ThrowsNoResults()
    {
        var e = Assert.Throws<JsonPathException>(() => JsonPathEvaluator.Select(Store, "$.books[10]"));

        Assert.Equal("No results for path: $['books'][10]", e.Detail);
    }

    [Fact]
    public void Select_PropertyOfScalar_ThrowsNamingTheScalar()
    {
        var e = Assert.Throws<JsonPathException>(() => JsonPathEvaluator.Select(Store, "$.name.first"));

        Assert.Contains("['first']", e.Detail, StringComparison.Ordinal);
        Assert.Contains("'string'", e.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Select_IndexIntoNull_ThrowsPathIsNull()
    {
        var e = Assert.Throws<JsonPathException>(() => JsonPathEvaluator.Select(Store, "$.nothing[0]"));

        Assert.Equal("The path $['nothing'] is null", e.Detail);
    }

    [Fact]
    public void TrySelect_MissingPath_ReturnsFalse()
    {
        Assert.False(JsonPathEvaluator.TrySelect(Store, "$.books[0].isbn", out var value));
        Assert.Null(value);
    }

    [Fact]
    public void Select_ResultMutated_InputUnchanged()
    {
        var input = JsonNode.Parse("""{"a":{"b":1}}""");

        var result = (JsonObject)JsonPathEvaluator.Select(input, "$.a")!;
        result["b"] = 2;

        Assert.Equal(1, input!["a"]!["b"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("$.books[*].title", "[\"A\",\"B\",\"C\"]")]
    [InlineData("$.books[0,2].title", "[\"A\",\"C\"]")]
    [InlineData("$.books[1:3].title", "[\"B\",\"C\"]")]
    [InlineData("$.books[:1].title", "[\"A\"]")]
    [InlineData("$.books[1:].title", "[\"B\",\"C\"]")]
    [InlineData("$.books[-2:].title", "[\"B\",\"C\"]")]
    [InlineData("$.books[5:9]", "[]")]
    [InlineData("$.books[*]['title','price']", "[{\"title\":\"A\",\"price\":8},{\"title\":\"B\",\"price\":12},{\"title\":\"C\",\"price\":22.5}]")]
    [InlineData("$.books[0]['author','title'].name", "[\"Ann\"]")]
    [InlineData("$.books[0].author.*", "[\"Ann\"]")]
    [InlineData("$..author.name", "[\"Ann\",\"Cy\"]")]
    [InlineData("$.books..name", "[\"Ann\",\"Cy\"]")]
    [InlineData("$..isbn", "[\"1-2\",\"3-4\"]")]
    [InlineData("$..tags[0]", "[\"x\"]")]
    [InlineData("$..[?(@.price > 10)].title", "[\"B\",\"C\"]")]
    [InlineData("$..[?(@.name)].name", "[\"shop\",\"Ann\",\"Cy\"]")]
    public void Select_IndefinitePath_ReturnsArrayOfMatches(string path, string expected) =>
        AssertJson(expected, JsonPathEvaluator.Select(Store, path));

    [Theory]
    [InlineData("$.users[?(@.status == 0)]", "[{\"year\":1997,\"status\":0}]")]
    [InlineData("$.books[?(@.isbn)].title", "[\"B\",\"C\"]")]
    [InlineData("$.books[?(@.tags[*])].title", "[\"A\"]")]
    [InlineData("$.books[?(!@.isbn)].title", "[\"A\"]")]
    [InlineData("$.books[?(@.title == 'B')].price", "[12]")]
    [InlineData("$.books[?(@.title == \"C\")].price", "[22.5]")]
    [InlineData("$.books[?(@.price > 10)].title", "[\"B\",\"C\"]")]
    [InlineData("$.books[?(@.price >= 12 && @.price < 20)].title", "[\"B\"]")]
    [InlineData("$.books[?(@.price < 10 || @.price > 20)].title", "[\"A\",\"C\"]")]
    [InlineData("$.books[?(@.price <= 8)].title", "[\"A\"]")]
    [InlineData("$.books[?(@.title != 'A')].title", "[\"B\",\"C\"]")]
    [InlineData("$.books[?(@.author.name == 'Cy')].title", "[\"C\"]")]
    [InlineData("$.books[?(@.title =~ /[ab]/i)].title", "[\"A\",\"B\"]")]
    [InlineData("$.books[?(@.title in ['A','C'])].title", "[\"A\",\"C\"]")]
    [InlineData("$.books[?(@.title nin ['A','C'])].title", "[\"B\"]")]
    [InlineData("$.books[?((@.price > 10) && !(@.title == 'B'))].title", "[\"C\"]")]
    [InlineData("$.books[?(@.tags.length() == 1)].title", "[\"A\"]")]
    [InlineData("$.books[?(@.price == '12')].title", "[\"B\"]")]
    public void Select_Filter_KeepsMatchingElements(string path, string expected) =>
        AssertJson(expected, JsonPathEvaluator.Select(Store, path));

    [Fact]
    public void Select_FilterComparingWithRoot_UsesRootDocument()
    {
        var input = JsonNode.Parse("""{"limit": 10, "items": [{"v": 5}, {"v": 15}]}""");

        AssertJson("[{\"v\":15}]", JsonPathEvaluator.Select(input, "$.items[?(@.v > $.limit)]"));
    }

    [Theory]
    [InlineData("$.books.length()", "3")]
    [InlineData("$.name.length()", "4")]
    [InlineData("$.books[0].length()", "4")]
    [InlineData("$..isbn.length()", "2")]
    public void Select_Length_CountsItems(string path, string expected) =>
        AssertJson(expected, JsonPathEvaluator.Select(Store, path));

    // AWS behaviour 12: an indefinite path in Parameters that matches nothing gives [], not an error.
    [Theory]
    [InlineData("$.item.items[*]")]
    [InlineData("$.item.items[1:5].itemValue")]
    [InlineData("$.item.items[1:5]")]
    [InlineData("$.item.items[1:]")]
    [InlineData("$.item.items[:1]")]
    [InlineData("$.items[*].itemValue")]
    [InlineData("$.items[*]")]
    [InlineData("$.items[1:].itemValue")]
    [InlineData("$.items[1:]")]
    [InlineData("$.items[:1].itemValue")]
    [InlineData("$.items[:1]")]
    [InlineData("$[*]")]
    public void Select_IndefinitePathOnEmptyInput_ReturnsEmptyArray(string path) =>
        AssertJson("[]", JsonPathEvaluator.Select(JsonNode.Parse("{}"), path));

    [Fact]
    public void Select_BracketNameWithBackslashes_KeepsThemLiterally()
    {
        // Recorded: $['Test\""Name"'] reads the key Test\""Name" (test_escape_sequence_parsing).
        var input = JsonNode.Parse("""{"Test\\\"\"Name\"": "Value\"\\"}""");

        AssertJson("\"Value\\\"\\\\\"", JsonPathEvaluator.Select(input, "$['Test\\\"\"Name\"']"));
    }

    [Fact]
    public void Select_NamesWithDashes_Resolve()
    {
        var input = JsonNode.Parse("""{"delivery-partner": "DHL", "input-value": 1}""");

        AssertJson("\"DHL\"", JsonPathEvaluator.Select(input, "$.delivery-partner"));
    }

    [Fact]
    public void Compile_ContextPath_IsMarkedAndEvaluatesAgainstGivenRoot()
    {
        var context = JsonNode.Parse("""{"Execution": {"Name": "run-1"}, "Map": {"Item": {"Index": 3}}}""");

        var path = JsonPathEvaluator.Compile("$$.Execution.Name");

        Assert.True(path.IsContextPath);
        AssertJson("\"run-1\"", path.Select(context));
        AssertJson("3", JsonPathEvaluator.Select(context, "$$.Map.Item.Index"));
        AssertJson(context!.ToJsonString(), JsonPathEvaluator.Select(context, "$$"));
    }

    [Fact]
    public void Select_MissingContextPath_MessageKeepsDoubleDollar()
    {
        var e = Assert.Throws<JsonPathException>(() => JsonPathEvaluator.Select(JsonNode.Parse("{}"), "$$.Execution.Input.no_such_jsonpath"));

        Assert.Equal("$$.Execution.Input.no_such_jsonpath", e.Path);
        Assert.StartsWith("Missing property in path $$['Execution']", e.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("$", true, true)]
    [InlineData("$.a.b", true, true)]
    [InlineData("$.a[0].b", true, true)]
    [InlineData("$['a b'][-1]", true, true)]
    [InlineData("$$.Execution.Id", true, true)]
    [InlineData("$.a[*]", false, false)]
    [InlineData("$..a", false, false)]
    [InlineData("$.a[1:2]", false, false)]
    [InlineData("$.a[0,1]", false, false)]
    [InlineData("$.a['b','c']", true, false)]
    [InlineData("$.a[?(@.x)]", false, false)]
    [InlineData("$.a.length()", true, false)]
    public void Compile_Path_ReportsDefiniteAndReference(string path, bool definite, bool reference)
    {
        var compiled = JsonPathEvaluator.Compile(path);

        Assert.Equal(definite, compiled.IsDefinite);
        Assert.Equal(reference, compiled.IsReferencePath);
    }

    [Fact]
    public void Compile_VariablePath_NamesTheVariableAsRoot()
    {
        var path = JsonPathEvaluator.Compile("$order_1.items[0]");

        Assert.Equal("order_1", path.Variable);
        Assert.False(path.IsContextPath);
        Assert.False(path.IsRoot);
        Assert.Equal(2, JsonPathEvaluator.Select(JsonNode.Parse("""{"items":[2]}"""), "$order_1.items[0]")!.GetValue<int>());
    }

    [Theory]
    [InlineData("a.b")]
    [InlineData("$.a b")]
    [InlineData("$.")]
    [InlineData("$[")]
    [InlineData("$['a'")]
    [InlineData("$.a[x]")]
    [InlineData("$.a[1:2:3]")]
    [InlineData("$.a[?(@.x >)]")]
    [InlineData("$.a[?(@.x == 1]")]
    [InlineData("$.a.foo()")]
    [InlineData("$.a.length().b")]
    [InlineData("$-x")]
    public void Compile_InvalidPath_ThrowsSyntaxErrorNamingPath(string path)
    {
        var e = Assert.Throws<JsonPathSyntaxException>(() => JsonPathEvaluator.Compile(path));

        Assert.Equal(path, e.Path);
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SelectAll_DefinitePath_ReturnsZeroOrOneMatch()
    {
        AssertJson("[\"shop\"]", JsonPathEvaluator.SelectAll(Store, "$.name"));
        AssertJson("[]", JsonPathEvaluator.SelectAll(Store, "$.missing"));
    }

    internal static void AssertJson(string expected, JsonNode? actual)
    {
        var expectedNode = JsonNode.Parse(expected);
        Assert.True(JsonNode.DeepEquals(expectedNode, actual), $"expected {expected} but got {actual?.ToJsonString() ?? "null"}");
    }
}
