using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Phoenix.Cdk.Tests.Support;

/// <summary>Runs cdk/tools/gates.js (cdk-nag, cfn-guard) over synthesized templates.</summary>
public static class Gates
{
    public static string ToolsFolder => Path.Combine(PhoenixSettings.RepositoryRoot, "cdk", "tools");

    public static JsonObject Run(string gate, IEnumerable<string> templates)
    {
        if (!Directory.Exists(Path.Combine(ToolsFolder, "node_modules", "cdk-nag")))
        {
            throw new InvalidOperationException($"The gate tools are not installed: run 'npm ci' in {ToolsFolder}.");
        }

        var start = new ProcessStartInfo("node") { WorkingDirectory = ToolsFolder, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("gates.js");
        start.ArgumentList.Add(gate);
        foreach (var template in templates)
        {
            start.ArgumentList.Add(template);
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"gates.js {gate} exited {process.ExitCode}: {error.Result}");
        }

        return JsonNode.Parse(output)!.AsObject();
    }

    public static IReadOnlyList<string> Describe(JsonNode? findings) =>
        findings!.AsArray().Select(f => $"{f!["template"]} {f["resource"]} {f["rule"]}: {f["message"]}").ToList();
}
