using System.CommandLine;

namespace Phoenix.Cli;

/// <summary>Every top-level command; each lives in Commands/ and is added here once.</summary>
internal static class CommandCatalog
{
    public static IEnumerable<Command> Create()
    {
        yield return Commands.SimulateCommand.Create();
        yield return Commands.DeployCommand.Create();
        yield return Commands.StatusCommand.Create();
        yield return Commands.HistoryCommand.Create();
        yield return Commands.ApproveCommand.Create();
        yield return Commands.ApproveCommand.CreateReject();
        yield return Commands.AbortCommand.Create();
        yield return Commands.RollbackCommand.Create();
        yield return Commands.UnlockCommand.Create();
        yield return Commands.AdoptCommand.Create();
        yield return Commands.DoctorCommand.Create();
        yield return Commands.DriftCommand.Create();
        yield return Commands.AslRunCommand.Create();
        yield break;
    }
}

internal static class ExitCodes
{
    public const int Success = 0;
    public const int Failed = 1;
    public const int BadInput = 2;
}
