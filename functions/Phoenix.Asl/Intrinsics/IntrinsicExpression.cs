using System.Text.Json.Nodes;

namespace Phoenix.Asl.Intrinsics;

/// <summary>
/// A parsed intrinsic call, e.g. <c>States.Format('{}-{}', $.a, States.UUID())</c>. Immutable; evaluate it as
/// often as needed.
/// </summary>
public sealed class IntrinsicExpression
{
    private readonly IntrinsicFunction _function;
    private readonly IReadOnlyList<IntrinsicArgument> _arguments;

    internal IntrinsicExpression(string text, IntrinsicFunction function, IReadOnlyList<IntrinsicArgument> arguments)
    {
        Text = text;
        _function = function;
        _arguments = arguments;
    }

    /// <summary>The call as written.</summary>
    public string Text { get; }

    /// <summary>The function's full name, e.g. <c>States.Format</c>.</summary>
    public string FunctionName => _function.Name;

    /// <summary>Every path argument, nested calls included, in order of appearance (for definition validation).</summary>
    public IReadOnlyList<string> PathArguments
    {
        get
        {
            var paths = new List<string>();
            CollectPaths(paths);
            return paths;
        }
    }

    /// <summary>
    /// Runs the call. <paramref name="resolvePath"/> resolves each <c>$…</c> / <c>$$…</c> argument (against the
    /// state input or the Context Object; a missing path should throw <see cref="Paths.JsonPathException"/>).
    /// The result never shares nodes with what the resolver returned. Failures throw <see cref="IntrinsicFunctionException"/>.
    /// </summary>
    public JsonNode? Evaluate(Func<string, JsonNode?> resolvePath)
    {
        ArgumentNullException.ThrowIfNull(resolvePath);
        return _function.Invoke(_arguments, resolvePath);
    }

    public override string ToString() => Text;

    private void CollectPaths(List<string> paths)
    {
        foreach (var argument in _arguments)
        {
            switch (argument)
            {
                case PathArgument path:
                    paths.Add(path.Path);
                    break;
                case CallArgument call:
                    call.Call.CollectPaths(paths);
                    break;
            }
        }
    }
}

/// <summary>A function's name, arity and implementation (which receives the unevaluated arguments).</summary>
internal sealed record IntrinsicFunction(
    string Name,
    int MinArguments,
    int MaxArguments,
    Func<IReadOnlyList<IntrinsicArgument>, Func<string, JsonNode?>, JsonNode?> Invoke);
