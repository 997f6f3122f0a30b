using System.Collections;
using System.Text;
using System.Text.RegularExpressions;

namespace Phoenix.Asl.Model;

/// <summary>
/// The parser's diagnostics. <see cref="Scope"/> is the JSON Pointer of what is being parsed (the machine, a block, a
/// state). A message names its field the way users read it (<c>field 'Retry[0].ErrorEquals'</c>); <see cref="Add(string)"/>
/// turns that name into the pointer below the scope (<c>/Retry/0/ErrorEquals</c>), so message and location cannot disagree.
/// </summary>
internal sealed partial class ProblemList : IReadOnlyList<AslDiagnostic>
{
    private readonly List<AslDiagnostic> _items = [];

    public string Scope { get; set; } = "";

    public int Count => _items.Count;

    public AslDiagnostic this[int index] => _items[index];

    public void Add(string message) => Add(message, AslDiagnosticCodes.SchemaValidationFailed);

    public void Add(string message, string code) => AddAt(Scope + FieldPointer(message), message, code);

    public void AddAt(string location, string message, string code = AslDiagnosticCodes.SchemaValidationFailed) =>
        _items.Add(new AslDiagnostic(AslDiagnostic.Error, code, message, StrictJson.Display(location)));

    public IEnumerator<AslDiagnostic> GetEnumerator() => _items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private static string FieldPointer(string message)
    {
        var match = FieldName().Match(message);
        if (!match.Success)
        {
            return "";
        }

        var pointer = new StringBuilder();
        foreach (var part in match.Groups[1].Value.Split('.'))
        {
            var bracket = part.IndexOf('[', StringComparison.Ordinal);
            pointer.Append('/').Append(StrictJson.Escape(bracket < 0 ? part : part[..bracket]));
            foreach (Match index in Index().Matches(bracket < 0 ? "" : part[bracket..]))
            {
                pointer.Append('/').Append(index.Groups[1].Value);
            }
        }

        return pointer.ToString();
    }

    [GeneratedRegex(@"\b[Ff]ield '([^']+)'")]
    private static partial Regex FieldName();

    [GeneratedRegex(@"\[(\d+)\]")]
    private static partial Regex Index();
}
