using System.Text.Json.Serialization.Metadata;
using Amazon.Runtime;
using Amazon.Runtime.Internal;

namespace Phoenix.Aws.Protocol;

/// <summary>
/// The one AmazonServiceClient subclass behind every service client here: AWSSDK.Core supplies credentials,
/// SigV4 signing, retries (throttling and 5xx) and the HTTP pipeline; the protocol classes supply the body.
/// </summary>
public abstract class AwsProtocolClient : AmazonServiceClient
{
    private readonly AwsServiceMetadata _metadata;

    protected AwsProtocolClient(AWSCredentials credentials, AwsServiceConfig config)
        : base(credentials, config)
    {
        ArgumentNullException.ThrowIfNull(config);
        _metadata = new AwsServiceMetadata(config.Service.ServiceId);
        Service = config.Service;
    }

    protected AwsService Service { get; }

    protected abstract IReadOnlyDictionary<string, ErrorFactory> Errors { get; }

    protected override IServiceMetadata ServiceMetadata => _metadata;

    protected override void CustomizeRuntimePipeline(RuntimePipeline pipeline)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        pipeline.RemoveHandler<EndpointResolver>();
        pipeline.AddHandlerAfter<Marshaller>(new AwsServiceEndpointResolver());
        pipeline.AddHandlerAfter<Marshaller>(new SigV4AuthResolverHandler());
    }

    /// <summary>AWS Query request (form parameters) with an XML response.</summary>
    protected Task<TResponse> InvokeQueryAsync<TRequest, TResponse>(
        string action, TRequest request, JsonTypeInfo<TRequest> requestType, JsonTypeInfo<TResponse> responseType, CancellationToken cancellationToken)
        where TRequest : AmazonWebServiceRequest
        where TResponse : AmazonWebServiceResponse, new()
    {
        var options = new InvokeOptions
        {
            RequestMarshaller = new QueryRequestMarshaller<TRequest>(Service, action, requestType),
            ResponseUnmarshaller = new QueryResponseUnmarshaller<TResponse>(action, responseType, Errors),
        };
        return InvokeAsync<TResponse>(request, options, cancellationToken);
    }

    /// <summary>awsJson 1.0/1.1 request (X-Amz-Target) with a JSON response.</summary>
    protected Task<TResponse> InvokeJsonAsync<TRequest, TResponse>(
        string operation, TRequest request, JsonTypeInfo<TRequest> requestType, JsonTypeInfo<TResponse> responseType, CancellationToken cancellationToken)
        where TRequest : AmazonWebServiceRequest
        where TResponse : AmazonWebServiceResponse, new()
    {
        var options = new InvokeOptions
        {
            RequestMarshaller = new JsonRequestMarshaller<TRequest>(Service, operation, requestType),
            ResponseUnmarshaller = new JsonResponseUnmarshaller<TResponse>(responseType, Errors),
        };
        return InvokeAsync<TResponse>(request, options, cancellationToken);
    }

    private sealed class AwsServiceMetadata(string serviceId) : IServiceMetadata
    {
        public string ServiceId => serviceId;

        public IDictionary<string, string> OperationNameMapping { get; } = new Dictionary<string, string>(0);
    }
}
