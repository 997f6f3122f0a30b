using System.Text.Json.Serialization;
using Phoenix.Core;

namespace Phoenix.Lambda.Runtime;

/// <summary>The error document the Runtime API takes on <c>/error</c> and <c>/init/error</c>.</summary>
public sealed record ErrorReport(
    [property: JsonPropertyName("errorMessage")] string ErrorMessage,
    [property: JsonPropertyName("errorType")] string ErrorType,
    [property: JsonPropertyName("stackTrace")] IReadOnlyList<string> StackTrace)
{
    /// <summary>
    /// errorType is the short class name: for our errors it is <see cref="PhoenixException.ErrorName"/>, which the
    /// state machine's ErrorEquals match; anything else keeps its own short name so a Catch on States.ALL still sees
    /// what went wrong.
    /// </summary>
    public static ErrorReport From(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var errorType = exception is PhoenixException phoenix ? phoenix.ErrorName : exception.GetType().Name;
        var trace = exception.StackTrace is { } text
            ? text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : [];
        return new ErrorReport(exception.Message, errorType, trace);
    }
}
