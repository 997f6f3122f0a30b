using System.Globalization;
using System.Text;

namespace Phoenix.Asl.JsonAta;

/// <summary>A node of a parsed JSONata expression (one class for every kind, as the reference implementation's AST).</summary>
internal sealed class Node
{
    public required string Type { get; init; }

    public object? Value { get; set; }

    public Node? Lhs { get; set; }

    public Node? Rhs { get; set; }

    public List<Node> Expressions { get; set; } = [];

    /// <summary>Object constructor / group-by: key and value expressions.</summary>
    public List<(Node Key, Node Value)> Pairs { get; set; } = [];

    /// <summary>Path steps.</summary>
    public List<Node> Steps { get; set; } = [];

    /// <summary>Filters applied to each item a path step yields.</summary>
    public List<Node> Stages { get; set; } = [];

    /// <summary>Filters applied to a whole non-path value.</summary>
    public List<Node> Predicates { get; set; } = [];

    public Node? Group { get; set; }

    public bool KeepArray { get; set; }

    public bool ConsArray { get; set; }

    public bool KeepSingletonArray { get; set; }

    public Node? Condition { get; set; }

    public Node? Then { get; set; }

    public Node? Else { get; set; }

    public Node? Procedure { get; set; }

    public List<Node> Arguments { get; set; } = [];

    public List<string> Parameters { get; set; } = [];

    public Node? Body { get; set; }

    /// <summary>Order-by terms: expression and descending flag.</summary>
    public List<(Node Expression, bool Descending)> Terms { get; set; } = [];

    public int Position { get; init; }
}

/// <summary>Tokens and a Pratt parser for JSONata, then the reference implementation's AST rewrite (paths, predicates).</summary>
internal sealed class JsonataParser
{
    private static readonly Dictionary<string, int> Operators = new(StringComparer.Ordinal)
    {
        ["."] = 75, ["["] = 80, ["]"] = 0, ["{"] = 70, ["}"] = 0, ["("] = 80, [")"] = 0, [","] = 0, ["@"] = 80,
        ["#"] = 80, [";"] = 80, [":"] = 80, ["?"] = 20, ["+"] = 50, ["-"] = 50, ["*"] = 60, ["/"] = 60, ["%"] = 60,
        ["|"] = 20, ["="] = 40, ["<"] = 40, [">"] = 40, ["^"] = 40, ["**"] = 60, [".."] = 20, [":="] = 10,
        ["!="] = 40, ["<="] = 40, [">="] = 40, ["~>"] = 40, ["and"] = 30, ["or"] = 25, ["in"] = 40, ["&"] = 50,
        ["!"] = 0, ["~"] = 0,
    };

    private readonly string _text;
    private int _position;
    private Token _token = new("(start)", "(start)", null, 0);

    private JsonataParser(string text) => _text = text;

    private sealed record Token(string Id, string Type, object? Value, int Position);

    public static Node Parse(string text)
    {
        var parser = new JsonataParser(text);
        parser.Advance();
        var expression = parser.Expression(0);
        if (parser._token.Id != "(end)")
        {
            throw new JsonataException("S0201", $"Syntax error: \"{parser._token.Value}\"");
        }

        return Rewrite(expression);
    }

    // ---- tokenizer

    private Token? NextToken(bool infix)
    {
        while (_position < _text.Length && " \t\n\r\v".Contains(_text[_position], StringComparison.Ordinal))
        {
            _position++;
        }

        if (_position >= _text.Length)
        {
            return null;
        }

        var c = _text[_position];
        if (c == '/' && At(1) == '*')
        {
            var end = _text.IndexOf("*/", _position + 2, StringComparison.Ordinal);
            if (end < 0)
            {
                throw new JsonataException("S0106", "Comment has no closing tag");
            }

            _position = end + 2;
            return NextToken(infix);
        }

        var start = _position;
        if (!infix && c == '/')
        {
            return Regex(start);
        }

        foreach (var two in (string[])["..", ":=", "!=", ">=", "<=", "**", "~>"])
        {
            if (string.CompareOrdinal(_text, _position, two, 0, 2) == 0)
            {
                _position += 2;
                return new Token(two, "operator", two, start);
            }
        }

        if (Operators.ContainsKey(c.ToString()))
        {
            _position++;
            return new Token(c.ToString(), "operator", c.ToString(), start);
        }

        if (c is '"' or '\'')
        {
            return StringLiteral(c, start);
        }

        var number = System.Text.RegularExpressions.Regex.Match(_text[_position..], @"^-?(0|([1-9][0-9]*))(\.[0-9]+)?([Ee][-+]?[0-9]+)?");
        if (number.Success && number.Length > 0 && char.IsDigit(c))
        {
            var value = double.Parse(number.Value, CultureInfo.InvariantCulture);
            if (double.IsInfinity(value))
            {
                throw new JsonataException("S0102", $"Number out of range: {number.Value}");
            }

            _position += number.Length;
            return new Token("(literal)", "number", value, start);
        }

        if (c == '`')
        {
            var end = _text.IndexOf('`', _position + 1);
            if (end < 0)
            {
                throw new JsonataException("S0105", "Quoted property name must be terminated with a backquote (`)");
            }

            var name = _text[(_position + 1)..end];
            _position = end + 1;
            return new Token("(name)", "name", name, start);
        }

        var i = _position;
        while (i < _text.Length && !" \t\n\r\v".Contains(_text[i], StringComparison.Ordinal) && !Operators.ContainsKey(_text[i].ToString()))
        {
            i++;
        }

        var word = _text[_position..i];
        _position = i;
        if (word.Length == 0)
        {
            throw new JsonataException("S0204", $"Unknown operator: \"{c}\"");
        }

        if (word[0] == '$')
        {
            return new Token("(variable)", "variable", word[1..], start);
        }

        return word switch
        {
            "and" or "or" or "in" => new Token(word, "operator", word, start),
            "true" => new Token("(literal)", "value", true, start),
            "false" => new Token("(literal)", "value", false, start),
            "null" => new Token("(literal)", "value", JNull.Value, start),
            _ => new Token("(name)", "name", word, start),
        };
    }

    private char At(int offset) => _position + offset < _text.Length ? _text[_position + offset] : '\0';

    private Token StringLiteral(char quote, int start)
    {
        var text = new StringBuilder();
        _position++;
        while (_position < _text.Length)
        {
            var c = _text[_position];
            if (c == '\\')
            {
                _position++;
                var e = At(0);
                switch (e)
                {
                    case '"': text.Append('"'); break;
                    case '\\': text.Append('\\'); break;
                    case '/': text.Append('/'); break;
                    case 'b': text.Append('\b'); break;
                    case 'f': text.Append('\f'); break;
                    case 'n': text.Append('\n'); break;
                    case 'r': text.Append('\r'); break;
                    case 't': text.Append('\t'); break;
                    case 'u':
                        if (_position + 4 < _text.Length && int.TryParse(_text.AsSpan(_position + 1, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var code))
                        {
                            text.Append((char)code);
                            _position += 4;
                            break;
                        }

                        throw new JsonataException("S0104", "The escape sequence \\u must be followed by 4 hex digits");
                    default:
                        throw new JsonataException("S0103", $"Unsupported escape sequence: \\{e}");
                }
            }
            else if (c == quote)
            {
                _position++;
                return new Token("(literal)", "string", text.ToString(), start);
            }
            else
            {
                text.Append(c);
            }

            _position++;
        }

        throw new JsonataException("S0101", "String literal must be terminated by a matching quote");
    }

    private Token Regex(int start)
    {
        _position++;
        var pattern = new StringBuilder();
        var depth = 0;
        while (_position < _text.Length)
        {
            var c = _text[_position];
            if (c == '/' && depth == 0 && (pattern.Length == 0 || pattern[^1] != '\\' || CountBackslashes(pattern) % 2 == 0))
            {
                _position++;
                var flagsStart = _position;
                while (_position < _text.Length && _text[_position] is 'i' or 'm')
                {
                    _position++;
                }

                if (pattern.Length == 0)
                {
                    throw new JsonataException("S0301", "Empty regular expressions are not allowed");
                }

                return new Token("(regex)", "regex", new JRegex(pattern.ToString(), _text[flagsStart.._position]), start);
            }

            if (c is '(' or '[' or '{' && (pattern.Length == 0 || pattern[^1] != '\\'))
            {
                depth++;
            }
            else if (c is ')' or ']' or '}' && (pattern.Length == 0 || pattern[^1] != '\\'))
            {
                depth--;
            }

            pattern.Append(c);
            _position++;
        }

        throw new JsonataException("S0302", "No terminating / in regular expression");
    }

    private static int CountBackslashes(StringBuilder text)
    {
        var count = 0;
        for (var i = text.Length - 1; i >= 0 && text[i] == '\\'; i--)
        {
            count++;
        }

        return count;
    }

    // ---- Pratt parser

    private void Advance(string? id = null, bool infix = false)
    {
        if (id is not null && _token.Id != id)
        {
            throw new JsonataException(_token.Id == "(end)" ? "S0203" : "S0202",
                _token.Id == "(end)" ? $"Expected \"{id}\" before end of expression" : $"Expected \"{id}\", got \"{_token.Value}\"");
        }

        var next = NextToken(infix);
        _token = next ?? new Token("(end)", "(end)", "(end)", _text.Length);
    }

    // Separators and '..' (only meaningful inside an array constructor) do not bind as infix operators.
    private static int Lbp(Token token) => token.Type == "operator" && token.Id is not (":" or ";" or ".." or "|") ? Operators[token.Id] : 0;

    private Node Expression(int rbp)
    {
        var t = _token;
        Advance(null, true);
        var left = Nud(t);
        while (rbp < Lbp(_token))
        {
            t = _token;
            Advance();
            left = Led(t, left);
        }

        return left;
    }

    private Node Nud(Token t)
    {
        switch (t.Type)
        {
            case "name":
                return new Node { Type = "name", Value = t.Value, Position = t.Position };
            case "variable":
                return new Node { Type = "variable", Value = t.Value, Position = t.Position };
            case "number":
            case "string":
            case "value":
                return new Node { Type = t.Type, Value = t.Value, Position = t.Position };
            case "regex":
                return new Node { Type = "regex", Value = t.Value, Position = t.Position };
            case "(end)":
                throw new JsonataException("S0207", "Unexpected end of expression");
        }

        switch (t.Id)
        {
            case "and" or "or" or "in":
                return new Node { Type = "name", Value = t.Id, Position = t.Position };
            case "-":
                return new Node { Type = "unary", Value = "-", Lhs = Expression(70), Position = t.Position };
            case "*":
                return new Node { Type = "wildcard", Value = "*", Position = t.Position };
            case "**":
                return new Node { Type = "descendant", Value = "**", Position = t.Position };
            case "%":
                throw new JsonataException("S0217", "The parent operator % is not supported by this evaluator");
            case "?":
                return new Node { Type = "operator", Value = "?", Position = t.Position };
            case "(":
            {
                var expressions = new List<Node>();
                while (_token.Id != ")")
                {
                    expressions.Add(Expression(0));
                    if (_token.Id != ";")
                    {
                        break;
                    }

                    Advance(";");
                }

                Advance(")", true);
                return new Node { Type = "block", Expressions = expressions, Position = t.Position };
            }

            case "[":
            {
                var items = new List<Node>();
                if (_token.Id != "]")
                {
                    while (true)
                    {
                        var item = Expression(0);
                        if (_token.Id == "..")
                        {
                            Advance("..");
                            item = new Node { Type = "binary", Value = "..", Lhs = item, Rhs = Expression(0), Position = item.Position };
                        }

                        items.Add(item);
                        if (_token.Id != ",")
                        {
                            break;
                        }

                        Advance(",");
                    }
                }

                Advance("]", true);
                return new Node { Type = "unary", Value = "[", Expressions = items, Position = t.Position };
            }

            case "{":
                return new Node { Type = "unary", Value = "{", Pairs = ObjectPairs(), Position = t.Position };
            case "|":
            {
                var pattern = Expression(0);
                Advance("|");
                var update = Expression(0);
                Node? delete = null;
                if (_token.Id == ",")
                {
                    Advance(",");
                    delete = Expression(0);
                }

                Advance("|");
                return new Node { Type = "transform", Lhs = pattern, Rhs = update, Else = delete, Position = t.Position };
            }
        }

        throw new JsonataException("S0211", $"The symbol \"{t.Value}\" cannot be used as a unary operator");
    }

    private List<(Node, Node)> ObjectPairs()
    {
        var pairs = new List<(Node, Node)>();
        if (_token.Id != "}")
        {
            while (true)
            {
                var key = Expression(0);
                Advance(":");
                var value = Expression(0);
                pairs.Add((key, value));
                if (_token.Id != ",")
                {
                    break;
                }

                Advance(",");
            }
        }

        Advance("}", true);
        return pairs;
    }

    private Node Led(Token t, Node left)
    {
        switch (t.Id)
        {
            case "(":
            {
                var args = new List<Node>();
                if (_token.Id != ")")
                {
                    while (true)
                    {
                        args.Add(_token.Id == "?" && Peek() is ',' or ')' ? PartialPlaceholder() : Expression(0));
                        if (_token.Id != ",")
                        {
                            break;
                        }

                        Advance(",");
                    }
                }

                Advance(")", true);
                if (left.Type == "name" && (string)left.Value! is "function" or "λ")
                {
                    var parameters = new List<string>();
                    foreach (var arg in args)
                    {
                        if (arg.Type != "variable")
                        {
                            throw new JsonataException("S0208", $"Parameter {arg.Value} of function definition must be a variable name (start with $)");
                        }

                        parameters.Add((string)arg.Value!);
                    }

                    if (_token.Id == "<")
                    {
                        // A signature: validated by position only; arguments are checked by the function body.
                        var depth = 1;
                        while (depth > 0)
                        {
                            Advance();
                            if (_token.Id == "(end)")
                            {
                                throw new JsonataException("S0401", "Type parameter in function signature is not closed");
                            }

                            depth += _token.Id == "<" ? 1 : _token.Id == ">" ? -1 : 0;
                        }

                        Advance();
                    }

                    Advance("{");
                    var body = Expression(0);
                    Advance("}");
                    return new Node { Type = "lambda", Parameters = parameters, Body = body, Position = t.Position };
                }

                var partial = args.Any(a => a.Type == "operator" && (string?)a.Value == "?");
                return new Node { Type = partial ? "partial" : "function", Procedure = left, Arguments = args, Position = t.Position };
            }

            case "[":
            {
                if (_token.Id == "]")
                {
                    var step = left;
                    while (step.Type == "binary" && (string?)step.Value == "[")
                    {
                        step = step.Lhs!;
                    }

                    step.KeepArray = true;
                    Advance("]");
                    return left;
                }

                var rhs = Expression(Operators["]"]);
                Advance("]", true);
                return new Node { Type = "binary", Value = "[", Lhs = left, Rhs = rhs, Position = t.Position };
            }

            case "{":
                return new Node { Type = "binary", Value = "{", Lhs = left, Pairs = ObjectPairs(), Position = t.Position };
            case "^":
            {
                Advance("(");
                var terms = new List<(Node, bool)>();
                while (true)
                {
                    var descending = false;
                    if (_token.Id == "<")
                    {
                        Advance("<");
                    }
                    else if (_token.Id == ">")
                    {
                        descending = true;
                        Advance(">");
                    }

                    terms.Add((Expression(0), descending));
                    if (_token.Id != ",")
                    {
                        break;
                    }

                    Advance(",");
                }

                Advance(")");
                return new Node { Type = "binary", Value = "^", Lhs = left, Terms = terms, Position = t.Position };
            }

            case ":=":
                if (left.Type != "variable")
                {
                    throw new JsonataException("S0212", "The left side of := must be a variable name (start with $)");
                }

                return new Node { Type = "bind", Lhs = left, Rhs = Expression(Operators[":="] - 1), Position = t.Position };
            case "?":
            {
                var then = Expression(0);
                Node? otherwise = null;
                if (_token.Id == ":")
                {
                    Advance(":");
                    otherwise = Expression(0);
                }

                return new Node { Type = "condition", Condition = left, Then = then, Else = otherwise, Position = t.Position };
            }

            case "@" or "#":
                throw new JsonataException("S0218", $"The {t.Id} binding operator is not supported by this evaluator");
        }

        if (t.Type == "operator" && Operators.TryGetValue(t.Id, out var bp) && bp > 0)
        {
            return new Node { Type = "binary", Value = t.Id, Lhs = left, Rhs = Expression(bp), Position = t.Position };
        }

        throw new JsonataException("S0201", $"Syntax error: \"{t.Value}\"");
    }

    private char Peek()
    {
        var i = _position;
        while (i < _text.Length && char.IsWhiteSpace(_text[i]))
        {
            i++;
        }

        return i < _text.Length ? _text[i] : '\0';
    }

    private Node PartialPlaceholder()
    {
        var position = _token.Position;
        Advance("?");
        return new Node { Type = "operator", Value = "?", Position = position };
    }

    // ---- AST rewrite (the reference implementation's processAST): paths, stages and predicates.

    private static Node Rewrite(Node expr)
    {
        switch (expr.Type)
        {
            case "binary":
                switch ((string)expr.Value!)
                {
                    case ".":
                    {
                        var lstep = Rewrite(expr.Lhs!);
                        var result = lstep.Type == "path" ? lstep : new Node { Type = "path", Steps = [lstep], Position = expr.Position };
                        var rest = Rewrite(expr.Rhs!);
                        if (rest.Type == "path")
                        {
                            result.Steps.AddRange(rest.Steps);
                            result.KeepSingletonArray |= rest.KeepSingletonArray;
                        }
                        else
                        {
                            if (rest.Predicates.Count > 0)
                            {
                                rest.Stages = rest.Predicates;
                                rest.Predicates = [];
                            }

                            result.Steps.Add(rest);
                        }

                        foreach (var step in result.Steps)
                        {
                            if (step.Type is "number" or "value")
                            {
                                throw new JsonataException("S0213", $"The literal value {step.Value} cannot be used as a step within a path expression");
                            }

                            if (step.Type == "string")
                            {
                                step.Value ??= string.Empty;
                            }

                            if (step.KeepArray)
                            {
                                result.KeepSingletonArray = true;
                            }
                        }

                        for (var i = 0; i < result.Steps.Count; i++)
                        {
                            if (result.Steps[i].Type == "string")
                            {
                                var s = result.Steps[i];
                                result.Steps[i] = new Node { Type = "name", Value = s.Value, Stages = s.Stages, KeepArray = s.KeepArray, Group = s.Group, Position = s.Position };
                            }
                        }

                        if (result.Steps[0] is { Type: "unary", Value: "[" } first)
                        {
                            first.ConsArray = true;
                        }

                        if (result.Steps[^1] is { Type: "unary", Value: "[" } last)
                        {
                            last.ConsArray = true;
                        }

                        return result;
                    }

                    case "[":
                    {
                        var result = Rewrite(expr.Lhs!);
                        var step = result;
                        var isPath = result.Type == "path";
                        if (isPath)
                        {
                            step = result.Steps[^1];
                        }

                        if (step.Group is not null)
                        {
                            throw new JsonataException("S0209", "A predicate cannot follow a grouping expression in a step");
                        }

                        var predicate = Rewrite(expr.Rhs!);
                        var filter = new Node { Type = "filter", Lhs = predicate, Position = expr.Position };
                        if (isPath)
                        {
                            step.Stages.Add(filter);
                        }
                        else
                        {
                            step.Predicates.Add(filter);
                        }

                        return result;
                    }

                    case "{":
                    {
                        var result = Rewrite(expr.Lhs!);
                        if (result.Group is not null)
                        {
                            throw new JsonataException("S0210", "Each step can only have one grouping expression");
                        }

                        result.Group = new Node { Type = "group", Pairs = [.. expr.Pairs.Select(p => (Rewrite(p.Key), Rewrite(p.Value)))], Position = expr.Position };
                        return result;
                    }

                    case "^":
                    {
                        var result = Rewrite(expr.Lhs!);
                        if (result.Type != "path")
                        {
                            result = new Node { Type = "path", Steps = [result], Position = expr.Position };
                        }

                        result.Steps.Add(new Node { Type = "sort", Terms = [.. expr.Terms.Select(x => (Rewrite(x.Expression), x.Descending))], Position = expr.Position });
                        return result;
                    }

                    default:
                        expr.Lhs = Rewrite(expr.Lhs!);
                        expr.Rhs = Rewrite(expr.Rhs!);
                        return expr;
                }

            case "unary":
                if ((string)expr.Value! == "[")
                {
                    expr.Expressions = [.. expr.Expressions.Select(Rewrite)];
                }
                else if ((string)expr.Value! == "{")
                {
                    expr.Pairs = [.. expr.Pairs.Select(p => (Rewrite(p.Key), Rewrite(p.Value)))];
                }
                else
                {
                    expr.Lhs = Rewrite(expr.Lhs!);
                    if (expr.Lhs is { Type: "number" } n)
                    {
                        return new Node { Type = "number", Value = -(double)n.Value!, Position = expr.Position };
                    }
                }

                return expr;
            case "function" or "partial":
                expr.Procedure = Rewrite(expr.Procedure!);
                expr.Arguments = [.. expr.Arguments.Select(Rewrite)];
                return expr;
            case "lambda":
                expr.Body = Rewrite(expr.Body!);
                return expr;
            case "condition":
                expr.Condition = Rewrite(expr.Condition!);
                expr.Then = Rewrite(expr.Then!);
                if (expr.Else is not null)
                {
                    expr.Else = Rewrite(expr.Else);
                }

                return expr;
            case "transform":
                expr.Lhs = Rewrite(expr.Lhs!);
                expr.Rhs = Rewrite(expr.Rhs!);
                if (expr.Else is not null)
                {
                    expr.Else = Rewrite(expr.Else);
                }

                return expr;
            case "bind":
                expr.Rhs = Rewrite(expr.Rhs!);
                return expr;
            case "block":
                expr.Expressions = [.. expr.Expressions.Select(Rewrite)];
                return expr;
            case "name":
                return new Node { Type = "path", Steps = [expr], KeepSingletonArray = expr.KeepArray, Position = expr.Position };
            case "wildcard" or "descendant":
                return expr;
            default:
                return expr;
        }
    }
}
