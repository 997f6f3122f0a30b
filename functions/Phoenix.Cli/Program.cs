using System.CommandLine;
using Phoenix.Cli;

var root = new RootCommand("phoenix: immutable, image-based blue/green deployments for EC2 Auto Scaling fleets");
foreach (var command in CommandCatalog.Create())
{
    root.Subcommands.Add(command);
}

var parse = root.Parse(args);
if (parse.Errors.Count > 0)
{
    // Bad arguments exit 2, distinct from a failed deployment or execution (1).
    foreach (var error in parse.Errors)
    {
        await Console.Error.WriteLineAsync($"phoenix: {error.Message}");
    }

    return ExitCodes.BadInput;
}

// No termination timeout: commands that must clean up on Ctrl-C (deploy --local) handle SIGINT themselves, and the
// others stop at once as a plain process does.
return await parse.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
