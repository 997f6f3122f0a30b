using System.CommandLine;
using Phoenix.Cli;
using Xunit.Abstractions;

namespace Phoenix.Emulator.Tests.Support;

/// <summary>Runs the CLI's AWS commands in-process against the emulator, as a user would type them, capturing both streams.</summary>
internal static class CliRunner
{
    /// <summary>The credentials and region a shell would export for the emulator (the CLI reads the real environment).</summary>
    public static ProcessEnvironment Environment() => new(new Dictionary<string, string?>
    {
        ["AWS_ACCESS_KEY_ID"] = "test",
        ["AWS_SECRET_ACCESS_KEY"] = "test",
        ["AWS_REGION"] = MotoServer.RegionName,
    });

    public static async Task<(int Exit, string Output, string Error)> RunAsync(MotoServer moto, ITestOutputHelper log, params string[] args)
    {
        using var text = new StringWriter();
        using var error = new StringWriter();
        var exit = await PhoenixCli.RunAsync([.. args, "--endpoint-url", moto.Endpoint], new InvocationConfiguration { Output = text, Error = error });
        log.WriteLine($"phoenix {string.Join(' ', args)} -> {exit}\n{text}{error}");
        return (exit, text.ToString(), error.ToString());
    }
}
