using Amazon.Runtime;
using Phoenix.Aws.Protocol;

namespace Phoenix.Aws.Tests.Support;

public static class TestClients
{
    /// <summary>Fixed credentials and region, pointed at a loopback server, so nothing reaches AWS or the instance metadata service.</summary>
    public static AwsClientFactory Factory(LoopbackServer server, int maxErrorRetry = 0) =>
        new(new AwsClientSettings(
            Region: "us-east-1",
            EndpointUrl: server.Url,
            Credentials: Credentials,
            MaxErrorRetry: maxErrorRetry));

    /// <summary>
    /// One service's configuration pointed at <paramref name="url"/>, for what <see cref="AwsClientSettings"/> does not
    /// carry (an HTTP timeout).
    /// </summary>
    public static AwsServiceConfig Config(AwsService service, string url, TimeSpan? timeout = null) =>
        new(service) { ServiceURL = url, AuthenticationRegion = "us-east-1", MaxErrorRetry = 0, Timeout = timeout };

    public static BasicAWSCredentials Credentials { get; } = new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");

    /// <summary>An empty but well-formed success for whatever operation arrives (Query XML or awsJson).</summary>
    public static CannedResponse EmptySuccess(RecordedRequest request)
    {
        if (request.Header("X-Amz-Target") is not null)
        {
            return CannedResponse.Json("{}");
        }

        var action = System.Web.HttpUtility.ParseQueryString(request.Body)["Action"];
        return CannedResponse.Xml($"<{action}Response><{action}Result/><ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></{action}Response>");
    }
}
