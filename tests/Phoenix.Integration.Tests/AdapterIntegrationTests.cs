using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using Phoenix.Aws.Adapters;
using Phoenix.Aws.CloudWatch.Model;
using Phoenix.Aws.StepFunctions;
using Phoenix.Aws.StepFunctions.Model;
using Phoenix.Core.Ports;

namespace Phoenix.Integration.Tests;

/// <summary>The adapters against LocalStack: real DynamoDB conditional writes, SSM, CloudWatch and Step Functions error shapes.</summary>
public sealed class AdapterIntegrationTests(LocalStackFixture localStack) : IClassFixture<LocalStackFixture>
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [DockerFact]
    public async Task TryAcquireAsync_TwoExecutionsRacing_ExactlyOneHoldsTheLock()
    {
        using var dynamo = localStack.Factory.DynamoDb();
        var locks = new DeploymentLockAdapter(dynamo, LocalStackFixture.Table, TimeProvider.System);
        var expires = DateTimeOffset.UtcNow.AddHours(1);

        var attempts = await Task.WhenAll(
            locks.TryAcquireAsync("race", "arn:execution:a", expires, CancellationToken.None),
            locks.TryAcquireAsync("race", "arn:execution:b", expires, CancellationToken.None));

        var winner = Assert.Single(attempts, a => a.Acquired);
        var loser = Assert.Single(attempts, a => !a.Acquired);
        Assert.Equal(winner.Holder.Owner, loser.Holder.Owner);
        Assert.False(await locks.ReleaseAsync("race", loser == attempts[0] ? "arn:execution:a" : "arn:execution:b", CancellationToken.None));
        Assert.True(await locks.ReleaseAsync("race", winner.Holder.Owner, CancellationToken.None));
        Assert.Null(await locks.GetAsync("race", CancellationToken.None));
    }

    [DockerFact]
    public async Task TryAcquireAsync_ExpiredLock_IsTakenOver()
    {
        using var dynamo = localStack.Factory.DynamoDb();
        var locks = new DeploymentLockAdapter(dynamo, LocalStackFixture.Table, TimeProvider.System);
        await locks.TryAcquireAsync("stale", "arn:execution:old", DateTimeOffset.UtcNow.AddSeconds(-5), CancellationToken.None);

        var attempt = await locks.TryAcquireAsync("stale", "arn:execution:new", DateTimeOffset.UtcNow.AddHours(1), CancellationToken.None);

        Assert.True(attempt.Acquired);
        Assert.Equal("arn:execution:new", (await locks.GetAsync("stale", CancellationToken.None))!.Owner);
    }

    [DockerFact]
    public async Task ListAsync_LedgerRecords_NewestFirstAndGetById()
    {
        using var dynamo = localStack.Factory.DynamoDb();
        var ledger = new DeploymentLedgerAdapter(dynamo, LocalStackFixture.Table);
        for (var i = 0; i < 3; i++)
        {
            await ledger.PutAsync(
                new DeploymentRecord("ledger", $"exec-{i}", "SUCCEEDED", $"ami-{i}", null, "green", "abc", "repo", "cli", "alice", Now.AddHours(i), Now.AddHours(i).AddMinutes(10)),
                CancellationToken.None);
        }

        var newest = await ledger.ListAsync("ledger", 2, CancellationToken.None);

        Assert.Equal(["exec-2", "exec-1"], newest.Select(r => r.DeploymentId));
        Assert.Equal(Now.AddHours(1), (await ledger.GetAsync("ledger", "exec-1", CancellationToken.None))!.StartedAt);
    }

    [DockerFact]
    public async Task GetAsync_TopologyParameter_ReadsItAndNullWhenMissing()
    {
        using var ssm = localStack.Factory.SimpleSystemsManagement();
        await ssm.PutParameterAsync(new PutParameterRequest
        {
            Name = "/phoenix/apps/shop/topology",
            Type = ParameterType.String,
            Overwrite = true,
            Value = "{\"application\":\"shop\",\"blue\":{\"autoScalingGroupName\":\"shop-blue\",\"targetGroupArn\":\"tg-b\",\"launchTemplateId\":\"lt-b\"}," +
                    "\"green\":{\"autoScalingGroupName\":\"shop-green\",\"targetGroupArn\":\"tg-g\",\"launchTemplateId\":\"lt-g\"},\"listenerArn\":\"l\",\"alarmNames\":[\"shop-5xx\"]}",
        });
        var store = new ParameterStoreAdapter(ssm);

        var topology = await store.GetAsync("shop", CancellationToken.None);

        Assert.Equal(("shop-green", "l"), (topology!.Green.AutoScalingGroupName, topology.ListenerArn));
        Assert.Null(await store.GetAsync("nobody", CancellationToken.None));
    }

    [DockerFact]
    public async Task DescribeAlarmsAsync_NoSuchAlarms_EmptyLists()
    {
        using var cloudWatch = localStack.Factory.CloudWatch();

        var response = await cloudWatch.DescribeAlarmsAsync(new DescribeAlarmsRequest { AlarmNames = ["phoenix-none"] });

        Assert.Empty(response.MetricAlarms ?? []);
    }

    [DockerFact]
    public async Task DescribeExecutionAsync_UnknownExecution_TypedError()
    {
        using var stepFunctions = localStack.Factory.StepFunctions();

        await Assert.ThrowsAsync<ExecutionDoesNotExistException>(() => stepFunctions.DescribeExecutionAsync(
            new DescribeExecutionRequest { ExecutionArn = "arn:aws:states:us-east-1:000000000000:execution:phoenix:none" }));
    }
}
