using Phoenix.Aws.Protocol;
using Phoenix.Aws.StepFunctions;
using Phoenix.Aws.StepFunctions.Model;
using Phoenix.Aws.Tests.Support;
using Phoenix.Core;

namespace Phoenix.Aws.Tests;

/// <summary>
/// What reaches the workflow when a call fails after the SDK's own retries: transient faults (as AWSSDK.Core's retry
/// policy classifies them) become TransientFailure, which the state machine retries; everything else keeps its
/// typed exception; the caller's own cancellation stays a cancellation.
/// </summary>
public sealed class AwsCallTests
{
    public static TheoryData<int, string, bool> Errors() => new()
    {
        { 400, "ThrottlingException", true },
        { 400, "LimitExceededException", true },
        { 429, "SomethingNew", true },
        { 400, "RequestTimeout", true },
        { 500, "InternalFailure", true },
        { 502, "BadGateway", true },
        { 503, "ServiceUnavailable", true },
        { 504, "GatewayTimeout", true },
        { 501, "NotImplemented", false },
        { 400, "ValidationException", false },
        { 403, "AccessDeniedException", false },
    };

    [Theory]
    [MemberData(nameof(Errors))]
    public async Task RunAsync_ServiceError_TransientAsTheSdkClassifiesIt(int status, string code, bool transient)
    {
        using var server = new LoopbackServer(_ => CannedResponse.Json($"{{\"__type\":\"{code}\",\"message\":\"boom\"}}", status));
        using var client = TestClients.Factory(server).StepFunctions();

        var error = await Record.ExceptionAsync(() => AwsCallProbe.RunAsync(() => client.DescribeExecutionAsync(new DescribeExecutionRequest { ExecutionArn = "arn:e" })));

        if (transient)
        {
            Assert.Contains(code, Assert.IsType<TransientFailure>(error).Message, StringComparison.Ordinal);
        }
        else
        {
            Assert.Equal(code, Assert.IsType<AwsServiceException>(error, exactMatch: false).ErrorCode);
        }
    }

    [Fact]
    public async Task RunAsync_ServerNeverAnswers_HttpTimeoutIsTransientFailure()
    {
        using var server = new SilentServer();
        using var client = new AmazonStepFunctionsClient(
            TestClients.Credentials, TestClients.Config(AmazonStepFunctionsClient.Definition, server.Url, timeout: TimeSpan.FromMilliseconds(300)));

        var error = await Assert.ThrowsAsync<TransientFailure>(() =>
            AwsCallProbe.RunAsync(() => client.DescribeExecutionAsync(new DescribeExecutionRequest { ExecutionArn = "arn:e" }), CancellationToken.None));

        Assert.StartsWith("probe: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(Chain(error), e => e is TimeoutException);
    }

    [Fact]
    public async Task RunAsync_CallerCancels_StaysCancellation()
    {
        using var server = new SilentServer();
        using var client = new AmazonStepFunctionsClient(
            TestClients.Credentials, TestClients.Config(AmazonStepFunctionsClient.Definition, server.Url, timeout: TimeSpan.FromMinutes(5)));
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        var error = await Record.ExceptionAsync(() =>
            AwsCallProbe.RunAsync(() => client.DescribeExecutionAsync(new DescribeExecutionRequest { ExecutionArn = "arn:e" }, cancellation.Token), cancellation.Token));

        Assert.IsType<OperationCanceledException>(error, exactMatch: false);
    }

    private static IEnumerable<Exception> Chain(Exception? error)
    {
        for (; error is not null; error = error.InnerException)
        {
            yield return error;
        }
    }
}
