using System.CommandLine;
using System.Text.RegularExpressions;
using Amazon.Runtime;
using Phoenix.Aws;
using Phoenix.Aws.SecurityToken.Model;
using Phoenix.Core;

namespace Phoenix.Cli.Commands;

/// <summary>
/// What every command that talks to real AWS shares: <c>--region</c>, <c>--profile</c>, <c>--endpoint-url</c> on top
/// of the standard credential and region chain, ARN checks, and one translation of failures into a single line and
/// an exit code (2: the arguments or local AWS configuration are wrong, nothing was sent; 1: AWS said no or could
/// not be reached).
/// </summary>
public sealed partial class AwsCommandOptions
{
    public Option<string?> Region { get; } = CliOptions.Checked<string>(
        "--region",
        "REGION",
        "AWS region (default: AWS_REGION, AWS_DEFAULT_REGION, then the profile's region; an ARN argument's region wins over these).",
        "an AWS region (e.g. us-east-1)",
        value => AwsRegions.Find(value) is null ? (null, null) : (value, null));

    public Option<string?> Profile { get; } = CliOptions.Text("--profile", "PROFILE", "Named profile from the shared AWS config/credentials files (default: AWS_PROFILE).");

    public Option<string?> EndpointUrl { get; } = CliOptions.Checked<string>(
        "--endpoint-url",
        "URL",
        "Send every AWS call to this URL (LocalStack, a proxy); beats AWS_ENDPOINT_URL[_<SERVICE>] and the profile's endpoint_url/services.",
        "an http(s) URL (e.g. http://localhost:4566)",
        value => Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is ("http" or "https") ? (value, null) : (null, null));

    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Options.Add(Region);
        command.Options.Add(Profile);
        command.Options.Add(EndpointUrl);
    }

    /// <summary>
    /// The client settings for this invocation. <paramref name="arnRegion"/> is the region of the ARN the command is
    /// about: its calls go there (the resource lives nowhere else) unless <c>--region</c> says otherwise, which is
    /// refused; see <see cref="AwsClientSettings"/> for the rest of the order (AWS_REGION, AWS_DEFAULT_REGION, profile).
    /// </summary>
    public AwsClientSettings Settings(ParseResult parse, string? arnRegion = null)
    {
        ArgumentNullException.ThrowIfNull(parse);
        // Both were checked while parsing (CliOptions.Checked): a bad one never gets here.
        var endpoint = parse.GetValue(EndpointUrl);
        var region = parse.GetValue(Region);
        return new AwsClientSettings(Region: region, Profile: parse.GetValue(Profile), EndpointUrl: endpoint, ResourceRegion: arnRegion);
    }

    /// <summary>
    /// Who is calling: the AWS identity that signs the calls (what CloudTrail records, not the local account name), for the
    /// ledger and chat. sts:GetCallerIdentity needs no IAM permission.
    /// </summary>
    public static async Task<string> CallerAsync(AwsClientFactory factory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(factory);
        using var sts = factory.SecurityTokenService();
        return (await sts.GetCallerIdentityAsync(new GetCallerIdentityRequest(), cancellationToken)).Arn
            ?? throw new InvalidOperationException("sts:GetCallerIdentity returned no Arn.");
    }

    /// <summary>True when <paramref name="value"/> is a state machine ARN; <paramref name="region"/> is its region.</summary>
    public static bool TryParseStateMachineArn(string value, out string region) => TryParse(value, execution: false, out region);

    /// <summary>True when <paramref name="value"/> is a (standard or express) execution ARN; <paramref name="region"/> is its region.</summary>
    public static bool TryParseExecutionArn(string value, out string region) => TryParse(value, execution: true, out region);

    private static bool TryParse(string value, bool execution, out string region)
    {
        ArgumentNullException.ThrowIfNull(value);
        var match = StatesArn().Match(value);
        region = match.Success ? match.Groups["region"].Value : string.Empty;
        return match.Success && (match.Groups["kind"].Value != "stateMachine") == execution && match.Groups["execution"].Success == execution;
    }

    /// <summary>Runs one command body, turning every failure into one line on stderr naming what was wrong.</summary>
    public static async Task<int> RunAsync(string command, TextWriter error, Func<Task<int>> body)
    {
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(body);
        try
        {
            return await body();
        }
        catch (Exception ex) when (ex is AwsConfigurationException or Phoenix.Core.Discovery.EnvironmentNotFound)
        {
            await error.WriteLineAsync($"phoenix {command}: {ex.Message}");
            return ExitCodes.BadInput;
        }
        catch (AmazonUnmarshallingException ex)
        {
            await error.WriteLineAsync($"phoenix {command}: could not read AWS's response (is --endpoint-url an AWS endpoint?): {ex.InnerException?.Message ?? ex.Message}");
            return ExitCodes.Failed;
        }
        catch (AmazonServiceException ex)
        {
            await error.WriteLineAsync($"phoenix {command}: AWS refused the request: {ex.ErrorCode ?? ex.StatusCode.ToString()}: {ex.Message}");
            return ExitCodes.Failed;
        }
        catch (TransientFailure ex)
        {
            await error.WriteLineAsync($"phoenix {command}: AWS is throttling or unavailable, try again: {ex.Message}");
            return ExitCodes.Failed;
        }
        catch (Exception ex) when (ex is AmazonClientException or HttpRequestException or IOException)
        {
            await error.WriteLineAsync($"phoenix {command}: could not complete the AWS call: {ex.Message}");
            return ExitCodes.Failed;
        }
    }

    [GeneratedRegex(@"^arn:aws(-[a-z]+)*:states:(?<region>[a-z0-9-]+):\d{12}:(?<kind>stateMachine|execution|express):[A-Za-z0-9_.-]{1,80}(:(?<execution>[^:\s]{1,80}))?(:[^:\s]{1,80})?$")]
    private static partial Regex StatesArn();
}
