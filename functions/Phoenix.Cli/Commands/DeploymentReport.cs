using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Phoenix.Core.Ports;

namespace Phoenix.Cli.Commands;

/// <summary>One line of a deployment's timeline: when (from the start), in which state, what happened.</summary>
public sealed record TimelineEntry(TimeSpan Offset, string? State, string Event, string? Detail);

/// <summary>
/// How one deployment ended, the same whether it ran on Step Functions or with <c>--local</c>: what
/// <c>deploy --summary-file</c> appends as Markdown (a GitHub job summary, <c>$GITHUB_STEP_SUMMARY</c>) and
/// <c>deploy --result-file</c> writes as JSON (what a CI step reads its outputs from).
/// </summary>
public sealed record DeploymentReport(
    string Application,
    string ExecutionArn,
    string DeploymentId,
    string Status,
    string? Error,
    string? Cause,
    DateTimeOffset? Started,
    DateTimeOffset? Stopped,
    IReadOnlyList<TimelineEntry> Timeline,
    DeploymentRecord? Ledger,
    int ExitCode)
{
    /// <summary>
    /// The outcome in one word: the ledger's result when the entry was read (DEPLOYED, ROLLED_BACK, …), else the
    /// execution's status (SUCCEEDED, FAILED, …).
    /// </summary>
    public string Outcome => Ledger?.Result ?? Status;

    /// <summary>Where the options write, each optional; both are written after the deployment ended.</summary>
    public sealed record Files(string? SummaryPath, string? ResultPath)
    {
        public bool Any => SummaryPath is not null || ResultPath is not null;

        /// <summary>Appends the summary (a job summary file collects every step's) and replaces the result file.</summary>
        public async Task WriteAsync(DeploymentReport report, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(report);
            if (SummaryPath is not null)
            {
                await File.AppendAllTextAsync(SummaryPath, report.ToMarkdown(), cancellationToken);
            }

            if (ResultPath is not null)
            {
                await File.WriteAllTextAsync(ResultPath, report.ToJson().ToJsonString(Indented) + "\n", cancellationToken);
            }
        }
    }

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public JsonObject ToJson() => new()
    {
        ["application"] = Application,
        ["executionArn"] = ExecutionArn,
        ["deploymentId"] = DeploymentId,
        ["status"] = Status,
        ["result"] = Ledger?.Result,
        ["imageId"] = Ledger?.ImageId,
        ["previousImageId"] = Ledger?.PreviousImageId,
        ["colour"] = Ledger?.Colour,
        ["error"] = Error,
        ["cause"] = Cause,
        ["startedAt"] = Started?.ToString("O", CultureInfo.InvariantCulture),
        ["stoppedAt"] = Stopped?.ToString("O", CultureInfo.InvariantCulture),
        ["exitCode"] = ExitCode,
    };

    public string ToMarkdown()
    {
        var text = new StringBuilder();
        var good = ExitCode == ExitCodes.Success;
        text.Append(CultureInfo.InvariantCulture, $"## Phoenix: {Cell(Application)} {(good ? "✅" : "❌")} {Outcome}\n\n");
        text.Append("| | |\n|---|---|\n");
        Row(text, "Execution", Code(ExecutionArn));
        Row(text, "Status", Status);
        if (Started is { } started)
        {
            Row(text, "Started", started.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        }

        if (Started is { } from && Stopped is { } to)
        {
            Row(text, "Duration", Elapsed(to - from));
        }

        if (Error is not null || Cause is not null)
        {
            Row(text, "Error", $"{Code(Error ?? "-")}: {Cell(Cause ?? string.Empty)}");
        }

        text.Append("\n### Timeline\n\n| + | State | Event | Detail |\n|---|---|---|---|\n");
        foreach (var line in Timeline)
        {
            text.Append(CultureInfo.InvariantCulture,
                $"| {Elapsed(line.Offset)} | {Cell(line.State ?? "-")} | {Cell(line.Event)} | {Cell(line.Detail ?? string.Empty)} |\n");
        }

        text.Append("\n### Ledger entry\n\n");
        if (Ledger is not { } entry)
        {
            text.Append("No ledger entry was read (pass `--table` or set PHOENIX_TABLE with `--wait`).\n\n");
            return text.ToString();
        }

        text.Append("| | |\n|---|---|\n");
        Row(text, "Deployment", Code(entry.DeploymentId));
        Row(text, "Result", entry.Result);
        Row(text, "Image", entry.ImageId is null ? "-" : Code(entry.ImageId));
        Row(text, "Previous image", entry.PreviousImageId is null ? "-" : Code(entry.PreviousImageId));
        Row(text, "Colour", entry.Colour ?? "-");
        Row(text, "Commit", entry.Commit is null ? "-" : Code(entry.Commit));
        Row(text, "Repository", entry.Repository ?? "-");
        Row(text, "Trigger", entry.Trigger ?? "-");
        Row(text, "By", entry.StartedBy ?? "-");
        Row(text, "Started", entry.StartedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        Row(text, "Finished", entry.FinishedAt?.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? "-");
        if (entry.Warning is not null)
        {
            Row(text, "Warning", entry.Warning);
        }

        if (entry.Error is not null)
        {
            Row(text, "Error", $"{Code(entry.Error)}: {Cell(entry.Cause ?? string.Empty)}");
        }

        text.Append('\n');
        return text.ToString();
    }

    /// <summary>The Step Functions events worth a line in a summary: states entered, failures, and the execution's end.</summary>
    public static bool IsMilestone(string type) =>
        type.EndsWith("StateEntered", StringComparison.Ordinal)
        || type.EndsWith("Failed", StringComparison.Ordinal)
        || type.EndsWith("TimedOut", StringComparison.Ordinal)
        || type.StartsWith("Execution", StringComparison.Ordinal);

    private static void Row(StringBuilder text, string name, string value) =>
        text.Append(CultureInfo.InvariantCulture, $"| {name} | {(value.Length == 0 ? "-" : value)} |\n");

    // A table cell holds one line, and a pipe would end it.
    private static string Cell(string value) => value.Replace("\r", string.Empty, StringComparison.Ordinal)
        .Replace("\n", " ", StringComparison.Ordinal).Replace("|", "\\|", StringComparison.Ordinal);

    private static string Code(string value) => "`" + Cell(value).Replace("`", "'", StringComparison.Ordinal) + "`";

    private static string Elapsed(TimeSpan span) => ExecutionTimeline.Elapsed(span);
}
