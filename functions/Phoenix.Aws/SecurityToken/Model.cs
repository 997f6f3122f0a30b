using Amazon.Runtime;

namespace Phoenix.Aws.SecurityToken.Model;

public sealed class GetCallerIdentityRequest : AmazonWebServiceRequest;

public sealed class GetCallerIdentityResponse : AmazonWebServiceResponse
{
    public string? UserId { get; set; }

    public string? Account { get; set; }

    public string? Arn { get; set; }
}
