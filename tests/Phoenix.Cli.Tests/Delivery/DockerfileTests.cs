using Phoenix.Cli.Tests.Delivery.Support;

namespace Phoenix.Cli.Tests.Delivery;

/// <summary>
/// functions/Phoenix.Cli/Dockerfile, checked statically (no container engine runs here): the npm linter, and each of
/// Phoenix's image rules on our file and on a Dockerfile that breaks it, so a rule that stops catching its case fails.
/// </summary>
public sealed class DockerfileTests
{
    private const string DockerfilePath = "functions/Phoenix.Cli/Dockerfile";

    private static readonly IReadOnlyList<Instruction> Ours = DockerfileRules.Parse(Repository.Read(DockerfilePath));

    // A Dockerfile in the style the reference design starts from: one stage, a tag, a named user, a shell, no labels.
    private const string Naive = """
        FROM python:3.11-slim
        ARG GITHUB_TOKEN
        ENV AWS_SECRET_ACCESS_KEY=abc
        COPY . /app
        COPY .aws/credentials /root/.aws/credentials
        ADD https://example.com/tool.tgz /opt/
        RUN useradd -r appuser
        USER appuser
        CMD python app.py
        """;

    public static TheoryData<string> Rules => ["DigestPins", "MultiStage", "NonRoot", "NoShell", "Labels", "NoSecrets"];

    private static IEnumerable<string> Check(string rule, IReadOnlyList<Instruction> instructions) => rule switch
    {
        "DigestPins" => DockerfileRules.DigestPins(instructions),
        "MultiStage" => DockerfileRules.MultiStage(instructions),
        "NonRoot" => DockerfileRules.NonRoot(instructions),
        "NoShell" => DockerfileRules.NoShell(instructions),
        "Labels" => DockerfileRules.Labels(instructions),
        "NoSecrets" => DockerfileRules.NoSecrets(instructions),
        _ => throw new ArgumentOutOfRangeException(nameof(rule), rule, "no such rule"),
    };

    [Theory]
    [MemberData(nameof(Rules))]
    public void Rule_PhoenixDockerfile_Holds(string rule)
    {
        var problems = Check(rule, Ours).ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Theory]
    [MemberData(nameof(Rules))]
    public void Rule_NaiveDockerfile_IsCaught(string rule)
    {
        Assert.NotEmpty(Check(rule, DockerfileRules.Parse(Naive)));
    }

    [Fact]
    public void NoSecrets_NaiveDockerfile_NamesEachLeak()
    {
        var problems = DockerfileRules.NoSecrets(DockerfileRules.Parse(Naive)).ToList();

        Assert.Contains(problems, p => p.Contains("ARG GITHUB_TOKEN", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("ENV AWS_SECRET_ACCESS_KEY", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains(".aws/credentials", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("ADD from a URL", StringComparison.Ordinal));
    }

    [Fact]
    public void NonRoot_RootOrNamedUser_Caught()
    {
        Assert.Contains("is root", Assert.Single(DockerfileRules.NonRoot(DockerfileRules.Parse("FROM a@sha256:x AS b\nFROM c\nUSER 0:0"))), StringComparison.Ordinal);
        Assert.Contains("not numeric", Assert.Single(DockerfileRules.NonRoot(DockerfileRules.Parse("FROM a\nFROM c\nUSER app"))), StringComparison.Ordinal);
    }

    [Fact]
    public void Stages_PhoenixDockerfile_SdkBuildsAndChiseledRuns()
    {
        var stages = DockerfileRules.Stages(Ours);

        Assert.Equal(2, stages.Count);
        Assert.StartsWith("mcr.microsoft.com/dotnet/sdk:10.0@sha256:", stages[0][0].Arguments, StringComparison.Ordinal);
        Assert.Contains(stages[0], i => i.Keyword == "RUN" && i.Arguments.Contains("dotnet publish functions/Phoenix.Cli", StringComparison.Ordinal));
        Assert.StartsWith("mcr.microsoft.com/dotnet/runtime-deps:10.0-noble-chiseled@sha256:", stages[1][0].Arguments, StringComparison.Ordinal);
        var copy = Assert.Single(stages[1], i => i.Keyword == "COPY");
        Assert.Equal("--from=build /out/phoenix /usr/local/bin/phoenix", copy.Arguments);
        Assert.Equal("[\"/usr/local/bin/phoenix\"]", Assert.Single(stages[1], i => i.Keyword == "ENTRYPOINT").Arguments);
    }

    [Fact]
    public void DockerIgnore_SendsOnlyTheSourcesTheBuildCopies()
    {
        var ignore = Repository.Read("functions/Phoenix.Cli/Dockerfile.dockerignore").Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();

        // Everything is excluded first; only what the build stage copies is let back in, and build output stays out.
        Assert.Equal("**", ignore[0]);
        foreach (var copied in Ours.Where(i => i.Keyword == "COPY" && !i.Arguments.Contains("--from", StringComparison.Ordinal)))
        {
            foreach (var source in copied.Arguments.Split(' ')[..^1])
            {
                Assert.Contains(ignore, l => l.StartsWith("!" + source.TrimEnd('/'), StringComparison.Ordinal));
            }
        }

        Assert.Contains("**/bin/", ignore);
        Assert.Contains("**/obj/", ignore);
        Assert.Contains("**/.aws/", ignore);
    }

    [Fact]
    public async Task Linter_PhoenixDockerfile_NoDiagnostics()
    {
        var run = await LintAsync(Repository.PathOf(DockerfilePath));

        Assert.True(run.Exit == 0 && run.Output.Trim().Length == 0 && run.Error.Trim().Length == 0, run.ToString());
    }

    [Fact]
    public async Task Linter_BrokenDockerfile_ReportsIt()
    {
        var broken = Path.Combine(Directory.CreateTempSubdirectory("phoenix-dockerfile-").FullName, "Dockerfile");
        await File.WriteAllTextAsync(broken, "FROM alpine\nMAINTAINER someone\nCMD a\nCMD b\n");
        try
        {
            var run = await LintAsync(broken);

            Assert.Contains("MAINTAINER has been deprecated", run.Output, StringComparison.Ordinal);
            Assert.Contains("only be one CMD", run.Output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(broken)!, recursive: true);
        }
    }

    private static Task<ProcessResult> LintAsync(string dockerfile) =>
        ChildProcess.RunAsync("node", [Path.Combine(NpmTool.Folder("dockerfile-utils"), "node_modules", "dockerfile-utils", "bin", "dockerfile-utils"), "lint", dockerfile]);
}
