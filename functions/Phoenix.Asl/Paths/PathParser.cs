using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Phoenix.Asl.Paths;

/// <summary>
/// Recursive-descent parser for paths and, inside <c>[?( )]</c>, filter expressions. In a filter a relative
/// path (<c>@…</c>) ends at whitespace, an operator or a closing parenthesis instead of at the end of the text.
/// </summary>
internal sealed class PathParser(string text, int position, bool inFilter)
{
    private static readonly TimeSpan RegexTimeout = TimeSpan.FromSeconds(1);

    public int Position { get; private set; } = position;

    private string Text { get; } = text;

    private bool AtEnd => Position >= Text.Length;

    private char Current => Text[Position];

    public JsonPath ParsePath()
    {
        var start = Position;
        bool context;
        string? variable = null;
        if (inFilter && Peek('@'))
        {
            context = false;
            Position++;
        }
        else if (Peek('$'))
        {
            Position++;
            context = Peek('$');
            if (context)
            {
                Position++;
            }
            else if (!inFilter && !AtEnd && (char.IsLetter(Current) || Current == '_'))
            {
                // $name: a workflow variable is the root (Step Functions variables in JSONPath states).
                var nameStart = Position;
                while (!AtEnd && (char.IsLetterOrDigit(Current) || Current == '_'))
                {
                    Position++;
                }

                variable = Text[nameStart..Position];
            }
        }
        else
        {
            throw Error("a path starts with '$'");
        }

        var segments = new List<Segment>();
        var length = false;
        while (!AtEnd && !AtPathEnd())
        {
            if (length)
            {
                throw Error("length() must end the path");
            }

            if (Peek('['))
            {
                segments.Add(ParseBracket());
            }
            else if (Peek('.'))
            {
                Position++;
                if (Peek('.'))
                {
                    Position++;
                    segments.Add(new RecursiveSegment(ParseRecursiveStep()));
                }
                else if (Peek('*'))
                {
                    Position++;
                    segments.Add(WildcardSegment.Instance);
                }
                else
                {
                    var name = ReadName();
                    if (Peek('('))
                    {
                        ParseFunction(name);
                        length = true;
                    }
                    else
                    {
                        segments.Add(new PropertySegment([name]));
                    }
                }
            }
            else
            {
                throw Error($"unexpected '{Current}'");
            }
        }

        if (segments.Count > 0 && segments[^1] is PropertySegment { Names.Count: > 1 } last && !length)
        {
            segments[^1] = new PropertySegment(last.Names, merge: true);
        }

        return JsonPath.Create(Text[start..Position], context, [.. segments], length, variable);
    }

    public FilterExpression ParseFilter()
    {
        var expression = ParseOr();
        SkipSpace();
        return expression;
    }

    private bool AtPathEnd() => inFilter && (char.IsWhiteSpace(Current) || Current is ')' or '=' or '!' or '<' or '>' or '&' or '|' or ',' or ']');

    private Segment ParseRecursiveStep()
    {
        if (Peek('['))
        {
            return ParseBracket();
        }

        if (Peek('*'))
        {
            Position++;
            return WildcardSegment.Instance;
        }

        return new PropertySegment([ReadName()]);
    }

    private void ParseFunction(string name)
    {
        Position++;
        SkipSpace();
        if (!Peek(')'))
        {
            throw Error($"function {name}() takes no arguments");
        }

        Position++;
        if (name != "length")
        {
            throw Error($"function {name}() is not supported; only length() is");
        }
    }

    private string ReadName()
    {
        var start = Position;
        while (!AtEnd && Current is not ('.' or '[' or '(') && !AtPathEnd())
        {
            if (char.IsWhiteSpace(Current))
            {
                throw Error("use bracket notation ['my prop'] for a name with blanks");
            }

            Position++;
        }

        if (Position == start)
        {
            throw Error("a name is missing");
        }

        return Text[start..Position];
    }

    private Segment ParseBracket()
    {
        Position++;
        SkipSpace();
        if (AtEnd)
        {
            throw Error("unclosed '['");
        }

        Segment segment;
        if (Current is '\'' or '"')
        {
            var names = new List<string>();
            while (true)
            {
                names.Add(ReadQuotedName());
                SkipSpace();
                if (Peek(','))
                {
                    Position++;
                    SkipSpace();
                    continue;
                }

                break;
            }

            segment = new PropertySegment(names);
        }
        else if (Peek('*'))
        {
            Position++;
            segment = WildcardSegment.Instance;
        }
        else if (Peek('?'))
        {
            segment = ParseFilterSegment();
        }
        else
        {
            segment = ParseIndexOrSlice();
        }

        SkipSpace();
        if (!Peek(']'))
        {
            throw Error("expected ']'");
        }

        Position++;
        return segment;
    }

    private string ReadQuotedName()
    {
        var quote = Current;
        var start = ++Position;
        while (!AtEnd && Current != quote)
        {
            Position += Current == '\\' ? 2 : 1;
        }

        if (AtEnd)
        {
            throw Error("unclosed quoted name");
        }

        var name = Text[start..Position];
        Position++;
        return name;
    }

    private FilterSegment ParseFilterSegment()
    {
        Position++;
        SkipSpace();
        if (!Peek('('))
        {
            throw Error("expected '(' after '?'");
        }

        var open = Position;
        var close = FindClosingParenthesis(open);
        var source = Text[(open + 1)..close];
        var inner = new PathParser(Text, open + 1, inFilter: true);
        var expression = inner.ParseFilter();
        if (inner.Position != close)
        {
            throw new JsonPathSyntaxException(Text, $"unexpected '{Text[inner.Position]}' in filter at position {inner.Position}");
        }

        Position = close + 1;
        return new FilterSegment(expression, source);
    }

    private int FindClosingParenthesis(int open)
    {
        var depth = 0;
        for (var i = open; i < Text.Length; i++)
        {
            switch (Text[i])
            {
                case '(':
                    depth++;
                    break;
                case ')':
                    if (--depth == 0)
                    {
                        return i;
                    }

                    break;
                case '\'' or '"' or '/':
                    var quote = Text[i];
                    for (i++; i < Text.Length && Text[i] != quote; i++)
                    {
                        if (Text[i] == '\\')
                        {
                            i++;
                        }
                    }

                    break;
            }
        }

        throw new JsonPathSyntaxException(Text, $"unclosed filter starting at position {open}");
    }

    private Segment ParseIndexOrSlice()
    {
        var start = Position;
        while (!AtEnd && Current != ']')
        {
            Position++;
        }

        var body = Text[start..Position].Trim();
        var colon = body.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0)
        {
            if (body.IndexOf(':', colon + 1) >= 0)
            {
                throw Error($"slice steps are not supported: [{body}]");
            }

            return new SliceSegment(ParseBound(body[..colon], body), ParseBound(body[(colon + 1)..], body));
        }

        var indexes = new List<int>();
        foreach (var part in body.Split(','))
        {
            indexes.Add(ParseBound(part, body) ?? throw Error($"an index is missing in [{body}]"));
        }

        return new IndexSegment(indexes);
    }

    private int? ParseBound(string part, string body)
    {
        part = part.Trim();
        if (part.Length == 0)
        {
            return null;
        }

        return int.TryParse(part, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw Error($"'{part}' is not an integer index in [{body}]");
    }

    private FilterExpression ParseOr()
    {
        var left = ParseAnd();
        while (TryConsume("||"))
        {
            left = new OrExpression(left, ParseAnd());
        }

        return left;
    }

    private FilterExpression ParseAnd()
    {
        var left = ParseUnary();
        while (TryConsume("&&"))
        {
            left = new AndExpression(left, ParseUnary());
        }

        return left;
    }

    private FilterExpression ParseUnary()
    {
        SkipSpace();
        if (Peek('!') && !PeekText("!="))
        {
            Position++;
            return new NotExpression(ParseUnary());
        }

        if (Peek('('))
        {
            Position++;
            var inner = ParseOr();
            if (!TryConsume(")"))
            {
                throw Error("expected ')'");
            }

            return inner;
        }

        var left = ParseOperand();
        SkipSpace();
        var op = ParseOperator();
        if (op is null)
        {
            return left is PathOperand ? new ExistsExpression(left) : throw Error("expected a comparison operator");
        }

        SkipSpace();
        var right = op == FilterOperator.Matches ? ParseRegex() : ParseOperand();
        return new ComparisonExpression(left, op.Value, right);
    }

    private FilterOperator? ParseOperator()
    {
        foreach (var (token, op) in Operators)
        {
            if (PeekText(token))
            {
                var end = Position + token.Length;
                var isWord = char.IsLetter(token[0]);
                if (isWord && end < Text.Length && char.IsLetterOrDigit(Text[end]))
                {
                    continue;
                }

                Position = end;
                return op;
            }
        }

        return null;
    }

    private static readonly (string Token, FilterOperator Op)[] Operators =
    [
        ("==", FilterOperator.Equal), ("!=", FilterOperator.NotEqual), ("<=", FilterOperator.LessOrEqual),
        (">=", FilterOperator.GreaterOrEqual), ("=~", FilterOperator.Matches), ("<", FilterOperator.Less),
        (">", FilterOperator.Greater), ("nin", FilterOperator.NotIn), ("in", FilterOperator.In),
    ];

    private FilterOperand ParseOperand()
    {
        SkipSpace();
        if (AtEnd)
        {
            throw Error("an operand is missing");
        }

        switch (Current)
        {
            case '@' or '$':
                var relative = Current == '@';
                var path = ParsePath();
                return new PathOperand(path, relative);
            case '\'' or '"':
                return new LiteralOperand(JsonValue.Create(ReadStringLiteral()));
            case '[':
                return new LiteralOperand(ParseListLiteral());
            case '-' or (>= '0' and <= '9'):
                return new LiteralOperand(ReadNumber());
        }

        if (TryConsumeWord("true"))
        {
            return new LiteralOperand(JsonValue.Create(true));
        }

        if (TryConsumeWord("false"))
        {
            return new LiteralOperand(JsonValue.Create(false));
        }

        if (TryConsumeWord("null"))
        {
            return new LiteralOperand(null);
        }

        throw Error($"unexpected '{Current}' in filter");
    }

    private JsonArray ParseListLiteral()
    {
        Position++;
        var list = new JsonArray();
        SkipSpace();
        while (!Peek(']'))
        {
            if (ParseOperand() is not LiteralOperand literal || !literal.TryEvaluate(null, null, out var value))
            {
                throw Error("a list holds literals only");
            }

            list.Add(value);
            SkipSpace();
            if (Peek(','))
            {
                Position++;
                SkipSpace();
            }
            else if (!Peek(']'))
            {
                throw Error("expected ',' or ']' in list");
            }
        }

        Position++;
        return list;
    }

    private string ReadStringLiteral()
    {
        var quote = Current;
        Position++;
        var value = new System.Text.StringBuilder();
        while (!AtEnd && Current != quote)
        {
            if (Current == '\\' && Position + 1 < Text.Length)
            {
                Position++;
            }

            value.Append(Current);
            Position++;
        }

        if (AtEnd)
        {
            throw Error("unclosed string literal");
        }

        Position++;
        return value.ToString();
    }

    private JsonValue ReadNumber()
    {
        var start = Position;
        Position++;
        while (!AtEnd && (char.IsAsciiDigit(Current) || Current is '.' or 'e' or 'E' or '+' or '-'))
        {
            Position++;
        }

        var token = Text[start..Position];
        try
        {
            return JsonNode.Parse(token) is JsonValue number && number.GetValueKind() == System.Text.Json.JsonValueKind.Number
                ? number
                : throw Error($"'{token}' is not a number");
        }
        catch (System.Text.Json.JsonException)
        {
            throw Error($"'{token}' is not a number");
        }
    }

    private RegexOperand ParseRegex()
    {
        if (!Peek('/'))
        {
            throw Error("=~ expects a /regex/");
        }

        var start = ++Position;
        while (!AtEnd && Current != '/')
        {
            Position += Current == '\\' ? 2 : 1;
        }

        if (AtEnd)
        {
            throw Error("unclosed regex");
        }

        var pattern = Text[start..Position];
        Position++;
        var options = RegexOptions.CultureInvariant;
        while (!AtEnd && char.IsAsciiLetter(Current))
        {
            options |= Current switch
            {
                'i' => RegexOptions.IgnoreCase,
                'm' => RegexOptions.Multiline,
                's' => RegexOptions.Singleline,
                _ => throw Error($"unknown regex flag '{Current}'"),
            };
            Position++;
        }

        try
        {
            // Jayway matches the whole string, not a substring.
            return new RegexOperand(new Regex($"^(?:{pattern})$", options, RegexTimeout));
        }
        catch (ArgumentException e)
        {
            throw Error($"invalid regex /{pattern}/: {e.Message}");
        }
    }

    private bool TryConsume(string token)
    {
        SkipSpace();
        if (!PeekText(token))
        {
            return false;
        }

        Position += token.Length;
        return true;
    }

    private bool TryConsumeWord(string word)
    {
        var end = Position + word.Length;
        if (!PeekText(word) || (end < Text.Length && char.IsLetterOrDigit(Text[end])))
        {
            return false;
        }

        Position = end;
        return true;
    }

    private bool Peek(char c) => !AtEnd && Current == c;

    private bool PeekText(string token) => string.CompareOrdinal(Text, Position, token, 0, token.Length) == 0;

    private void SkipSpace()
    {
        while (!AtEnd && char.IsWhiteSpace(Current))
        {
            Position++;
        }
    }

    private JsonPathSyntaxException Error(string reason) =>
        new(Text, AtEnd ? $"{reason} (at the end)" : $"{reason} (at position {Position})");
}
