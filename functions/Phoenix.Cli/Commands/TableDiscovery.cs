using System.CommandLine;
using Phoenix.Aws;
using Phoenix.Aws.Adapters;
using Phoenix.Core.Discovery;

namespace Phoenix.Cli.Commands;

/// <summary>
/// The lock and ledger table of history, rollback, unlock, abort and approve: <c>--table</c>, else PHOENIX_TABLE, else the
/// one the PhoenixPipeline stack published in the region (<see cref="EnvironmentDiscovery.ResolveTableAsync"/>), printed as
/// deploy prints a state machine it found, so a job that set only a role and a region needs nothing else.
/// </summary>
internal static class TableDiscovery
{
    /// <summary>
    /// The table, or an <see cref="EnvironmentNotFound"/> naming the parameter and the options, which
    /// <see cref="AwsCommandOptions.RunAsync"/> turns into one line and exit 2. Called before the command changes anything.
    /// </summary>
    public static async Task<string> ResolveAsync(
        ParseResult parse, Option<string?> table, AwsClientSettings settings, TextWriter output, CancellationToken cancellationToken)
    {
        var given = CliOptions.TableName(parse, table);
        if (!string.IsNullOrWhiteSpace(given))
        {
            return given;
        }

        using var ssm = new AwsClientFactory(settings).SimpleSystemsManagement();
        var found = await new EnvironmentDiscovery(new EnvironmentParametersAdapter(ssm)).ResolveTableAsync(null, cancellationToken);
        await output.WriteLineAsync($"Table {found} (from {EnvironmentDiscovery.TableParameter})");
        return found;
    }
}
