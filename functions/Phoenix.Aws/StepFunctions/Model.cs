using Amazon.Runtime;

namespace Phoenix.Aws.StepFunctions.Model;

public sealed class StartExecutionRequest : AmazonWebServiceRequest
{
    public string? StateMachineArn { get; set; }

    public string? Name { get; set; }

    public string? Input { get; set; }

    public string? TraceHeader { get; set; }
}

public sealed class StartExecutionResponse : AmazonWebServiceResponse
{
    public string? ExecutionArn { get; set; }

    public DateTime? StartDate { get; set; }
}

public sealed class DescribeExecutionRequest : AmazonWebServiceRequest
{
    public string? ExecutionArn { get; set; }
}

public sealed class DescribeExecutionResponse : AmazonWebServiceResponse
{
    public string? ExecutionArn { get; set; }

    public string? StateMachineArn { get; set; }

    public string? Name { get; set; }

    /// <summary>RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED, PENDING_REDRIVE.</summary>
    public string? Status { get; set; }

    public DateTime? StartDate { get; set; }

    public DateTime? StopDate { get; set; }

    public string? Input { get; set; }

    public string? Output { get; set; }

    public string? Error { get; set; }

    public string? Cause { get; set; }
}

public sealed class GetExecutionHistoryRequest : AmazonWebServiceRequest
{
    public string? ExecutionArn { get; set; }

    public int? MaxResults { get; set; }

    public bool? ReverseOrder { get; set; }

    public string? NextToken { get; set; }

    public bool? IncludeExecutionData { get; set; }
}

public sealed class GetExecutionHistoryResponse : AmazonWebServiceResponse
{
    public List<HistoryEvent>? Events { get; set; }

    public string? NextToken { get; set; }
}

/// <summary>One history event; only the detail members Phoenix renders are modelled.</summary>
public sealed class HistoryEvent
{
    public DateTime? Timestamp { get; set; }

    public string? Type { get; set; }

    public long? Id { get; set; }

    public long? PreviousEventId { get; set; }

    public ExecutionStartedEventDetails? ExecutionStartedEventDetails { get; set; }

    public ExecutionSucceededEventDetails? ExecutionSucceededEventDetails { get; set; }

    public ExecutionFailedEventDetails? ExecutionFailedEventDetails { get; set; }

    public ExecutionFailedEventDetails? ExecutionAbortedEventDetails { get; set; }

    public ExecutionFailedEventDetails? ExecutionTimedOutEventDetails { get; set; }

    public StateEnteredEventDetails? StateEnteredEventDetails { get; set; }

    public StateExitedEventDetails? StateExitedEventDetails { get; set; }

    public TaskFailedEventDetails? TaskFailedEventDetails { get; set; }

    public TaskFailedEventDetails? TaskTimedOutEventDetails { get; set; }

    public ExecutionFailedEventDetails? LambdaFunctionFailedEventDetails { get; set; }

    public ExecutionFailedEventDetails? LambdaFunctionTimedOutEventDetails { get; set; }
}

public sealed class ExecutionStartedEventDetails
{
    public string? Input { get; set; }

    public string? RoleArn { get; set; }
}

public sealed class ExecutionSucceededEventDetails
{
    public string? Output { get; set; }
}

/// <summary>Error and cause, the shape shared by the failed, aborted and timed-out execution and Lambda events.</summary>
public sealed class ExecutionFailedEventDetails
{
    public string? Error { get; set; }

    public string? Cause { get; set; }
}

public sealed class StateEnteredEventDetails
{
    public string? Name { get; set; }

    public string? Input { get; set; }
}

public sealed class StateExitedEventDetails
{
    public string? Name { get; set; }

    public string? Output { get; set; }
}

public sealed class TaskFailedEventDetails
{
    public string? ResourceType { get; set; }

    public string? Resource { get; set; }

    public string? Error { get; set; }

    public string? Cause { get; set; }
}

public sealed class ListExecutionsRequest : AmazonWebServiceRequest
{
    public string? StateMachineArn { get; set; }

    public string? StatusFilter { get; set; }

    public int? MaxResults { get; set; }

    public string? NextToken { get; set; }
}

public sealed class ListExecutionsResponse : AmazonWebServiceResponse
{
    public List<ExecutionListItem>? Executions { get; set; }

    public string? NextToken { get; set; }
}

public sealed class ExecutionListItem
{
    public string? ExecutionArn { get; set; }

    public string? StateMachineArn { get; set; }

    public string? Name { get; set; }

    public string? Status { get; set; }

    public DateTime? StartDate { get; set; }

    public DateTime? StopDate { get; set; }
}

public sealed class SendTaskSuccessRequest : AmazonWebServiceRequest
{
    public string? TaskToken { get; set; }

    public string? Output { get; set; }
}

public sealed class SendTaskSuccessResponse : AmazonWebServiceResponse;

public sealed class SendTaskFailureRequest : AmazonWebServiceRequest
{
    public string? TaskToken { get; set; }

    public string? Error { get; set; }

    public string? Cause { get; set; }
}

public sealed class SendTaskFailureResponse : AmazonWebServiceResponse;

public sealed class StopExecutionRequest : AmazonWebServiceRequest
{
    public string? ExecutionArn { get; set; }

    public string? Error { get; set; }

    public string? Cause { get; set; }
}

public sealed class StopExecutionResponse : AmazonWebServiceResponse
{
    public DateTime? StopDate { get; set; }
}

public sealed class DescribeStateMachineRequest : AmazonWebServiceRequest
{
    public string? StateMachineArn { get; set; }
}

/// <summary>The members <c>phoenix doctor</c> reads; the definition and role are left out.</summary>
public sealed class DescribeStateMachineResponse : AmazonWebServiceResponse
{
    public string? StateMachineArn { get; set; }

    public string? Name { get; set; }

    /// <summary>ACTIVE or DELETING.</summary>
    public string? Status { get; set; }

    /// <summary>STANDARD or EXPRESS.</summary>
    public string? Type { get; set; }

    public DateTime? CreationDate { get; set; }
}
