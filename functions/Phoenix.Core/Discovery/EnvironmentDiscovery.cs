using Phoenix.Core.Ports;

namespace Phoenix.Core.Discovery;

/// <summary>Where a deployment is started and recorded: the state machine, and the table its ledger is in (when known).</summary>
public sealed record DeploymentEnvironment(string StateMachineArn, string? TableName);

/// <summary>The installation publishes no state machine or table (the PhoenixPipeline stack is not deployed in this account and region).</summary>
public sealed class EnvironmentNotFound(string message) : PhoenixException(message);

/// <summary>
/// Finds the deployment environment a caller did not name: the PhoenixPipeline stack publishes its state machine ARN and
/// table name under <see cref="PublishedEnvironment.Path"/> in its account and region, so a caller that knows only a role
/// (a GitHub Actions job) and a region needs nothing else. A value the caller gives always wins and is not looked up.
/// </summary>
public sealed class EnvironmentDiscovery(IEnvironmentParameters parameters)
{
    public static string StateMachineParameter => PublishedEnvironment.StateMachineArn.ParameterName;

    public static string TableParameter => PublishedEnvironment.TableName.ParameterName;

    /// <summary>
    /// The state machine (given, else published; neither is an <see cref="EnvironmentNotFound"/> naming both ways to
    /// fix it) and, when <paramref name="wantTable"/>, the table (given, else published, else null: the ledger entry is a
    /// nicety of the summary, not a reason to refuse a deployment).
    /// </summary>
    public async Task<DeploymentEnvironment> ResolveAsync(string? stateMachineArn, string? tableName, bool wantTable, CancellationToken cancellationToken)
    {
        var arn = Given(stateMachineArn) ?? Given(await parameters.GetAsync(StateMachineParameter, cancellationToken).ConfigureAwait(false))
            ?? throw new EnvironmentNotFound(
                $"No state machine: pass --state-machine-arn, set PHOENIX_STATE_MACHINE_ARN, or deploy the PhoenixPipeline stack, " +
                $"which publishes it as the SSM parameter {StateMachineParameter} (not found in this account and region).");
        var table = Given(tableName);
        if (table is null && wantTable)
        {
            table = Given(await parameters.GetAsync(TableParameter, cancellationToken).ConfigureAwait(false));
        }

        return new DeploymentEnvironment(arn, table);
    }

    /// <summary>
    /// The lock and ledger table for the commands that read or change them (history, rollback, unlock, abort, approve):
    /// given, else published; neither is an <see cref="EnvironmentNotFound"/> naming the parameter and both ways to name it.
    /// </summary>
    public async Task<string> ResolveTableAsync(string? tableName, CancellationToken cancellationToken) =>
        Given(tableName) ?? Given(await parameters.GetAsync(TableParameter, cancellationToken).ConfigureAwait(false))
            ?? throw new EnvironmentNotFound(
                $"No table: pass --table, set {PublishedEnvironment.TableName.Variable}, or deploy the PhoenixPipeline stack, " +
                $"which publishes it as the SSM parameter {TableParameter} (not found in this account and region).");

    private static string? Given(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
