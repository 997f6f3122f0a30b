using System.Text.Json.Nodes;
using Phoenix.Asl;
using Phoenix.Core.Domain;
using Phoenix.Core.Workflow;

namespace Phoenix.Core.Tests.Workflow;

/// <summary>
/// Step Functions gives a retried waitForTaskToken task a new token (issue 11, item 9): the posted approval request names
/// the execution, the ledger holds the current token, and a retry posts nothing new.
/// </summary>
public class ApprovalTests
{
    [Fact]
    public async Task RequestApproval_Retried_PostsOnceAndStoresTheNewestToken()
    {
        var (h, request, plan, image) = await PlannedAsync();

        var first = await h.RunAsync<RequestApprovalInput, RequestApprovalOutput>(
            "RequestApproval", new RequestApprovalInput(plan, request, image, "token-1", h.Execution));
        var second = await h.RunAsync<RequestApprovalInput, RequestApprovalOutput>(
            "RequestApproval", new RequestApprovalInput(plan, request, image, "token-2", h.Execution));

        Assert.Equal((true, false), (first.Published, second.Published));
        var message = Assert.Single(h.Region.Published);
        Assert.DoesNotContain("token-1", message.Message, StringComparison.Ordinal);
        Assert.Contains($"phoenix approve {h.Execution.Id}", message.Message, StringComparison.Ordinal);
        Assert.Equal("token-2", Assert.Single(h.Region.LedgerEntries("web")).ApprovalToken);
    }

    [Fact]
    public async Task RequestApproval_NoLedgerEntry_ThrowsNamingTheDeployment()
    {
        var (h, request, plan, image) = await PlannedAsync(acquire: false);

        var error = await Assert.ThrowsAsync<InvalidStepInput>(() => h.RunAsync<RequestApprovalInput, RequestApprovalOutput>(
            "RequestApproval", new RequestApprovalInput(plan, request, image, "token-1", h.Execution)));

        Assert.Contains("'deploy-1'", error.Message, StringComparison.Ordinal);
        Assert.Empty(h.Region.Published);
    }

    [Fact]
    public async Task Engine_RequestApprovalRetried_OneMessageAndTheLedgerTokenAnswers()
    {
        var harness = new RegionHarness();
        var image = harness.RegisterImage();
        var answeredWith = new List<string>();

        // The first attempt posts and stores its token, then its Lambda response is lost: Step Functions retries with a
        // new token. The approver answers the way `phoenix approve EXECUTION_ARN` does: with the token the ledger holds.
        var (result, calls) = await WorkflowRunner.RunAsync(
            harness,
            $$$"""{"application":"web","imageId":"{{{image}}}","strategy":{"approval":true,"bakeTimeSeconds":0}}""",
            after: (step, number, _) => step == "RequestApproval" && number == 1
                ? throw new TaskFailedException("Lambda.ServiceException", "response lost")
                : Task.CompletedTask,
            answerApproval: (execution, _) =>
            {
                var token = harness.Region.LedgerEntries("web")[0].ApprovalToken!;
                answeredWith.Add(token);
                execution.SendTaskSuccess(token, new JsonObject { ["approvedBy"] = "alice" });
            });

        Assert.True(result.Status == ExecutionStatus.Succeeded, $"{result.Status}: {result.Error} {result.Cause}");
        Assert.Equal(2, calls.Count(c => c.Step == "RequestApproval"));
        var tokens = calls.Where(c => c.Step == "RequestApproval").Select(c => (string)c.Input!["taskToken"]!).ToList();
        Assert.NotEqual(tokens[0], tokens[1]);
        Assert.Equal(tokens[1], answeredWith[0]);
        Assert.Single(harness.Region.Published, m => m.Id == "approval");
        var entry = Assert.Single(harness.Region.LedgerEntries("web"));
        Assert.Equal((DeploymentResults.Deployed, (string?)null), (entry.Result, entry.ApprovalToken));
    }

    private static async Task<(RegionHarness H, DeploymentRequest Request, DeploymentPlan Plan, string Image)> PlannedAsync(bool acquire = true)
    {
        var h = new RegionHarness();
        var image = h.RegisterImage();
        var request = await h.ValidateAsync($$$"""{"application":"web","imageId":"{{{image}}}","strategy":{"approval":true}}""");
        var plan = await h.ResolveAsync(request);
        if (acquire)
        {
            await h.RunAsync<AcquireLockInput, AcquireLockOutput>("AcquireLock", new AcquireLockInput(request, h.Execution));
        }

        return (h, request, plan, image);
    }
}
