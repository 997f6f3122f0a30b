using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Phoenix.Cli.Tests.Delivery.Support;
using Xunit.Abstractions;

namespace Phoenix.Cli.Tests.Delivery;

/// <summary>
/// `phoenix` as a .NET tool, the way the README installs it: `dotnet pack` of the CLI project, then `dotnet tool install`
/// from that folder alone (no remote feed), then the installed command run. Packed once for the whole class.
/// </summary>
public sealed class ToolPackageTests(ToolPackageTests.Packed packed, ITestOutputHelper log) : IClassFixture<ToolPackageTests.Packed>
{
    private const string PackageId = "Phoenix.Cli";

    [Fact]
    public void Pack_FrameworkDependentAndRidAgnostic_OnePackageRunByDotnet()
    {
        log.WriteLine(packed.PackOutput);

        // One package: RID-specific tool packages (phoenix.cli.linux-x64.*) would come beside an implementation-less pointer.
        var package = Assert.Single(Directory.GetFiles(packed.PackageFolder, "*.nupkg"));
        Assert.Matches(@"^Phoenix\.Cli\.\d+\.\d+\.\d+\.nupkg$", Path.GetFileName(package));
        using var zip = ZipFile.OpenRead(package);
        var tools = zip.Entries.Where(e => e.FullName.StartsWith("tools/", StringComparison.Ordinal)).Select(e => e.FullName).ToList();
        Assert.All(tools, t => Assert.StartsWith("tools/net10.0/any/", t, StringComparison.Ordinal));
        Assert.Contains("tools/net10.0/any/phoenix.dll", tools);
        Assert.Contains("tools/net10.0/any/phoenix.runtimeconfig.json", tools);

        using var settings = zip.GetEntry("tools/net10.0/any/DotnetToolSettings.xml")!.Open();
        var command = Assert.Single(XDocument.Load(settings).Descendants("Command"));
        Assert.Equal(("phoenix", "phoenix.dll", "dotnet"), ((string?)command.Attribute("Name"), (string?)command.Attribute("EntryPoint"), (string?)command.Attribute("Runner")));
    }

    [Fact]
    public async Task Install_FromThePackFolderOnly_PhoenixRunsThenUninstalls()
    {
        var toolPath = Path.Combine(packed.Scratch, "tools");
        var cache = Path.Combine(packed.Scratch, "nuget-packages");
        DeleteIfPresent(toolPath);
        DeleteIfPresent(cache);
        // A fresh package cache: the same version left in ~/.nuget/packages by an earlier run would be installed instead.
        var environment = new Dictionary<string, string?>(Packed.Environment) { ["NUGET_PACKAGES"] = cache };

        var install = await ChildProcess.RunAsync(
            "dotnet", ["tool", "install", "--tool-path", toolPath, "--configfile", packed.NuGetConfig, PackageId], environment, packed.Scratch, TimeSpan.FromMinutes(5));
        Assert.True(install.Exit == 0, install.ToString());

        var phoenix = Path.Combine(toolPath, "phoenix");
        var help = await ChildProcess.RunAsync(phoenix, ["--help"], workingDirectory: packed.Scratch);
        Assert.True(help.Exit == 0, help.ToString());
        foreach (var name in new[] { "simulate", "deploy", "status", "history", "rollback", "drift", "asl" })
        {
            Assert.Matches($@"(?m)^\s+{name}\b", help.Output);
        }

        // The workflow comes embedded in phoenix.dll: the tool folder holds no statemachines/.
        var simulate = await ChildProcess.RunAsync(phoenix, ["simulate", "--instances", "2"], workingDirectory: packed.Scratch);
        Assert.True(simulate.Exit == 0, simulate.ToString());
        Assert.Contains("Result: DEPLOYED", simulate.Output, StringComparison.Ordinal);

        var uninstall = await ChildProcess.RunAsync("dotnet", ["tool", "uninstall", "--tool-path", toolPath, PackageId], environment, packed.Scratch);
        Assert.True(uninstall.Exit == 0, uninstall.ToString());
        Assert.False(File.Exists(phoenix), "uninstall removes the command");
    }

    private static void DeleteIfPresent(string folder)
    {
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>One `dotnet pack` into a folder per checkout, with a nuget.config naming only that folder.</summary>
    public sealed class Packed : IAsyncLifetime
    {
        // The test host's MSBuild variables would point the nested build at the wrong SDK pieces.
        internal static readonly IReadOnlyDictionary<string, string?> Environment = new Dictionary<string, string?>
        {
            ["MSBuildSDKsPath"] = null,
            ["MSBUILD_EXE_PATH"] = null,
            ["MSBuildExtensionsPath"] = null,
            ["MSBuildLoadMicrosoftTargetsReadOnly"] = null,
        };

        public string Scratch { get; private set; } = "";

        public string PackageFolder => Path.Combine(Scratch, "package");

        public string NuGetConfig => Path.Combine(Scratch, "nuget.config");

        public string PackOutput { get; private set; } = "";

        public async Task InitializeAsync()
        {
            var key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(Repository.Root)))[..12];
            Scratch = Path.Combine(Path.GetTempPath(), "phoenix-cli-tool", key);
            DeleteIfPresent(PackageFolder);
            // Its own artifacts path: the build does not touch the checkout's bin/obj that other builds may be using.
            var run = await ChildProcess.RunAsync(
                "dotnet",
                [
                    "pack", Repository.PathOf("functions/Phoenix.Cli/Phoenix.Cli.csproj"), "-c", "Release",
                    "--artifacts-path", Path.Combine(Scratch, "artifacts"), "-o", PackageFolder, "--disable-build-servers", "-nodeReuse:false",
                ],
                Environment,
                timeout: TimeSpan.FromMinutes(15));
            if (run.Exit != 0)
            {
                throw new InvalidOperationException($"dotnet pack of the CLI failed:\n{run}");
            }

            PackOutput = run.Output;
            // Only the pack folder: installing must need no remote feed (and the test runs offline).
            await File.WriteAllTextAsync(
                NuGetConfig,
                new XDocument(new XElement(
                    "configuration",
                    new XElement("packageSources", new XElement("clear"), new XElement("add", new XAttribute("key", "phoenix"), new XAttribute("value", PackageFolder))))).ToString());
        }

        public Task DisposeAsync() => Task.CompletedTask;
    }
}
