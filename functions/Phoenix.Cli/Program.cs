using System.CommandLine;
using Phoenix.Cli;

// No termination timeout: commands that must clean up on Ctrl-C (deploy --local) handle SIGINT themselves, and the
// others stop at once as a plain process does.
return await PhoenixCli.RunAsync(args, new InvocationConfiguration { ProcessTerminationTimeout = null });
