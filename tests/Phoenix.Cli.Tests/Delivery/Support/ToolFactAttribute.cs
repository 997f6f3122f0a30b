namespace Phoenix.Cli.Tests.Delivery.Support;

/// <summary>
/// A test that needs a program from the machine (shellcheck, setpriv). Skipped, naming the program, where it is missing
/// outside CI; under CI it runs and fails, because .ci/run installs it and a skip there would look green.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ToolFactAttribute : FactAttribute
{
    public ToolFactAttribute(string program)
    {
        if (Find(program) is null && Environment.GetEnvironmentVariable("CI") is not { Length: > 0 })
        {
            Skip = $"{program} is not installed here (.ci/run installs it with apt).";
        }
    }

    public static string? Find(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, program))
            .FirstOrDefault(File.Exists);
}
