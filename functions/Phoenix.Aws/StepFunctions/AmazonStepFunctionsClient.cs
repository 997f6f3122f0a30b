using System.Text.Json.Serialization;
using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Phoenix.Aws.Protocol;
using Phoenix.Aws.StepFunctions.Model;

namespace Phoenix.Aws.StepFunctions;

/// <summary>AWS Step Functions (awsJson 1.0): starting, observing and answering deployments.</summary>
public sealed class AmazonStepFunctionsClient(AWSCredentials credentials, AwsServiceConfig config) : AwsProtocolClient(credentials, config)
{
    public static readonly AwsService Definition = new("SFN", "states", "states", "2016-11-23", "1.0", "AWSStepFunctions");

    private static readonly Dictionary<string, ErrorFactory> ErrorCodes = new(StringComparer.Ordinal)
    {
        ["ExecutionDoesNotExist"] = e => new ExecutionDoesNotExistException(e),
        ["ExecutionAlreadyExists"] = e => new ExecutionAlreadyExistsException(e),
        ["StateMachineDoesNotExist"] = e => new StateMachineDoesNotExistException(e),
        ["InvalidArn"] = e => new InvalidArnException(e),
        ["InvalidName"] = e => new InvalidNameException(e),
        ["InvalidExecutionInput"] = e => new InvalidExecutionInputException(e),
        ["InvalidToken"] = e => new InvalidTokenException(e),
        ["TaskDoesNotExist"] = e => new TaskDoesNotExistException(e),
        ["TaskTimedOut"] = e => new TaskTimedOutException(e),
        ["InvalidOutput"] = e => new InvalidOutputException(e),
    };

    private static StepFunctionsJsonContext Json => StepFunctionsJsonContext.Default;

    protected override IReadOnlyDictionary<string, ErrorFactory> Errors => ErrorCodes;

    public Task<StartExecutionResponse> StartExecutionAsync(StartExecutionRequest request, CancellationToken cancellationToken = default) =>
        InvokeJsonAsync("StartExecution", request, Json.StartExecutionRequest, Json.StartExecutionResponse, cancellationToken);

    public Task<DescribeExecutionResponse> DescribeExecutionAsync(DescribeExecutionRequest request, CancellationToken cancellationToken = default) =>
        InvokeJsonAsync("DescribeExecution", request, Json.DescribeExecutionRequest, Json.DescribeExecutionResponse, cancellationToken);

    public Task<GetExecutionHistoryResponse> GetExecutionHistoryAsync(GetExecutionHistoryRequest request, CancellationToken cancellationToken = default) =>
        InvokeJsonAsync("GetExecutionHistory", request, Json.GetExecutionHistoryRequest, Json.GetExecutionHistoryResponse, cancellationToken);

    public Task<ListExecutionsResponse> ListExecutionsAsync(ListExecutionsRequest request, CancellationToken cancellationToken = default) =>
        InvokeJsonAsync("ListExecutions", request, Json.ListExecutionsRequest, Json.ListExecutionsResponse, cancellationToken);

    public Task<SendTaskSuccessResponse> SendTaskSuccessAsync(SendTaskSuccessRequest request, CancellationToken cancellationToken = default) =>
        InvokeJsonAsync("SendTaskSuccess", request, Json.SendTaskSuccessRequest, Json.SendTaskSuccessResponse, cancellationToken);

    public Task<SendTaskFailureResponse> SendTaskFailureAsync(SendTaskFailureRequest request, CancellationToken cancellationToken = default) =>
        InvokeJsonAsync("SendTaskFailure", request, Json.SendTaskFailureRequest, Json.SendTaskFailureResponse, cancellationToken);

    public Task<DescribeStateMachineResponse> DescribeStateMachineAsync(DescribeStateMachineRequest request, CancellationToken cancellationToken = default) =>
        InvokeJsonAsync("DescribeStateMachine", request, Json.DescribeStateMachineRequest, Json.DescribeStateMachineResponse, cancellationToken);

    public Task<StopExecutionResponse> StopExecutionAsync(StopExecutionRequest request, CancellationToken cancellationToken = default) =>
        InvokeJsonAsync("StopExecution", request, Json.StopExecutionRequest, Json.StopExecutionResponse, cancellationToken);
}

public sealed class ExecutionDoesNotExistException(ErrorResponse error) : AwsServiceException(error);

public sealed class ExecutionAlreadyExistsException(ErrorResponse error) : AwsServiceException(error);

public sealed class StateMachineDoesNotExistException(ErrorResponse error) : AwsServiceException(error);

public sealed class InvalidArnException(ErrorResponse error) : AwsServiceException(error);

public sealed class InvalidNameException(ErrorResponse error) : AwsServiceException(error);

public sealed class InvalidExecutionInputException(ErrorResponse error) : AwsServiceException(error);

public sealed class InvalidTokenException(ErrorResponse error) : AwsServiceException(error);

public sealed class TaskDoesNotExistException(ErrorResponse error) : AwsServiceException(error);

public sealed class TaskTimedOutException(ErrorResponse error) : AwsServiceException(error);

public sealed class InvalidOutputException(ErrorResponse error) : AwsServiceException(error);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(EpochSecondsConverter)])]
[JsonSerializable(typeof(StartExecutionRequest))]
[JsonSerializable(typeof(StartExecutionResponse))]
[JsonSerializable(typeof(DescribeExecutionRequest))]
[JsonSerializable(typeof(DescribeExecutionResponse))]
[JsonSerializable(typeof(GetExecutionHistoryRequest))]
[JsonSerializable(typeof(GetExecutionHistoryResponse))]
[JsonSerializable(typeof(ListExecutionsRequest))]
[JsonSerializable(typeof(ListExecutionsResponse))]
[JsonSerializable(typeof(SendTaskSuccessRequest))]
[JsonSerializable(typeof(SendTaskSuccessResponse))]
[JsonSerializable(typeof(SendTaskFailureRequest))]
[JsonSerializable(typeof(SendTaskFailureResponse))]
[JsonSerializable(typeof(StopExecutionRequest))]
[JsonSerializable(typeof(StopExecutionResponse))]
[JsonSerializable(typeof(DescribeStateMachineRequest))]
[JsonSerializable(typeof(DescribeStateMachineResponse))]
internal sealed partial class StepFunctionsJsonContext : JsonSerializerContext;
