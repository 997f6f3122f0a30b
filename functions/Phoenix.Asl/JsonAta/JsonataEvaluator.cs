// Library functions and evaluation steps return JSONata values, which are dynamically typed: object? throughout.
#pragma warning disable CA1859
namespace Phoenix.Asl.JsonAta;

/// <summary>Variable bindings: a block or lambda call binds in a child; the root falls back to the host's lookup.</summary>
internal sealed class Env(Env? parent, Func<string, (bool Found, object? Value)>? host = null)
{
    private readonly Dictionary<string, object?> _values = new(StringComparer.Ordinal);

    public void Bind(string name, object? value) => _values[name] = value;

    public object? Lookup(string name)
    {
        for (var env = this; env is not null; env = env.Parent)
        {
            if (env._values.TryGetValue(name, out var value))
            {
                return value;
            }

            if (env.Host is { } lookup && lookup(name) is { Found: true } hit)
            {
                return hit.Value;
            }
        }

        return null;
    }

    private Env? Parent => parent;

    private Func<string, (bool Found, object? Value)>? Host => host;
}

/// <summary>
/// Evaluates a parsed expression, following the reference implementation (jsonata-js 2.0): paths map over sequences
/// and flatten, a sequence of one value is that value, predicates filter by index or truthiness, and undefined
/// propagates through most operators.
/// </summary>
internal sealed class JsonataEvaluator
{
    private const int MaxDepth = 500;
    private int _depth;

    public JsonataEvaluator(Func<string, (bool Found, object? Value)> host)
    {
        Root = new Env(null, name => JsonataFunctions.TryGet(name, out var f) ? (true, f) : host(name));
    }

    public Env Root { get; }

    public object? Evaluate(Node expr, object? input, Env env)
    {
        if (++_depth > MaxDepth)
        {
            _depth = 0;
            throw new JsonataException("U1001", "Stack overflow error: Check for non-terminating recursive function.  Consider rewriting as tail-recursive.");
        }

        try
        {
            var result = expr.Type switch
            {
                "path" => EvaluatePath(expr, input, env),
                "binary" => EvaluateBinary(expr, input, env),
                "unary" => EvaluateUnary(expr, input, env),
                "name" => Lookup(input, (string)expr.Value!),
                "string" or "number" or "value" => expr.Value,
                "wildcard" => Wildcard(input),
                "descendant" => Descendants(input),
                "condition" => EvaluateCondition(expr, input, env),
                "block" => EvaluateBlock(expr, input, env),
                "bind" => Bind(expr, input, env),
                "regex" => expr.Value,
                "function" => EvaluateCall(expr, input, env),
                "partial" => EvaluatePartial(expr, input, env),
                "variable" => Variable((string)expr.Value!, input, env),
                "lambda" => new Lambda(expr, env),
                "transform" => new Transformer(expr, env),
                "sort" => throw new JsonataException("S0500", "Sort must follow a path step"),
                _ => throw new JsonataException("S0500", $"Unknown expression type {expr.Type}"),
            };

            foreach (var predicate in expr.Predicates)
            {
                result = Filter(predicate.Lhs!, result, env);
            }

            if (expr.Type != "path" && expr.Group is not null)
            {
                result = Group(expr.Group, result, env);
            }

            if (result is JArr { Sequence: true } seq)
            {
                if (expr.KeepArray)
                {
                    seq.KeepSingleton = true;
                }

                if (seq.Count == 0)
                {
                    result = null;
                }
                else if (seq.Count == 1 && !seq.KeepSingleton)
                {
                    result = seq[0];
                }
            }

            return result;
        }
        finally
        {
            _depth--;
        }
    }

    // $ is the context; a top-level array input sits in an outer one-item sequence (see JsonataExpression) that $ unwraps.
    private static object? Variable(string name, object? input, Env env) =>
        name.Length != 0 ? env.Lookup(name) : input is JArr { OuterWrapper: true } outer ? outer[0] : input;

    private object? EvaluatePath(Node expr, object? input, Env env)
    {
        object? inputSequence = input is JArr && expr.Steps[0].Type != "variable" ? input : JArr.Seq(input);
        JArr? resultSequence = null;
        for (var i = 0; i < expr.Steps.Count; i++)
        {
            var step = expr.Steps[i];
            if (i == 0 && step.ConsArray)
            {
                var value = Evaluate(step, inputSequence, env);
                resultSequence = value as JArr ?? (value is null ? null : JArr.Seq(value));
            }
            else
            {
                resultSequence = step.Type == "sort"
                    ? Sort(step, inputSequence, env)
                    : EvaluateStep(step, (JArr)inputSequence!, env, i == expr.Steps.Count - 1);
            }

            if (resultSequence is null || resultSequence.Count == 0)
            {
                break;
            }

            inputSequence = resultSequence;
        }

        if (expr.KeepSingletonArray && resultSequence is not null)
        {
            if (resultSequence.Cons && !resultSequence.Sequence)
            {
                resultSequence = JArr.Seq(resultSequence);
            }

            resultSequence.KeepSingleton = true;
        }

        object? result = resultSequence;
        if (expr.Group is not null)
        {
            result = Group(expr.Group, result, env);
        }

        return result;
    }

    private JArr EvaluateStep(Node step, JArr input, Env env, bool lastStep)
    {
        var result = new JArr { Sequence = true };
        foreach (var item in input)
        {
            var res = Evaluate(step, item, env);
            foreach (var stage in step.Stages)
            {
                res = Filter(stage.Lhs!, res, env);
            }

            if (res is not null)
            {
                result.Add(res);
            }
        }

        if (lastStep && result.Count == 1 && result[0] is JArr { Sequence: false } only)
        {
            return only;
        }

        var flattened = new JArr { Sequence = true };
        foreach (var res in result)
        {
            if (res is JArr arr && !arr.Cons)
            {
                flattened.AddRange(arr);
            }
            else
            {
                flattened.Add(res);
            }
        }

        return flattened;
    }

    private JArr? Sort(Node step, object? input, Env env)
    {
        if (input is not JArr items)
        {
            return input is null ? null : JArr.Seq(input);
        }

        var keyed = items.Select(item => (Item: item, Keys: step.Terms.Select(t => Evaluate(t.Expression, item, env)).ToArray())).ToList();
        var sorted = MergeSort(keyed, (a, b) =>
        {
            for (var t = 0; t < step.Terms.Count; t++)
            {
                var (x, y) = (a.Keys[t], b.Keys[t]);
                if (x is null && y is null)
                {
                    continue;
                }

                if (x is null)
                {
                    return 1;
                }

                if (y is null)
                {
                    return -1;
                }

                int c;
                if (x is double dx && y is double dy)
                {
                    c = dx.CompareTo(dy);
                }
                else if (x is string sx && y is string sy)
                {
                    c = string.CompareOrdinal(sx, sy);
                }
                else
                {
                    throw new JsonataException("T2008", "The expressions within an order-by clause must evaluate to numeric or string values");
                }

                if (c != 0)
                {
                    return step.Terms[t].Descending ? -c : c;
                }
            }

            return 0;
        });
        return new JArr(sorted.Select(s => s.Item)) { Sequence = true };
    }

    /// <summary>A stable sort (the reference uses merge sort; List.Sort is not stable).</summary>
    internal static List<T> MergeSort<T>(List<T> items, Comparison<T> compare)
    {
        if (items.Count <= 1)
        {
            return items;
        }

        var middle = items.Count / 2;
        var left = MergeSort(items[..middle], compare);
        var right = MergeSort(items[middle..], compare);
        var merged = new List<T>(items.Count);
        int i = 0, j = 0;
        while (i < left.Count && j < right.Count)
        {
            merged.Add(compare(left[i], right[j]) <= 0 ? left[i++] : right[j++]);
        }

        merged.AddRange(left.Skip(i));
        merged.AddRange(right.Skip(j));
        return merged;
    }

    private object? Filter(Node predicate, object? input, Env env)
    {
        var results = new JArr { Sequence = true };
        var items = input as JArr ?? (input is null ? [] : JArr.Seq(input));
        if (predicate.Type == "number")
        {
            var index = (int)Math.Floor((double)predicate.Value!);
            if (index < 0)
            {
                index += items.Count;
            }

            if (index >= 0 && index < items.Count && items[index] is { } item)
            {
                if (item is JArr arr)
                {
                    return arr;
                }

                results.Add(item);
            }

            return results;
        }

        for (var index = 0; index < items.Count; index++)
        {
            var item = items[index];
            var res = Evaluate(predicate, item, env);
            if (res is double)
            {
                res = JArr.Seq(res);
            }

            if (JValues.IsArrayOfNumbers(res) && ((JArr)res!).Count > 0)
            {
                foreach (var n in (JArr)res!)
                {
                    var ii = (int)Math.Floor((double)n!);
                    if (ii < 0)
                    {
                        ii += items.Count;
                    }

                    if (ii == index)
                    {
                        results.Add(item);
                    }
                }
            }
            else if (JValues.Boolean(res) == true)
            {
                results.Add(item);
            }
        }

        return results;
    }

    // Also $lookup's whole semantics: a path step and the function flatten arrays the same way.
    internal static object? Lookup(object? input, string key)
    {
        if (input is JArr arr)
        {
            var result = new JArr { Sequence = true };
            foreach (var item in arr)
            {
                var res = Lookup(item, key);
                if (res is JArr inner)
                {
                    result.AddRange(inner);
                }
                else if (res is not null)
                {
                    result.Add(res);
                }
            }

            return result;
        }

        return input is JObj obj && obj.TryGetValue(key, out var value) ? value : null;
    }

    private static object? Wildcard(object? input)
    {
        var results = new JArr { Sequence = true };
        if (input is JObj obj)
        {
            foreach (var value in obj.Values)
            {
                if (value is JArr arr)
                {
                    Flatten(arr, results);
                }
                else
                {
                    results.Add(value);
                }
            }
        }

        return results;
    }

    private static void Flatten(JArr arr, JArr into)
    {
        foreach (var item in arr)
        {
            if (item is JArr inner)
            {
                Flatten(inner, into);
            }
            else
            {
                into.Add(item);
            }
        }
    }

    private static object? Descendants(object? input)
    {
        var results = new JArr { Sequence = true };
        if (input is not null)
        {
            Recurse(input, results);
        }

        return results.Count == 1 ? results[0] : results;

        static void Recurse(object? value, JArr into)
        {
            if (value is not JArr)
            {
                into.Add(value);
            }

            if (value is JArr arr)
            {
                foreach (var item in arr)
                {
                    Recurse(item, into);
                }
            }
            else if (value is JObj obj)
            {
                foreach (var item in obj.Values)
                {
                    Recurse(item, into);
                }
            }
        }
    }

    private object? EvaluateUnary(Node expr, object? input, Env env)
    {
        switch ((string)expr.Value!)
        {
            case "-":
                var value = Evaluate(expr.Lhs!, input, env);
                return value switch
                {
                    null => null,
                    double d => -d,
                    _ => throw new JsonataException("D1002", $"Cannot negate a non-numeric value: {JValues.Stringify(value, false, false)}"),
                };
            case "[":
            {
                var result = new JArr();
                foreach (var item in expr.Expressions)
                {
                    var v = Evaluate(item, input, env);
                    if (v is null)
                    {
                        continue;
                    }

                    if (item is { Type: "unary", Value: "[" })
                    {
                        result.Add(v);
                    }
                    else if (v is JArr arr)
                    {
                        result.AddRange(arr);
                    }
                    else
                    {
                        result.Add(v);
                    }
                }

                result.Cons = expr.ConsArray;
                return result;
            }

            default:
                return Group(new Node { Type = "group", Pairs = expr.Pairs }, input, env);
        }
    }

    private object? Group(Node group, object? input, Env env)
    {
        var result = new JObj();
        var groups = new OrderedDictionary<string, (object? Data, int Index)>(StringComparer.Ordinal);
        var items = input as JArr ?? JArr.Seq(input);
        if (items.Count == 0)
        {
            items = JArr.Seq([null]);
        }

        foreach (var item in items)
        {
            for (var p = 0; p < group.Pairs.Count; p++)
            {
                var key = Evaluate(group.Pairs[p].Key, item, env);
                if (key is null)
                {
                    continue;
                }

                if (key is not string name)
                {
                    throw new JsonataException("T1003", $"Key in object structure must evaluate to a string; got: {JValues.Stringify(key, false, false)}");
                }

                if (groups.TryGetValue(name, out var existing))
                {
                    if (existing.Index != p)
                    {
                        throw new JsonataException("D1009", $"Multiple key definitions evaluate to same key: \"{name}\"");
                    }

                    groups[name] = (JsonataFunctions.Append(existing.Data, item), p);
                }
                else
                {
                    groups[name] = (item, p);
                }
            }
        }

        foreach (var (key, entry) in groups)
        {
            var value = Evaluate(group.Pairs[entry.Index].Value, entry.Data, env);
            if (value is not null)
            {
                result[key] = value;
            }
        }

        return result;
    }

    private object? EvaluateBinary(Node expr, object? input, Env env)
    {
        var op = (string)expr.Value!;
        var lhs = Evaluate(expr.Lhs!, input, env);
        if (op is "and" or "or")
        {
            var left = JValues.Boolean(lhs) == true;
            if (op == "and" ? !left : left)
            {
                return left;
            }

            return JValues.Boolean(Evaluate(expr.Rhs!, input, env)) == true;
        }

        if (op == "~>")
        {
            return Chain(expr, lhs, input, env);
        }

        var rhs = Evaluate(expr.Rhs!, input, env);
        switch (op)
        {
            case "+" or "-" or "*" or "/" or "%":
                if (lhs is not null and not double)
                {
                    throw new JsonataException("T2001", $"The left side of the \"{op}\" operator must evaluate to a number");
                }

                if (rhs is not null and not double)
                {
                    throw new JsonataException("T2002", $"The right side of the \"{op}\" operator must evaluate to a number");
                }

                if (lhs is null || rhs is null)
                {
                    return null;
                }

                var (l, r) = ((double)lhs, (double)rhs);
                var result = op switch
                {
                    "+" => l + r,
                    "-" => l - r,
                    "*" => l * r,
                    "/" => l / r,
                    _ => l % r,
                };
                return result;
            case "=":
                return lhs is not null && rhs is not null && JValues.DeepEquals(lhs, rhs);
            case "!=":
                return lhs is not null && rhs is not null && !JValues.DeepEquals(lhs, rhs);
            case "<" or "<=" or ">" or ">=":
                return Compare(op, lhs, rhs);
            case "&":
                return JsonataFunctions.StringOf(lhs) + JsonataFunctions.StringOf(rhs);
            case "..":
                return Range(lhs, rhs);
            case "in":
                if (lhs is null || rhs is null)
                {
                    return false;
                }

                var list = rhs as JArr ?? [rhs];
                return list.Any(x => JValues.DeepEquals(x, lhs));
            default:
                throw new JsonataException("S0500", $"Unknown operator {op}");
        }
    }

    private static object? Compare(string op, object? lhs, object? rhs)
    {
        var lComparable = lhs is double or string;
        var rComparable = rhs is double or string;
        if ((lhs is not null && !lComparable) || (rhs is not null && !rComparable))
        {
            throw new JsonataException("T2010", $"The expressions either side of operator \"{op}\" must evaluate to numeric or string values");
        }

        if (lhs is null || rhs is null)
        {
            return null;
        }

        if (lhs.GetType() != rhs.GetType())
        {
            throw new JsonataException("T2009", $"The values {JValues.Stringify(lhs, false, false)} and {JValues.Stringify(rhs, false, false)} either side of operator \"{op}\" must be of the same data type");
        }

        var c = lhs is double a ? a.CompareTo((double)rhs) : string.CompareOrdinal((string)lhs, (string)rhs);
        return op switch
        {
            "<" => c < 0,
            "<=" => c <= 0,
            ">" => c > 0,
            _ => c >= 0,
        };
    }

    private static object? Range(object? lhs, object? rhs)
    {
        if (lhs is not null && (lhs is not double l || l != Math.Floor(l)))
        {
            throw new JsonataException("T2003", "The left side of the range operator (..) must evaluate to an integer");
        }

        if (rhs is not null && (rhs is not double r || r != Math.Floor(r)))
        {
            throw new JsonataException("T2004", "The right side of the range operator (..) must evaluate to an integer");
        }

        if (lhs is null || rhs is null)
        {
            return null;
        }

        var (from, to) = ((double)lhs, (double)rhs);
        if (from > to)
        {
            return null;
        }

        if (to - from + 1 > 1e7)
        {
            throw new JsonataException("D2014", $"The size of the sequence allocated by the range operator (..) must not exceed 1e7.  Attempted to allocate {JValues.FormatNumber(to - from + 1)}.");
        }

        var result = new JArr { Sequence = true };
        for (var i = from; i <= to; i++)
        {
            result.Add(i);
        }

        return result;
    }

    private object? Chain(Node expr, object? lhs, object? input, Env env)
    {
        var rhsNode = expr.Rhs!;
        if (rhsNode.Type == "function")
        {
            // x ~> $f(a, b) is $f(x, a, b)
            var procedure = Evaluate(rhsNode.Procedure!, input, env);
            var args = new List<object?> { lhs };
            args.AddRange(rhsNode.Arguments.Select(a => Evaluate(a, input, env)));
            return Apply(procedure, args, input, rhsNode);
        }

        var func = Evaluate(rhsNode, input, env);
        if (func is not JFunction)
        {
            throw new JsonataException("T2006", "The right side of the function application operator ~> must be a function");
        }

        return Apply(func, [lhs], input, rhsNode);
    }

    private object? EvaluateCondition(Node expr, object? input, Env env)
    {
        var condition = Evaluate(expr.Condition!, input, env);
        if (JValues.Boolean(condition) == true)
        {
            return Evaluate(expr.Then!, input, env);
        }

        return expr.Else is null ? null : Evaluate(expr.Else, input, env);
    }

    private object? EvaluateBlock(Node expr, object? input, Env env)
    {
        var frame = new Env(env);
        object? result = null;
        foreach (var e in expr.Expressions)
        {
            result = Evaluate(e, input, frame);
        }

        return result;
    }

    private object? Bind(Node expr, object? input, Env env)
    {
        var value = Evaluate(expr.Rhs!, input, env);
        env.Bind((string)expr.Lhs!.Value!, value);
        return value;
    }

    private object? EvaluateCall(Node expr, object? input, Env env)
    {
        var procedure = Evaluate(expr.Procedure!, input, env);
        if (procedure is null && expr.Procedure is { Type: "path", Steps: [{ Type: "name" } name] })
        {
            throw new JsonataException("T1005", $"Attempted to invoke a non-function. Did you mean ${name.Value}?");
        }

        var args = expr.Arguments.Select(a => Evaluate(a, input, env)).ToList();
        return Apply(procedure, args, input, expr);
    }

    public object? Apply(object? procedure, List<object?> args, object? context, Node? at)
    {
        if (procedure is not JFunction function)
        {
            throw new JsonataException("T1006", "Attempted to invoke a non-function");
        }

        var result = function.Invoke(this, args, context);
        return result;
    }

    private object? EvaluatePartial(Node expr, object? input, Env env)
    {
        var procedure = Evaluate(expr.Procedure!, input, env);
        if (procedure is not JFunction function)
        {
            throw new JsonataException("T1008", "Attempted to partially apply a non-function");
        }

        var bound = expr.Arguments.Select(a => a is { Type: "operator", Value: "?" } ? (object?)Placeholder.Instance : Evaluate(a, input, env)).ToList();
        return new Partial(function, bound);
    }

    private sealed class Placeholder
    {
        public static readonly Placeholder Instance = new();
    }

    private sealed class Partial(JFunction function, List<object?> bound) : JFunction
    {
        public override int Arity => bound.Count(b => b is Placeholder);

        public override object? Invoke(JsonataEvaluator evaluator, List<object?> args, object? context)
        {
            var actual = new List<object?>();
            var next = 0;
            foreach (var b in bound)
            {
                actual.Add(b is Placeholder ? (next < args.Count ? args[next++] : null) : b);
            }

            return function.Invoke(evaluator, actual, context);
        }
    }

    /// <summary>A user-defined <c>function($a, $b) { … }</c>, closing over the bindings where it was defined.</summary>
    internal sealed class Lambda(Node node, Env closure) : JFunction
    {
        public override int Arity => node.Parameters.Count;

        public override object? Invoke(JsonataEvaluator evaluator, List<object?> args, object? context)
        {
            var frame = new Env(closure);
            for (var i = 0; i < node.Parameters.Count; i++)
            {
                frame.Bind(node.Parameters[i], i < args.Count ? args[i] : null);
            }

            return evaluator.Evaluate(node.Body!, context, frame);
        }
    }

    /// <summary><c>| pattern | update [, delete] |</c>: a function that returns a modified deep copy of its argument.</summary>
    private sealed class Transformer(Node node, Env env) : JFunction
    {
        public override int Arity => 1;

        public override object? Invoke(JsonataEvaluator evaluator, List<object?> args, object? context)
        {
            var target = args.Count > 0 ? args[0] : null;
            if (target is null)
            {
                return null;
            }

            var copy = JsonataFunctions.DeepCopy(target);
            var matches = evaluator.Evaluate(node.Lhs!, copy, env);
            var list = matches as JArr ?? (matches is null ? [] : [matches]);
            foreach (var match in list)
            {
                if (match is not JObj obj)
                {
                    continue;
                }

                var update = evaluator.Evaluate(node.Rhs!, match, env);
                if (update is JObj changes)
                {
                    foreach (var (key, value) in changes)
                    {
                        obj[key] = value;
                    }
                }
                else if (update is not null)
                {
                    throw new JsonataException("T2011", "The insert/update clause of the transform expression must evaluate to an object");
                }

                if (node.Else is not null)
                {
                    var deletions = evaluator.Evaluate(node.Else, match, env);
                    var names = deletions as JArr ?? (deletions is null ? [] : [deletions]);
                    foreach (var name in names)
                    {
                        if (name is not string key)
                        {
                            throw new JsonataException("T2012", "The delete clause of the transform expression must evaluate to a string or array of strings");
                        }

                        obj.Remove(key);
                    }
                }
            }

            return copy;
        }
    }
}
