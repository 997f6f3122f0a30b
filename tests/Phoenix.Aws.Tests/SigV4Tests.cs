using System.Text;
using System.Text.Json;
using Amazon;
using Amazon.Runtime.Internal.Auth;
using Phoenix.Aws.AutoScaling;
using Phoenix.Aws.AutoScaling.Model;
using Phoenix.Aws.Protocol;

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
}
