using System.Text;
using System.Text.Json;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Internal.Auth;
using Phoenix.Aws.AutoScaling;
using Phoenix.Aws.AutoScaling.Model;
using Phoenix.Aws.Protocol;
using Phoenix.Aws.SecurityToken.Model;
using Phoenix.Aws.StepFunctions.Model;
using Phoenix.Aws.Tests.Support;

namespace Phoenix.Aws.Tests;

public sealed class SigV4Tests
{
    /// <summary>
    /// Fixtures/sigv4.json holds the Authorization header the official JS signer (@smithy/signature-v4) produced for
    /// this request with fixed credentials and time; AWSSDK.Core signing the request our marshaller built must agree.
    /// </summary>
    [Fact]
    public async Task SignRequest_FixedCredentialsAndTime_MatchesOfficialJsSigner()
    {
        using var fixture = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Fixtures", "sigv4.json")));
        var root = fixture.RootElement;
        var body = root.GetProperty("body").GetString()!;
        var config = new AwsServiceConfig(AmazonAutoScalingClient.Definition) { RegionEndpoint = RegionEndpoint.USEast1 };
        var marshaller = new QueryRequestMarshaller<DescribeAutoScalingGroupsRequest>(
            AmazonAutoScalingClient.Definition, "DescribeAutoScalingGroups", AutoScalingJsonContext.Default.DescribeAutoScalingGroupsRequest);
        var request = marshaller.Marshall(new DescribeAutoScalingGroupsRequest { AutoScalingGroupNames = ["web-blue"] });
        Assert.Equal(
            body.Split('&').Order(StringComparer.Ordinal),
            request.Parameters.Select(p => $"{p.Key}={p.Value}").Order(StringComparer.Ordinal));
        request.Content = Encoding.UTF8.GetBytes(body);
        request.Headers["Content-Type"] = "application/x-www-form-urlencoded; charset=utf-8";
        request.Endpoint = new Uri("https://autoscaling.us-east-1.amazonaws.com");

        var signed = new AWS4Signer().SignRequest(
            request,
            config,
            null,
            root.GetProperty("accessKeyId").GetString(),
            root.GetProperty("secretAccessKey").GetString(),
            DateTime.Parse(root.GetProperty("signingDate").GetString()!, System.Globalization.CultureInfo.InvariantCulture).ToUniversalTime());

        Assert.Equal(root.GetProperty("headers").GetProperty("authorization").GetString(), signed.ForAuthorizationHeader);
    }

    /// <summary>Fixtures/sigv4-session.json: the official JS signer with session credentials; the independent verifier must agree.</summary>
    [Fact]
    public async Task Verifier_OfficialJsSignatureWithSessionToken_Reproduced()
    {
        using var fixture = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Fixtures", "sigv4-session.json")));
        var root = fixture.RootElement;
        var headers = root.GetProperty("headers").EnumerateObject().ToDictionary(h => h.Name, h => h.Value.GetString()!, StringComparer.OrdinalIgnoreCase);
        var authorization = SigV4Verifier.Parse(headers["authorization"]);

        var signature = SigV4Verifier.Sign(
            root.GetProperty("method").GetString()!, root.GetProperty("path").GetString()!, headers, root.GetProperty("body").GetString()!, authorization,
            root.GetProperty("secretAccessKey").GetString()!);

        Assert.Contains("x-amz-security-token", authorization.SignedHeaders);
        Assert.Equal(authorization.Signature, signature);
    }

    public static TheoryData<string> Services() => ["StepFunctions", "SecurityToken"];

    /// <summary>
    /// Temporary credentials through the whole client pipeline (credential resolution, auth scheme, signer, HTTP):
    /// the token travels in X-Amz-Security-Token, is among the signed headers as the official SDKs sign it, and the
    /// signature verifies against what the server received.
    /// </summary>
    [Theory]
    [MemberData(nameof(Services))]
    public async Task SendAsync_SessionCredentials_SecurityTokenSentAndSigned(string service)
    {
        const string Secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
        const string Token = "IQoJb3JpZ2luX2VjEXAMPLESESSIONTOKEN//////////wEaCXVzLWVhc3QtMSJHMEUCIQ==";
        using var server = new LoopbackServer(TestClients.EmptySuccess);
        var factory = new AwsClientFactory(new AwsClientSettings(
            Region: "eu-west-1", EndpointUrl: server.Url, Credentials: new SessionAWSCredentials("ASIAEXAMPLE", Secret, Token), MaxErrorRetry: 0));

        string signingName;
        if (service == "StepFunctions")
        {
            using var client = factory.StepFunctions();
            await client.DescribeExecutionAsync(new DescribeExecutionRequest { ExecutionArn = "arn:aws:states:eu-west-1:123456789012:execution:m:e" });
            signingName = "states";
        }
        else
        {
            using var client = factory.SecurityTokenService();
            await client.GetCallerIdentityAsync(new GetCallerIdentityRequest());
            signingName = "sts";
        }

        var request = Assert.Single(server.Requests);
        Assert.Equal(Token, request.Header("X-Amz-Security-Token"));
        var authorization = SigV4Verifier.Parse(request.Header("Authorization")!);
        Assert.Equal(("ASIAEXAMPLE", "eu-west-1", signingName), (authorization.AccessKeyId, authorization.Region, authorization.Service));
        Assert.Contains("x-amz-security-token", authorization.SignedHeaders);
        Assert.Contains("host", authorization.SignedHeaders);
        Assert.Contains("x-amz-date", authorization.SignedHeaders);
        Assert.Equal(SigV4Verifier.Sign(request.Method, request.Path, request.Headers, request.Body, authorization, Secret), authorization.Signature);
    }
}
