using System.CommandLine;
using System.Globalization;
using System.Text;
using Phoenix.Aws;
using Phoenix.Aws.Adapters;
using Phoenix.Core.Ports;

namespace Phoenix.Cli.Commands;

/// <summary><c>phoenix history --app NAME [--limit N]</c>: the application's deployment ledger from DynamoDB, newest first.</summary>
public static class HistoryCommand
{
    public const string TableVariable = "PHOENIX_TABLE";

    public static Command Create()
    {
        var aws = new AwsCommandOptions();
        var app = CliOptions.Application("The application.", required: true);
        var limit = CliOptions.WholeNumber("--limit", 1, 1000, 20, "How many deployments to show.");
        var command = new Command("history", "List an application's deployments from the ledger (DynamoDB), newest first.") { app, limit };
        var table = CliOptions.Table(command, "The Phoenix DynamoDB table");
        aws.AddTo(command);
        command.SetAction((parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            return AwsCommandOptions.RunAsync("history", error, async () =>
            {
                var application = parse.GetRequiredValue(app)!;
                var settings = aws.Settings(parse);
                var tableName = await TableDiscovery.ResolveAsync(parse, table, settings, output, cancellationToken);
                using var client = new AwsClientFactory(settings).DynamoDb();
                var records = await new DeploymentLedgerAdapter(client, tableName).ListAsync(application, parse.GetValue(limit), cancellationToken);
                await output.WriteAsync(Render(application, records));
                return ExitCodes.Success;
            });
        });
        return command;
    }

    public static string Render(string application, IReadOnlyList<DeploymentRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (records.Count == 0)
        {
            return $"No deployments of {application} in the ledger.\n";
        }

        string[] header = ["STARTED (UTC)", "RESULT", "IMAGE", "PREVIOUS", "COLOUR", "DURATION", "COMMIT", "BY", "DEPLOYMENT"];
        var rows = records.Select(r => new[]
        {
            r.StartedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
            r.Result,
            r.ImageId ?? "-",
            r.PreviousImageId ?? "-",
            r.Colour ?? "-",
            r.FinishedAt is { } end ? Duration(end - r.StartedAt) : "-",
            r.Commit is { Length: > 12 } commit ? commit[..12] : r.Commit ?? "-",
            r.StartedBy ?? r.Trigger ?? "-",
            r.DeploymentId,
        }).ToList();
        var widths = header.Select((h, i) => Math.Max(h.Length, rows.Max(r => r[i].Length))).ToArray();
        var text = new StringBuilder();
        foreach (var row in rows.Prepend(header))
        {
            text.AppendJoin("  ", row.Select((cell, i) => cell.PadRight(widths[i]))).Append('\n');
            text.Length -= 1;
            while (text[^1] == ' ')
            {
                text.Length -= 1;
            }

            text.Append('\n');
        }

        // Under the table, newest first: why an entry failed, and what is left to do (a ROLLBACK_FAILED entry's warning
        // says what the fleet looks like, which is what whoever repairs it by hand needs first).
        foreach (var record in records)
        {
            if (record.Error is not null)
            {
                text.Append(CultureInfo.InvariantCulture, $"{record.DeploymentId}: {record.Error}: {record.Cause}\n");
            }

            if (record.Warning is not null)
            {
                text.Append(CultureInfo.InvariantCulture, $"{record.DeploymentId}: warning: {record.Warning}\n");
            }
        }

        return text.ToString();
    }

    private static string Duration(TimeSpan span) =>
        string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalMinutes}m{span.Seconds:00}s");
}
