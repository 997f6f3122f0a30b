using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Phoenix.Asl;

/// <summary>
/// Parses JSON that a person wrote (a definition, an execution input, a mocks file) and reports a repeated key or a
/// syntax error as a <see cref="JsonProblem"/> naming where it is. <see cref="JsonNode.Parse(string, JsonNodeOptions?, JsonDocumentOptions)"/>
/// accepts a repeated key and then throws at the first access to that object, far from the parse; and its messages
/// are bare resource keys in the trimmed CLI.
/// </summary>
public static class StrictJson
{
    /// <summary>The parsed value, or null with every repeated key (or the one syntax error) in <paramref name="problems"/>.</summary>
    public static bool TryParse(string text, out JsonNode? node, out IReadOnlyList<JsonProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(text);
        node = null;
        var bytes = Encoding.UTF8.GetBytes(text);
        var found = new List<JsonProblem>();
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });

        // One frame per open container: an object's keys so far and its current key, or an array's next index.
        var frames = new Stack<Frame>();
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                    {
                        var frame = frames.Peek();
                        var key = reader.GetString()!;
                        frame.Key = key;
                        if (!frame.Keys!.Add(key))
                        {
                            var (line, column) = Position(bytes, reader.TokenStartIndex);
                            found.Add(new JsonProblem(
                                Pointer(frames),
                                line,
                                column,
                                $"duplicate key '{key}' at {Display(Pointer(frames))} (line {line}, column {column})",
                                key));
                        }

                        continue;
                    }

                    case JsonTokenType.StartObject or JsonTokenType.StartArray:
                        Advance(frames);
                        frames.Push(reader.TokenType == JsonTokenType.StartObject ? Frame.Object() : Frame.Array());
                        continue;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        frames.Pop();
                        continue;
                    default:
                        Advance(frames);
                        continue;
                }
            }
        }
        catch (JsonException e)
        {
            // LineNumber and BytePositionInLine are zero-based; people count from one.
            var line = (e.LineNumber ?? 0) + 1;
            var column = (e.BytePositionInLine ?? 0) + 1;
            problems = [new JsonProblem("", line, column, $"not valid JSON at line {line}, column {column}", null)];
            return false;
        }

        if (found.Count > 0)
        {
            problems = found;
            return false;
        }

        node = JsonNode.Parse(bytes);
        problems = [];
        return true;
    }

    /// <summary>A JSON Pointer for display: the root is "/" rather than the empty string.</summary>
    public static string Display(string location) => location.Length == 0 ? "/" : location;

    /// <summary>One RFC 6901 reference token.</summary>
    public static string Escape(string token) =>
        token.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);

    private static void Advance(Stack<Frame> frames)
    {
        if (frames.TryPeek(out var parent) && parent.Keys is null)
        {
            parent.Index++;
        }
    }

    private static string Pointer(Stack<Frame> frames)
    {
        var builder = new StringBuilder();
        foreach (var frame in frames.Reverse())
        {
            builder.Append('/').Append(frame.Keys is null ? frame.Index.ToString(System.Globalization.CultureInfo.InvariantCulture) : Escape(frame.Key ?? ""));
        }

        return builder.ToString();
    }

    private static (long Line, long Column) Position(byte[] bytes, long offset)
    {
        long line = 1;
        long lineStart = 0;
        for (var i = 0; i < offset; i++)
        {
            if (bytes[i] == (byte)'\n')
            {
                line++;
                lineStart = i + 1;
            }
        }

        return (line, offset - lineStart + 1);
    }

    private sealed class Frame
    {
        public HashSet<string>? Keys { get; private init; }

        public string? Key { get; set; }

        // The index of the element being read; -1 before the first.
        public int Index { get; set; } = -1;

        public static Frame Object() => new() { Keys = new HashSet<string>(StringComparer.Ordinal) };

        public static Frame Array() => new();
    }
}

/// <summary>
/// A problem in JSON text: <see cref="Location"/> is the RFC 6901 pointer of the repeated key ("" for the whole text),
/// line and column count from 1, <see cref="DuplicateKey"/> is the repeated key (null for a syntax error).
/// </summary>
public sealed record JsonProblem(string Location, long Line, long Column, string Message, string? DuplicateKey);
