using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Phoenix.Lambda.Tests.Support;

public enum BootstrapKind
{
    /// <summary>bootstrap.dll from this test output, run by the dotnet host.</summary>
    Jit,

    /// <summary>The Native AOT binary published by <see cref="AotPublish"/>.</summary>
    Aot,
}

/// <summary>The real bootstrap as a child process, with its stdout (the JSON log) captured.</summary>
public sealed class BootstrapProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _stdout = new();
    private readonly ConcurrentQueue<string> _stderr = new();

    private BootstrapProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                _stdout.Enqueue(e.Data);
            }
        };
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                _stderr.Enqueue(e.Data);
            }
        };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public static async Task<BootstrapProcess> StartAsync(BootstrapKind kind, IReadOnlyDictionary<string, string?> environment)
    {
        var start = kind == BootstrapKind.Aot
            ? new ProcessStartInfo((await AotPublish.GetAsync()).Binary)
            : new ProcessStartInfo(DotnetHost, [Path.Combine(AppContext.BaseDirectory, "bootstrap.dll")]);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        // A Lambda environment has no credentials chain to wander through: keep the child off IMDS.
        start.Environment["AWS_EC2_METADATA_DISABLED"] = "true";
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        return new BootstrapProcess(Process.Start(start)!);
    }

    public static string DotnetHost => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    public IReadOnlyList<JsonObject> LogLines() => _stdout.Select(line => JsonNode.Parse(line)!.AsObject()).ToList();

    public string Stderr => string.Join('\n', _stderr);

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }

        _process.Dispose();
    }
}
