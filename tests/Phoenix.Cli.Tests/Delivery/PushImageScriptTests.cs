using Phoenix.Cli.Tests.Delivery.Support;

namespace Phoenix.Cli.Tests.Delivery;

/// <summary>
/// .github/scripts/push-image.sh with stand-ins for docker and the aws CLI on PATH that record every call: a tag is
/// never overwritten, an ECR repository must be IMMUTABLE, and a fresh commit is built with its OCI labels and pushed.
/// </summary>
public sealed class PushImageScriptTests : IDisposable
{
    private const string Sha = "0123456789abcdef0123456789abcdef01234567";
    private const string Ecr = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/phoenix";

    private readonly DirectoryInfo _bin = Directory.CreateTempSubdirectory("phoenix-push-image-");

    public PushImageScriptTests()
    {
        // Each stand-in appends its arguments to calls.log and answers from FAKE_* variables.
        Fake("docker", """
            echo "docker $*" >>"$CALLS"
            case "$1 $2" in
              "manifest inspect") [ "${FAKE_TAG_EXISTS:-false}" = true ] && exit 0; echo "no such manifest" >&2; exit 1 ;;
              "login "*) cat >/dev/null ;;
            esac
            """);
        Fake("aws", """
            echo "aws $*" >>"$CALLS"
            case "$1 $2" in
              "ecr describe-repositories") echo "${FAKE_MUTABILITY:-IMMUTABLE}" ;;
              "ecr get-login-password") echo secret-password ;;
            esac
            """);
    }

    private string CallsFile => Path.Combine(_bin.FullName, "calls.log");

    private string[] Calls => File.Exists(CallsFile) ? File.ReadAllLines(CallsFile) : [];

    public void Dispose() => _bin.Delete(recursive: true);

    [Fact]
    public async Task Push_FreshCommitToImmutableEcr_BuildsWithLabelsAndPushesTheShaTag()
    {
        var run = await PushAsync(Ecr, Sha);

        Assert.True(run.Exit == 0, run.ToString());
        Assert.Equal($"aws ecr describe-repositories --region eu-west-1 --repository-names phoenix --query repositories[0].imageTagMutability --output text", Calls[0]);
        // The two ends of one pipe run at once, so either may log first.
        Assert.Equal(
            ["aws ecr get-login-password --region eu-west-1", "docker login --username AWS --password-stdin 123456789012.dkr.ecr.eu-west-1.amazonaws.com"],
            Calls[1..3].Order(StringComparer.Ordinal));
        Assert.Equal($"docker manifest inspect {Ecr}:{Sha}", Calls[3]);
        Assert.Equal(
            $"docker build -f functions/Phoenix.Cli/Dockerfile --build-arg VERSION=main-42 --build-arg REVISION={Sha} --build-arg SOURCE=https://github.com/acme/phoenix -t {Ecr}:{Sha} .",
            Calls[4]);
        Assert.Equal($"docker push {Ecr}:{Sha}", Calls[5]);
        Assert.Equal(6, Calls.Length);
    }

    [Fact]
    public async Task Push_TagAlreadyExists_FailsWithoutBuildingOrPushing()
    {
        var run = await PushAsync("ghcr.io/acme/phoenix", Sha, ("FAKE_TAG_EXISTS", "true"));

        Assert.Equal(1, run.Exit);
        Assert.Contains($"ghcr.io/acme/phoenix:{Sha} already exists; tags are immutable, nothing was pushed.", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(Calls, c => c.StartsWith("docker build", StringComparison.Ordinal) || c.StartsWith("docker push", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Push_MutableEcrRepository_RefusedBeforeAnyDockerCall()
    {
        var run = await PushAsync(Ecr, Sha, ("FAKE_MUTABILITY", "MUTABLE"));

        Assert.Equal(1, run.Exit);
        Assert.Contains("ECR repository 'phoenix' has tag mutability 'MUTABLE': set it to IMMUTABLE", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(Calls, c => c.StartsWith("docker", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("ghcr.io/acme/phoenix:latest", Sha, "IMAGE_REPOSITORY 'ghcr.io/acme/phoenix:latest' must be registry/name without a tag or digest")]
    [InlineData("", Sha, "IMAGE_REPOSITORY is required")]
    [InlineData("ghcr.io/acme/phoenix", "latest", "IMAGE_TAG 'latest' is not a commit SHA")]
    [InlineData("ghcr.io/acme/phoenix", "", "IMAGE_TAG '' is not a commit SHA")]
    public async Task Push_BadRepositoryOrTag_RefusedNamingTheValue(string repository, string tag, string message)
    {
        var run = await PushAsync(repository, tag);

        Assert.Equal(1, run.Exit);
        Assert.Contains("push-image: " + message, run.Error, StringComparison.Ordinal);
        Assert.Empty(Calls);
    }

    [Fact]
    public async Task Push_RegistryWithPort_Accepted()
    {
        var run = await PushAsync("localhost:5000/phoenix", Sha);

        Assert.True(run.Exit == 0, run.ToString());
        Assert.Contains($"docker push localhost:5000/phoenix:{Sha}", Calls);
    }

    private void Fake(string name, string body)
    {
        var path = Path.Combine(_bin.FullName, name);
        File.WriteAllText(path, "#!/usr/bin/env bash\n" + body + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    private Task<ProcessResult> PushAsync(string repository, string tag, params (string Name, string Value)[] extra)
    {
        var environment = new Dictionary<string, string?>
        {
            ["PATH"] = _bin.FullName + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH"),
            ["CALLS"] = CallsFile,
            ["IMAGE_REPOSITORY"] = repository,
            ["IMAGE_TAG"] = tag,
            ["IMAGE_VERSION"] = "main-42",
            ["IMAGE_SOURCE"] = "https://github.com/acme/phoenix",
        };
        foreach (var (name, value) in extra)
        {
            environment[name] = value;
        }

        return ChildProcess.RunAsync("bash", [Repository.PathOf(".github/scripts/push-image.sh")], environment);
    }
}
