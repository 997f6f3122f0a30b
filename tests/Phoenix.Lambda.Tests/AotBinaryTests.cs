using System.IO.Compression;
using Phoenix.Lambda.Tests.Support;

namespace Phoenix.Lambda.Tests;

/// <summary>The deployable itself: the Native AOT publish, its glibc floor and the zip the CDK app deploys.</summary>
public sealed class AotBinaryTests
{
    /// <summary>Amazon Linux 2023 (provided.al2023) ships glibc 2.34.</summary>
    private static readonly Version Al2023Glibc = new(2, 34);

    [Fact]
    public async Task Publish_NativeAot_ReportsNoWarnings()
    {
        var published = await AotPublish.GetAsync();

        // Warnings are errors in this build, so a warning fails the publish; this also catches any the AOT
        // compiler prints without failing (e.g. one left as a message by a future SDK).
        Assert.DoesNotContain(" warning ", published.Output, StringComparison.OrdinalIgnoreCase);
        Assert.True(File.Exists(published.Binary), $"No binary at {published.Binary}.");
    }

    [Fact]
    public async Task Publish_NativeAot_NeedsNoGlibcNewerThanAmazonLinux2023()
    {
        var published = await AotPublish.GetAsync();

        var needs = ElfVersionNeeds.Read(published.Binary);

        var glibc = needs.Where(n => n.File == "libc.so.6").Select(n => (Need: n, Version: ElfVersionNeeds.GlibcVersion(n))).ToList();
        Assert.Contains(glibc, g => g.Version is not null);
        var tooNew = glibc.Where(g => g.Version > Al2023Glibc).Select(g => g.Need.Version).ToList();
        Assert.True(tooNew.Count == 0, $"bootstrap needs {string.Join(", ", tooNew)}; Amazon Linux 2023 has glibc {Al2023Glibc}.");
    }

    [Fact]
    public async Task Publish_NativeAot_ZipsAnExecutableBootstrapAlone()
    {
        var published = await AotPublish.GetAsync();

        using var zip = ZipFile.OpenRead(published.Zip);

        var entry = Assert.Single(zip.Entries);
        Assert.Equal("bootstrap", entry.FullName);
        Assert.Equal(new FileInfo(published.Binary).Length, entry.Length);
        var mode = (UnixFileMode)((entry.ExternalAttributes >> 16) & 0x1FF);
        Assert.True(mode.HasFlag(UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute), $"bootstrap has mode {mode} in the zip.");
    }
}
