using Amazon.Runtime;

namespace Phoenix.Aws.CloudFormation.Model;

public sealed class DescribeStacksRequest : AmazonWebServiceRequest
{
    /// <summary>A stack's name or id; without it, every stack of the account in the region (paged by NextToken).</summary>
    public string? StackName { get; set; }

    public string? NextToken { get; set; }
}

public sealed class DescribeStacksResponse : AmazonWebServiceResponse
{
    public List<Stack>? Stacks { get; set; }

    public string? NextToken { get; set; }
}

[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "The official SDK's name for the shape (Amazon.CloudFormation.Model.Stack), kept so a swap to it is mechanical.")]
public sealed class Stack
{
    public string? StackId { get; set; }

    public string? StackName { get; set; }

    /// <summary>CREATE_COMPLETE, UPDATE_ROLLBACK_COMPLETE, ROLLBACK_IN_PROGRESS, …</summary>
    public string? StackStatus { get; set; }

    public string? StackStatusReason { get; set; }

    public DateTime? CreationTime { get; set; }

    public DateTime? LastUpdatedTime { get; set; }

    public List<Output>? Outputs { get; set; }
}

public sealed class Output
{
    public string? OutputKey { get; set; }

    public string? OutputValue { get; set; }

    public string? Description { get; set; }

    public string? ExportName { get; set; }
}
