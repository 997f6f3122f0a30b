using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Phoenix.Asl.Intrinsics;

/// <summary>
/// Parses <c>States.Name(arg, …)</c>. Arguments: nested calls, <c>'string'</c> literals (escapes <c>\'</c>,
/// <c>\{</c>, <c>\}</c>, <c>\\</c>; any other backslash pair is kept as written, a trailing lone backslash is an
/// error), JSON numbers, <c>true</c>, <c>false</c>, <c>null</c>, and <c>$…</c> / <c>$$…</c> paths.
/// </summary>
internal sealed class IntrinsicParser(string text)
{
    /// <summary>
    /// AWS allows up to 10 intrinsic functions in a field. Its documentation calls a field with nine calls spread
    /// over two chains of depth five "nine nested intrinsic functions", so every call counts, not only the depth.
    /// </summary>
    public const int MaxCalls = 10;

    private int _position;
    private int _calls;

    private bool AtEnd => _position >= text.Length;

    private char Current => text[_position];

    public IntrinsicExpression Parse()
    {
        SkipSpace();
        var call = ParseCall();
        SkipSpace();
        if (!AtEnd)
        {
            throw Error($"unexpected '{Current}' after the call");
        }

        return call;
    }

    private IntrinsicExpression ParseCall()
    {
        if (++_calls > MaxCalls)
        {
            throw Error($"more than {MaxCalls} intrinsic functions in one field");
        }

        var start = _position;
        if (string.CompareOrdinal(text, _position, "States.", 0, 7) != 0)
        {
            throw Error("an intrinsic function starts with 'States.'");
        }

        _position += 7;
        while (!AtEnd && char.IsAsciiLetterOrDigit(Current))
        {
            _position++;
        }

        var name = text[start.._position];
        var function = IntrinsicFunctions.Find(name) ?? throw Error($"unknown function '{name}'");
        SkipSpace();
        if (AtEnd || Current != '(')
        {
            throw Error($"expected '(' after {name}");
        }

        _position++;
        var arguments = new List<IntrinsicArgument>();
        SkipSpace();
        if (!AtEnd && Current == ')')
        {
            _position++;
        }
        else
        {
            while (true)
            {
                arguments.Add(ParseArgument());
                SkipSpace();
                if (AtEnd)
                {
                    throw Error($"unclosed argument list of {name}");
                }

                if (Current == ',')
                {
                    _position++;
                    continue;
                }

                if (Current == ')')
                {
                    _position++;
                    break;
                }

                throw Error($"expected ',' or ')' in the arguments of {name}");
            }
        }

        if (arguments.Count < function.MinArguments || arguments.Count > function.MaxArguments)
        {
            var expected = function.MinArguments == function.MaxArguments
                ? $"{function.MinArguments}"
                : function.MaxArguments == int.MaxValue ? $"at least {function.MinArguments}" : $"{function.MinArguments} to {function.MaxArguments}";
            throw Error($"{name} takes {expected} argument(s), got {arguments.Count}");
        }

        return new IntrinsicExpression(text[start.._position], function, arguments);
    }

    private IntrinsicArgument ParseArgument()
    {
        SkipSpace();
        if (AtEnd)
        {
            throw Error("an argument is missing");
        }

        switch (Current)
        {
            case '\'':
                return ParseString();
            case '$':
                return ParsePath();
            case '-' or (>= '0' and <= '9'):
                return ParseNumber();
            case 'S':
                return new CallArgument(ParseCall());
        }

        foreach (var (word, value) in Keywords)
        {
            var end = _position + word.Length;
            if (string.CompareOrdinal(text, _position, word, 0, word.Length) == 0
                && (end >= text.Length || !char.IsAsciiLetterOrDigit(text[end])))
            {
                _position = end;
                return new LiteralArgument(value?.DeepClone(), null, []);
            }
        }

        throw Error($"unexpected '{Current}' where an argument was expected");
    }

    private PathArgument ParsePath()
    {
        var path = ReadPath();
        try
        {
            Paths.JsonPathEvaluator.Compile(path);
        }
        catch (Paths.JsonPathSyntaxException e)
        {
            throw Error(e.Message);
        }

        return new PathArgument(path);
    }

    private static readonly (string Word, JsonNode? Value)[] Keywords =
    [
        ("true", JsonValue.Create(true)), ("false", JsonValue.Create(false)), ("null", null),
    ];

    private LiteralArgument ParseString()
    {
        _position++;
        var value = new StringBuilder();
        var placeholders = new List<int>();
        while (true)
        {
            if (AtEnd)
            {
                throw Error("unclosed string literal");
            }

            var c = Current;
            if (c == '\'')
            {
                _position++;
                break;
            }

            if (c == '\\')
            {
                if (_position + 1 >= text.Length)
                {
                    throw Error("open escape: a backslash ends the text");
                }

                var next = text[_position + 1];
                if (next is '\'' or '{' or '}' or '\\')
                {
                    value.Append(next);
                }
                else
                {
                    // Not one of AWS's reserved characters: the backslash stays, so JSON text such as
                    // '{"a":"say \"hi\""}' reaches StringToJson intact.
                    value.Append(c).Append(next);
                }

                _position += 2;
                continue;
            }

            if (c == '{' && _position + 1 < text.Length && text[_position + 1] == '}')
            {
                placeholders.Add(value.Length);
                value.Append("{}");
                _position += 2;
                continue;
            }

            value.Append(c);
            _position++;
        }

        var s = value.ToString();
        return new LiteralArgument(JsonValue.Create(s), s, placeholders);
    }

    private LiteralArgument ParseNumber()
    {
        var start = _position;
        _position++;
        while (!AtEnd && (char.IsAsciiDigit(Current) || Current is '.' or 'e' or 'E' or '+' or '-'))
        {
            _position++;
        }

        var token = text[start.._position];
        try
        {
            if (JsonNode.Parse(token) is JsonValue number && number.GetValueKind() == JsonValueKind.Number)
            {
                return new LiteralArgument(number, null, []);
            }
        }
        catch (JsonException)
        {
            // Reported below with the token.
        }

        throw Error($"'{token}' is not a number");
    }

    /// <summary>A path argument runs to the next top-level ',' or ')' (brackets, filters and quotes may hold either).</summary>
    private string ReadPath()
    {
        var start = _position;
        var depth = 0;
        while (!AtEnd)
        {
            var c = Current;
            if (c is '\'' or '"')
            {
                _position++;
                while (!AtEnd && Current != c)
                {
                    _position += Current == '\\' ? 2 : 1;
                }
            }
            else if (c is '[' or '(')
            {
                depth++;
            }
            else if (c is ']' or ')')
            {
                if (depth == 0)
                {
                    break;
                }

                depth--;
            }
            else if (depth == 0 && (c == ',' || char.IsWhiteSpace(c)))
            {
                break;
            }

            _position++;
        }

        if (_position > text.Length)
        {
            throw Error("unclosed quote in a path argument");
        }

        return text[start.._position];
    }

    private void SkipSpace()
    {
        while (!AtEnd && char.IsWhiteSpace(Current))
        {
            _position++;
        }
    }

    private IntrinsicSyntaxException Error(string reason) => new(text, AtEnd ? $"{reason} (at the end)" : $"{reason} (at position {_position})");
}
