namespace Phoenix.Asl.Paths;

/// <summary>
/// A syntactically valid path selected nothing where a value was required, or a ResultPath could not be
/// applied. <see cref="Path"/> is the path as written; <see cref="Detail"/> is the Jayway-style reason AWS
/// prints after it (for example <c>No results for path: $['x']</c> or <c>Missing property in path $['no']</c>).
/// <see cref="Exception.Message"/> is AWS's InputPath/OutputPath wording:
/// <c>Invalid path '$.x' : No results for path: $['x']</c>. For payload-template fields (<c>"x.$"</c>, ErrorPath,
/// CausePath) AWS instead says <c>The JSONPath '$.x' specified for the field 'x.$' could not be found in the input
/// '&lt;json&gt;'</c>; the engine builds that from <see cref="Path"/>. Either way the error is States.Runtime.
/// </summary>
public sealed class JsonPathException : Exception
{
    public JsonPathException(string path, string detail)
        : base($"Invalid path '{path}' : {detail}")
    {
        Path = path;
        Detail = detail;
    }

    /// <summary>The path as written in the definition.</summary>
    public string Path { get; }

    /// <summary>Why nothing was selected, in Jayway's words.</summary>
    public string Detail { get; }
}

/// <summary>
/// A path is not valid JSONPath, or uses a feature its field does not allow (a reference path with a wildcard,
/// filter, slice, recursive descent or function). Raised when parsing, so definitions can be rejected before they run.
/// </summary>
public sealed class JsonPathSyntaxException : FormatException
{
    public JsonPathSyntaxException(string path, string reason)
        : base($"Invalid JSONPath '{path}': {reason}")
    {
        Path = path;
        Reason = reason;
    }

    public string Path { get; }

    public string Reason { get; }
}
