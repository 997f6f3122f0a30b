using System.Text.Json.Nodes;
using Phoenix.Asl.Intrinsics;
using Phoenix.Asl.Paths;
using Phoenix.Asl.Tests.Paths;

namespace Phoenix.Asl.Tests.Intrinsics;

/// <summary>Each function against values AWS recorded (pure.jsonl intrinsic cases) plus its limits and errors.</summary>
public class IntrinsicFunctionsTests
{
    private static JsonNode? Run(string expression, string input = "{}")
    {
        var root = JsonNode.Parse(input);
        return IntrinsicFunctions.Evaluate(expression, path => JsonPathEvaluator.Select(root, path));
    }

    private static IntrinsicFunctionException Fails(string expression, string input = "{}") =>
        Assert.Throws<IntrinsicFunctionException>(() => Run(expression, input));

    [Theory]
    [InlineData("\"\"", "Formatting argument .")]
    [InlineData("\" \"", "Formatting argument  .")]
    [InlineData("null", "Formatting argument null.")]
    [InlineData("1", "Formatting argument 1.")]
    [InlineData("1.1", "Formatting argument 1.1.")]
    [InlineData("true", "Formatting argument true.")]
    [InlineData("\"{\\\"Arg1\\\": 1, \\\"Arg2\\\": []}\"", "Formatting argument {\"Arg1\": 1, \"Arg2\": []}.")]
    [InlineData("{\"Arg1\": 1, \"Arg2\": []}", "Formatting argument {Arg1=1, Arg2=[]}.")]
    [InlineData("[\"a\", {\"k\": null}, [1]]", "Formatting argument [a, {k=null}, [1]].")]
    public void Format_ArgumentOfEachKind_RendersAsAws(string value, string expected) =>
        Assert.Equal(expected, Run("States.Format('Formatting argument {}.', $.v)", $$"""{"v": {{value}}}""")!.GetValue<string>());

    [Fact]
    public void Format_TemplateFromPath_UsesItsPlaceholders() =>
        Assert.Equal("Hello, my name is Arnav.", Run("States.Format($.template, $.name)", """{"name":"Arnav","template":"Hello, my name is {}."}""")!.GetValue<string>());

    [Fact]
    public void Format_EscapedBracesInLiteral_AreNotPlaceholders() =>
        Assert.Equal("{} = 1", Run(@"States.Format('\{\} = {}', 1)")!.GetValue<string>());

    [Theory]
    [InlineData("States.Format('{} and {}', 1)", "2 placeholder(s) but 1 argument(s)")]
    [InlineData("States.Format('none', 1)", "0 placeholder(s) but 1 argument(s)")]
    [InlineData("States.Format($.n)", "the template (first argument) must be a string, got number 5")]
    public void Format_BadArguments_Fails(string expression, string message) =>
        Assert.Contains(message, Fails(expression, """{"n":5}""").Message, StringComparison.Ordinal);

    [Theory]
    [InlineData("\"\"", "null")]
    [InlineData("\" \"", "null")]
    [InlineData("\"null\"", "null")]
    [InlineData("\"-0\"", "0")]
    [InlineData("\"1.1\"", "1.1")]
    [InlineData("\"true\"", "true")]
    [InlineData("\"\\\"HelloWorld\\\"\"", "\"HelloWorld\"")]
    [InlineData("\"[1, 2, \\\"HelloWorld\\\"]\"", "[1,2,\"HelloWorld\"]")]
    [InlineData("\"{\\\"Arg1\\\": 1, \\\"Arg2\\\": []}\"", "{\"Arg1\":1,\"Arg2\":[]}")]
    public void StringToJson_RecordedInputs_ParseAsAws(string value, string expected) =>
        JsonPathTests.AssertJson(expected, Run("States.StringToJson($.v)", $$"""{"v": {{value}}}"""));

    [Fact]
    public void StringToJson_InvalidJson_FailsNamingText() =>
        Assert.Contains("'{nope' is not valid JSON", Fails("States.StringToJson('{nope')").Message, StringComparison.Ordinal);

    [Fact]
    public void StringToJson_DuplicateKeys_LastWinsLikeJackson() =>
        JsonPathTests.AssertJson("""{"a":2}""", Run("""States.StringToJson('{"a":1,"a":2}')"""));

    [Fact]
    public void StringToJson_NonString_Fails() =>
        Assert.Contains("must be a string", Fails("States.StringToJson(1)").Message, StringComparison.Ordinal);

    [Theory]
    [InlineData("null", "null")]
    [InlineData("0", "0")]
    [InlineData("1.1", "1.1")]
    [InlineData("true", "true")]
    [InlineData("\"HelloWorld\"", "\"HelloWorld\"")]
    [InlineData("[1, 2, \"HelloWorld\"]", "[1,2,\"HelloWorld\"]")]
    [InlineData("{\"Arg1\": 1, \"Arg2\": []}", "{\"Arg1\":1,\"Arg2\":[]}")]
    [InlineData("{\"html\": \"<a href='x'>é</a>\"}", "{\"html\":\"<a href='x'>é</a>\"}")]
    public void JsonToString_Value_IsCompactJsonText(string value, string expected) =>
        Assert.Equal(expected, Run("States.JsonToString($.v)", $$"""{"v": {{value}}}""")!.GetValue<string>());

    [Fact]
    public void Array_Arguments_KeepOrderAndKinds() =>
        JsonPathTests.AssertJson("""[{"Arg1":1,"Arg2":[]},null,"",[]]""", Run("States.Array($.o, $.n, '', States.Array())", """{"o":{"Arg1":1,"Arg2":[]},"n":null}"""));

    [Theory]
    [InlineData("[]", 1, "[]")]
    [InlineData("[0]", 5, "[[0]]")]
    [InlineData("[0,1,2]", 2, "[[0,1],[2]]")]
    [InlineData("[0,1,2,3]", 2, "[[0,1],[2,3]]")]
    [InlineData("[0,1,2,3]", 3, "[[0,1,2],[3]]")]
    public void ArrayPartition_Chunks_AsRecorded(string array, int size, string expected) =>
        JsonPathTests.AssertJson(expected, Run("States.ArrayPartition($.a, $.s)", $$"""{"a": {{array}}, "s": {{size}}}"""));

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("1.5")]
    [InlineData("\"2\"")]
    public void ArrayPartition_BadChunkSize_Fails(string size) =>
        Assert.StartsWith("States.ArrayPartition: the chunk size", Fails("States.ArrayPartition($.a, $.s)", $$"""{"a":[1], "s": {{size}}}""").Message, StringComparison.Ordinal);

    [Theory]
    [InlineData("[]", "null", false)]
    [InlineData("[]", "[]", false)]
    [InlineData("[[1, 2, 3], 2]", "null", false)]
    [InlineData("[[1, 2, 3], 2]", "[1, 2, 3]", true)]
    [InlineData("[{\"1\": 2, \"2\": []}]", "{\"2\": [], \"1\": 2}", true)]
    [InlineData("[true, false]", "false", true)]
    [InlineData("[1, 2]", "2.0", true)]
    [InlineData("[1, 2]", "\"2\"", false)]
    public void ArrayContains_Value_ComparesByJsonValue(string array, string value, bool expected) =>
        Assert.Equal(expected, Run("States.ArrayContains($.a, $.v)", $$"""{"a": {{array}}, "v": {{value}}}""")!.GetValue<bool>());

    [Theory]
    [InlineData(0, 9, 3, "[0,3,6,9]")]
    [InlineData(0, 10, 3, "[0,3,6,9]")]
    [InlineData(1, 9, 9, "[1]")]
    [InlineData(1, 9, 2, "[1,3,5,7,9]")]
    [InlineData(5, 1, -2, "[5,3,1]")]
    [InlineData(5, 1, 1, "[]")]
    [InlineData(1, 1000, 1, null)]
    public void ArrayRange_Bounds_IncludeEnd(int start, int end, int step, string? expected)
    {
        var result = Run($"States.ArrayRange({start}, {end}, {step})");

        if (expected is null)
        {
            Assert.Equal(1000, ((JsonArray)result!).Count);
        }
        else
        {
            JsonPathTests.AssertJson(expected, result);
        }
    }

    [Theory]
    [InlineData("States.ArrayRange(0, 1000, 1)", "1001 items; arrays cannot contain more than 1000 items")]
    [InlineData("States.ArrayRange(0, 10, 0)", "the step must not be 0")]
    [InlineData("States.ArrayRange(0.5, 10, 1)", "the start must be an integer, got number 0.5")]
    [InlineData("States.ArrayRange(0, '10', 1)", "the end must be an integer, got string \"10\"")]
    public void ArrayRange_OutsideLimits_Fails(string expression, string message) =>
        Assert.Contains(message, Fails(expression).Message, StringComparison.Ordinal);

    [Fact]
    public void ArrayGetItem_Index_ReturnsItem() =>
        JsonPathTests.AssertJson("6", Run("States.ArrayGetItem($.a, 5)", """{"a":[1,2,3,4,5,6,7,8,9]}"""));

    [Theory]
    [InlineData("9", "the index 9 is outside the array of 9 item(s)")]
    [InlineData("-1", "the index -1 is outside the array")]
    [InlineData("1.5", "the index must be an integer")]
    public void ArrayGetItem_BadIndex_Fails(string index, string message) =>
        Assert.Contains(message, Fails($"States.ArrayGetItem($.a, {index})", """{"a":[1,2,3,4,5,6,7,8,9]}""").Message, StringComparison.Ordinal);

    [Fact]
    public void ArrayLength_Array_CountsItems() =>
        JsonPathTests.AssertJson("9", Run("States.ArrayLength($.a)", """{"a":[1,2,3,4,5,6,7,8,9]}"""));

    [Fact]
    public void ArrayLength_NotAnArray_FailsNamingValue() =>
        Assert.Equal("States.ArrayLength: the argument must be an array, got object {\"a\":1}", Fails("States.ArrayLength($)", """{"a":1}""").Message);

    [Fact]
    public void ArrayUnique_Duplicates_KeepsFirstOfEach() =>
        JsonPathTests.AssertJson(
            """[null,true,false,1,1.1,0,"HelloWorld",[],[null],{"a":1,"b":2},{"a":1,"b":1}]""",
            Run("States.ArrayUnique($.a)", """{"a":[null,null,true,true,false,false,1,1,1.1,0,0,"HelloWorld","HelloWorld",[],[],[null],[null],{"a":1,"b":2},{"b":2,"a":1},{"a":1,"b":1},1.0]}"""));

    [Theory]
    [InlineData("", "")]
    [InlineData("Data to encode", "RGF0YSB0byBlbmNvZGU=")]
    [InlineData("héllo ✓", "aMOpbGxvIOKckw==")]
    public void Base64Encode_Text_EncodesUtf8(string text, string expected)
    {
        Assert.Equal(expected, Run("States.Base64Encode($.v)", new JsonObject { ["v"] = text }.ToJsonString())!.GetValue<string>());
        Assert.Equal(text, Run("States.Base64Decode($.v)", new JsonObject { ["v"] = expected }.ToJsonString())!.GetValue<string>());
    }

    [Theory]
    [InlineData("States.Base64Encode")]
    [InlineData("States.Base64Decode")]
    [InlineData("States.Hash")]
    public void InputLimitedFunction_Over10000Characters_Fails(string function)
    {
        var input = new JsonObject { ["v"] = new string('A', 10_004) }.ToJsonString();
        var expression = function == "States.Hash" ? $"{function}($.v, 'MD5')" : $"{function}($.v)";

        Assert.Contains("the input has 10004 characters; the maximum is 10000", Fails(expression, input).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Base64Encode_Exactly10000Characters_Succeeds() =>
        Assert.NotNull(Run("States.Base64Encode($.v)", new JsonObject { ["v"] = new string('A', 10_000) }.ToJsonString()));

    [Theory]
    [InlineData("RGF0YSB0byBlbmNvZGU", "Data to encode")]
    [InlineData("YQ", "a")]
    [InlineData("YWI", "ab")]
    public void Base64Decode_MissingPadding_DecodesLikeJava(string value, string expected) =>
        Assert.Equal(expected, Run("States.Base64Decode($.v)", new JsonObject { ["v"] = value }.ToJsonString())!.GetValue<string>());

    [Theory]
    [InlineData("not base64!", "is not valid Base64")]
    [InlineData("YWJjZ", "is not valid Base64")]
    [InlineData("/w==", "does not decode to UTF-8 text")]
    public void Base64Decode_BadInput_Fails(string value, string message) =>
        Assert.Contains(message, Fails("States.Base64Decode($.v)", new JsonObject { ["v"] = value }.ToJsonString()).Message, StringComparison.Ordinal);

    [Theory]
    [InlineData("MD5", "812f45842bc6d66ee14572ce20db8e86")]
    [InlineData("SHA-1", "aaff4a450a104cd177d28d18d74485e8cae074b7")]
    [InlineData("SHA-256", "b4a697a057313163aee33cd8d40c66e9f0f177e00cac2de32475ffff6169c3e3")]
    [InlineData("SHA-384", "d28a7d5cf25a74f11a50a18452b75e04bb3d70c9dd0510d6123aa008c756511b87525bdc835ebb27e1fb9e9374a15562")]
    [InlineData("SHA-512", "6ce4adb348546d4f449c4d25aad9a7c9cb711d9e91982d3f0b29ca2f3f47d4ce2deba23bf2954f0f1d593fc50283731a533d30d425402d4f91316d871303aac4")]
    public void Hash_RecordedAlgorithms_MatchAws(string algorithm, string expected) =>
        Assert.Equal(expected, Run($"States.Hash('input data', '{algorithm}')")!.GetValue<string>());

    [Theory]
    [InlineData("'SHA256'", "unknown algorithm 'SHA256'")]
    [InlineData("1", "the algorithm must be a string")]
    public void Hash_BadAlgorithm_Fails(string algorithm, string message) =>
        Assert.Contains(message, Fails($"States.Hash('x', {algorithm})").Message, StringComparison.Ordinal);

    [Fact]
    public void JsonMerge_Shallow_SecondObjectWins() =>
        JsonPathTests.AssertJson(
            """{"a":{"a3":1,"a4":2},"b":2,"c":3,"d":4}""",
            Run("States.JsonMerge($.fst, $.snd, false)", """{"fst":{"a":{"a1":1,"a2":2},"b":2,"d":3},"snd":{"a":{"a3":1,"a4":2},"c":3,"d":4}}"""));

    [Fact]
    public void JsonMerge_LiteralJsonAndContext_MergesAsRecorded()
    {
        var context = JsonNode.Parse("""{"Execution":{"Input":{"input_field":{"constant_input_field":"constant_value"}}}}""");

        var result = IntrinsicFunctions.Evaluate(
            """States.JsonMerge(States.StringToJson('{"constant_in_literal": "false"}'), $$.Execution.Input.input_field, false)""",
            path => JsonPathEvaluator.Select(context, path));

        JsonPathTests.AssertJson("""{"constant_input_field":"constant_value","constant_in_literal":"false"}""", result);
    }

    [Theory]
    [InlineData("true", "only shallow merging is supported")]
    [InlineData("'false'", "the third argument (deep merge) must be a boolean")]
    public void JsonMerge_DeepOrNonBoolean_Fails(string deep, string message) =>
        Assert.Contains(message, Fails($"States.JsonMerge($.a, $.a, {deep})", """{"a":{}}""").Message, StringComparison.Ordinal);

    [Fact]
    public void JsonMerge_NonObject_Fails() =>
        Assert.Contains("the second argument must be an object, got array []", Fails("States.JsonMerge($.a, $.b, false)", """{"a":{},"b":[]}""").Message, StringComparison.Ordinal);

    [Theory]
    [InlineData("-9", "3", -6)]
    [InlineData("1.49", "1.5", 3)]
    [InlineData("-1.5", "0", -1)]
    [InlineData("-1.51", "0", -2)]
    [InlineData("0.5", "0", 1)]
    [InlineData("2.5", "0", 3)]
    [InlineData("-0.5", "0.5", 1)]
    [InlineData("-0.5", "0", 0)]
    [InlineData("-2.5", "0", -2)]
    [InlineData("1.5", "1.51", 4)]
    [InlineData("-1.49", "-1.5", -2)]
    [InlineData("-1.5", "-1.51", -3)]
    [InlineData("1.49", "-1.49", 0)]
    [InlineData("2147483647", "1", 2147483648)]
    public void MathAdd_Operands_RoundHalfUpThenAdd(string left, string right, long expected) =>
        Assert.Equal(expected, Run("States.MathAdd($.l, $.r)", $$"""{"l": {{left}}, "r": {{right}}}""")!.GetValue<long>());

    [Theory]
    [InlineData("'1'")]
    [InlineData("null")]
    [InlineData("3000000000")]
    public void MathAdd_NonNumberOrOutOfRange_Fails(string operand) =>
        Assert.Contains("the first argument must be a number", Fails($"States.MathAdd({operand}, 1)").Message, StringComparison.Ordinal);

    [Theory]
    [InlineData("12.5", "44.51", 13, 45)]
    [InlineData("9999", "99999", 9999, 99999)]
    [InlineData("-99999", "-9999", -99999, -9999)]
    public void MathRandom_Bounds_ResultWithinRoundedRange(string start, string end, int low, int high)
    {
        for (var i = 0; i < 50; i++)
        {
            var value = Run("States.MathRandom($.s, $.e)", $$"""{"s": {{start}}, "e": {{end}}}""")!.GetValue<int>();
            Assert.InRange(value, low, high - 1);
        }
    }

    [Fact]
    public void MathRandom_Seeded_IsRepeatable() =>
        Assert.Equal(
            Run("States.MathRandom(0, 999, 3)")!.GetValue<int>(),
            Run("States.MathRandom(0, 999, 3)")!.GetValue<int>());

    [Theory]
    [InlineData("States.MathRandom(10, 1)", "the end 1 is less than the start 10")]
    [InlineData("States.MathRandom(0, 10, 1.5)", "the seed must be an integer")]
    [InlineData("States.MathRandom('0', 10)", "the start must be a number")]
    public void MathRandom_BadArguments_Fails(string expression, string message) =>
        Assert.Contains(message, Fails(expression).Message, StringComparison.Ordinal);

    [Theory]
    [InlineData(" ", ",", "[\" \"]")]
    [InlineData(" , ", ",", "[\" \",\" \"]")]
    [InlineData(", , ,", ",", "[\" \",\" \"]")]
    [InlineData(",,,,", ",", "[]")]
    [InlineData("1,2,3,4,5", ",", "[\"1\",\"2\",\"3\",\"4\",\"5\"]")]
    [InlineData("This.is+a,test=string", ".+,=", "[\"This\",\"is\",\"a\",\"test\",\"string\"]")]
    [InlineData("split on T and \nnew line", "T\n", "[\"split on \",\" and \",\"new line\"]")]
    [InlineData("", ",", "[]")]
    [InlineData("a b", "", "[\"a b\"]")]
    public void StringSplit_DelimiterCharacters_SplitAndDropEmpties(string text, string delimiters, string expected) =>
        JsonPathTests.AssertJson(expected, Run("States.StringSplit($.t, $.d)", new JsonObject { ["t"] = text, ["d"] = delimiters }.ToJsonString()));

    [Fact]
    public void StringSplit_NonString_Fails() =>
        Assert.Contains("the string (first argument) must be a string", Fails("States.StringSplit(1, ',')").Message, StringComparison.Ordinal);

    [Fact]
    public void Uuid_Call_ReturnsFreshVersion4Guid()
    {
        var first = Run("States.UUID()")!.GetValue<string>();
        var second = Run("States.UUID()")!.GetValue<string>();

        Assert.NotEqual(first, second);
        Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", first);
    }

    [Fact]
    public void Evaluate_MissingPathArgument_PropagatesPathError()
    {
        var e = Assert.Throws<JsonPathException>(() => Run("States.Array($.missing)"));

        Assert.Equal("$.missing", e.Path);
    }

    [Fact]
    public void IntrinsicFunctionException_Always_CarriesRuntimeErrorName()
    {
        var e = Fails("States.ArrayLength(1)");

        Assert.Equal("States.Runtime", e.ErrorName);
        Assert.Equal("States.ArrayLength", e.Function);
    }
}
