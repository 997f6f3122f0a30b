using System.Text.Json;
using System.Text.Json.Nodes;

namespace Phoenix.Cli.Commands;

/// <summary>An option whose value is a JSON file or JSON text (<c>--input</c>): a path that exists is read as a file.</summary>
internal static class JsonArgument
{
    public static bool TryRead(string option, string value, out JsonNode? node, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(value);
        node = null;
        problem = null;
        var source = option;
        var text = value;
        var isFile = File.Exists(value);
        if (isFile)
        {
            source = $"{option} file '{Path.GetFullPath(value)}'";
            try
            {
                text = File.ReadAllText(value);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                problem = $"cannot read {source}: {e.Message}";
                return false;
            }
        }

        try
        {
            node = JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { AllowDuplicateProperties = false });
            return true;
        }
        catch (JsonException e)
        {
            var first = value.TrimStart();
            problem = isFile || first.StartsWith('{') || first.StartsWith('[') || first.StartsWith('"')
                ? $"{source} is not valid JSON: {e.Message}"
                : $"{option} '{value}' is neither an existing file nor JSON text.";
            return false;
        }
    }
}
