using System.Text.Json.Nodes;
using CsCheck;
using Phoenix.Asl.Intrinsics;
using Phoenix.Asl.Paths;

namespace Phoenix.Asl.Tests.Intrinsics;

public class IntrinsicPropertyTests
{
    private static JsonNode? Run(string expression, JsonNode input) =>
        IntrinsicFunctions.Evaluate(expression, path => JsonPathEvaluator.Select(input, path));

    [Fact]
    public void Base64_AnyString_RoundTrips() =>
        Gen.String[0, 2000].Sample(text =>
        {
            // Lone surrogates are not text; UTF-8 cannot carry them, so they are outside the property.
            if (text.Any(char.IsSurrogate))
            {
                return;
            }

            var encoded = Run("States.Base64Encode($.v)", new JsonObject { ["v"] = text });
            var decoded = Run("States.Base64Decode($.v)", new JsonObject { ["v"] = encoded!.DeepClone() });
            Assert.Equal(text, decoded!.GetValue<string>());
        });

    [Fact]
    public void ArrayPartition_AnyArrayAndSize_ConcatenationIsOriginal() =>
        Gen.Select(Gen.Int[-1000, 1000].Array[0, 60], Gen.Int[1, 70]).Sample((items, size) =>
        {
            var array = new JsonArray([.. items.Select(i => (JsonNode)JsonValue.Create(i))]);
            var chunks = (JsonArray)Run("States.ArrayPartition($.a, $.s)", new JsonObject { ["a"] = array, ["s"] = size })!;

            Assert.Equal(items, chunks.SelectMany(c => c!.AsArray()).Select(n => n!.GetValue<int>()));
            Assert.All(chunks.Take(chunks.Count - 1), c => Assert.Equal(size, c!.AsArray().Count));
            Assert.All(chunks, c => Assert.InRange(c!.AsArray().Count, 1, size));
        });

    [Fact]
    public void ArrayRange_AnySmallRange_MatchesArithmeticSequence() =>
        Gen.Select(Gen.Int[-500, 500], Gen.Int[-500, 500], Gen.Int[1, 50]).Sample((start, end, step) =>
        {
            var range = (JsonArray)Run($"States.ArrayRange({start}, {end}, {step})", new JsonObject())!;

            var expected = new List<int>();
            for (var v = start; v <= end; v += step)
            {
                expected.Add(v);
            }

            Assert.Equal(expected, range.Select(n => n!.GetValue<long>()).Select(v => (int)v));
        });

    [Fact]
    public void StringSplit_AnyText_TokensAreNonEmptyAndFreeOfDelimiters() =>
        Gen.Select(Gen.String[Gen.Char["ab,;"], 0, 40], Gen.String[Gen.Char[",;"], 1, 2]).Sample((text, delimiters) =>
        {
            var tokens = ((JsonArray)Run("States.StringSplit($.t, $.d)", new JsonObject { ["t"] = text, ["d"] = delimiters })!)
                .Select(n => n!.GetValue<string>()).ToList();

            Assert.All(tokens, t => Assert.False(string.IsNullOrEmpty(t)));
            Assert.All(tokens, t => Assert.True(t.IndexOfAny(delimiters.ToCharArray()) < 0));
            Assert.Equal(text.Where(c => !delimiters.Contains(c)), tokens.SelectMany(t => t));
        });

    [Fact]
    public void ArrayUnique_AnyArray_KeepsEachDistinctValueOnceInFirstOrder() =>
        Gen.Int[0, 5].Array[0, 40].Sample(items =>
        {
            var array = new JsonArray([.. items.Select(i => (JsonNode)JsonValue.Create(i))]);
            var unique = (JsonArray)Run("States.ArrayUnique($.a)", new JsonObject { ["a"] = array })!;

            Assert.Equal(items.Distinct(), unique.Select(n => n!.GetValue<int>()));
        });

    [Fact]
    public void MathAdd_AnyHalfSteps_EqualsJavaRoundSum() =>
        Gen.Select(Gen.Int[-2000, 2000], Gen.Int[-2000, 2000]).Sample((a2, b2) =>
        {
            // a2/2 and b2/2 cover every .5 case.
            var a = a2 / 2m;
            var b = b2 / 2m;
            var result = Run("States.MathAdd($.a, $.b)", new JsonObject { ["a"] = a, ["b"] = b })!.GetValue<long>();

            Assert.Equal((long)(decimal.Floor(a + 0.5m) + decimal.Floor(b + 0.5m)), result);
        });

    [Fact]
    public void JsonToStringThenStringToJson_AnyFlatObject_RoundTrips() =>
        Gen.Dictionary(Gen.String[Gen.Char.AlphaNumeric, 1, 8], Gen.Int)[0, 10].Sample(map =>
        {
            var obj = new JsonObject();
            foreach (var (key, value) in map)
            {
                obj[key] = value;
            }

            var text = Run("States.JsonToString($.o)", new JsonObject { ["o"] = obj });
            var back = Run("States.StringToJson($.t)", new JsonObject { ["t"] = text!.DeepClone() });
            Assert.True(JsonNode.DeepEquals(obj, back));
        });
}
