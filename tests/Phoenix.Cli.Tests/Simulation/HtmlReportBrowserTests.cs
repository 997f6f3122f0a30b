using System.CommandLine;
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Phoenix.Cli.Tests.Simulation;

/// <summary>
/// A test that needs a headless Chromium (Debian's <c>chromium</c>, which .ci/run installs). Where none is found it is
/// skipped saying so, except under CI, where it runs and fails: a report that was never drawn must not look green.
/// </summary>
public sealed class BrowserFactAttribute : FactAttribute
{
    public BrowserFactAttribute()
    {
        if (HtmlReportBrowserTests.Chromium() is null && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")))
        {
            Skip = "No chromium on PATH (apt-get install chromium, as .ci/run does): the HTML report is not checked in a browser here.";
        }
    }
}

public class HtmlReportBrowserTests
{
    [BrowserFact]
    public async Task Report_Canary_ChromiumDrawsTrafficCapacityAndStates()
    {
        var file = Path.Combine(Path.GetTempPath(), $"phoenix-report-{Guid.NewGuid():N}.html");
        try
        {
            using var output = new StringWriter();
            using var error = new StringWriter();
            var exit = await PhoenixCli.RunAsync(
                ["simulate", "--scenario", "canary", "--image", "ami-0123456789abcdef0", "--report", file], new InvocationConfiguration { Output = output, Error = error });
            Assert.Equal((0, ""), (exit, error.ToString()));
            var html = await File.ReadAllTextAsync(file);
            // Self-contained: nothing is fetched (the SVG namespace is an identifier, not a request).
            Assert.DoesNotMatch(new Regex(@"\s(src|href)\s*=", RegexOptions.IgnoreCase), html);
            Assert.DoesNotContain("https://", html, StringComparison.Ordinal);
            Assert.DoesNotContain("data-drawn=\"true\"", html, StringComparison.Ordinal);

            var dom = await DumpDomAsync(file);

            // The page's script ran and drew every series from the embedded data.
            Assert.Contains("data-drawn=\"true\"", dom, StringComparison.Ordinal);
            Assert.Equal(["2", "4"], Regex.Matches(dom, "data-series-drawn=\"(\\d+)\"").Select(m => m.Groups[1].Value));
            var bars = int.Parse(Regex.Match(dom, "data-bars-drawn=\"(\\d+)\"").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(Regex.Count(dom, "<rect "), bars);
            Assert.True(bars > 30, $"{bars} state bars drawn");
            Assert.Contains(">SwapTraffic</text>", dom, StringComparison.Ordinal);
            // Traffic is plotted 120 px high from y=10: green ends at 100% (y 10) through 10% (y 118) and 50% (y 70); blue ends at 0% (y 130).
            var green = SeriesPath(dom, "green traffic");
            Assert.Contains("V118", green, StringComparison.Ordinal);
            Assert.Contains("V70", green, StringComparison.Ordinal);
            Assert.EndsWith("V10H", green[..(green.LastIndexOf('H') + 1)], StringComparison.Ordinal);
            Assert.Contains("V130", SeriesPath(dom, "blue traffic"), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    internal static string? Chromium()
    {
        foreach (var name in new[] { "chromium", "chromium-browser" })
        {
            foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
            {
                var path = System.IO.Path.Combine(dir, name);
                if (File.Exists(path))
                {
                    return path;
                }
            }
        }

        return null;
    }

    private static string SeriesPath(string dom, string series) =>
        Regex.Match(dom, $"<path d=\"([^\"]+)\"[^>]*data-series=\"{series}\"").Groups[1].Value;

    private static async Task<string> DumpDomAsync(string file)
    {
        var chromium = Chromium() ?? throw new InvalidOperationException("CI is set but no chromium is on PATH: .ci/run installs it with apt-get install chromium.");
        var profile = Directory.CreateTempSubdirectory("phoenix-chromium-");
        try
        {
            // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
            var start = new ProcessStartInfo(chromium)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                ArgumentList = { "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", $"--user-data-dir={profile.FullName}", "--dump-dom", new Uri(file).AbsoluteUri },
            };
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
            await process.WaitForExitAsync(timeout.Token);
            var dom = await stdout;
            Assert.True(process.ExitCode == 0 && dom.Length > 0, $"chromium exited {process.ExitCode}: {await stderr}");
            return dom;
        }
        finally
        {
            profile.Delete(recursive: true);
        }
    }
}
