using System.Globalization;
using Phoenix.Aws.Adapters;
using Phoenix.Aws.CloudWatch;
using Phoenix.Aws.Protocol;
using Phoenix.Emulator.Tests.Provisioning;
using Phoenix.Emulator.Tests.Support;
using Xunit.Abstractions;
using CwModel = Phoenix.Aws.CloudWatch.Model;

namespace Phoenix.Emulator.Tests.Adapters;

public sealed class AlarmsAdapterTests(MotoServer moto, ITestOutputHelper output) : EmulatorTest(moto)
{
    [EmulatorFact]
    public async Task DescribeAlarms_OverOneHundredNames_ChunksAndReturnsEveryAlarmOnce()
    {
        var names = Enumerable.Range(0, 150).Select(i => $"web-alarm-{i.ToString("000", CultureInfo.InvariantCulture)}").ToList();
        using (var cloudWatch = new CloudWatchProvisioner(Moto))
        {
            foreach (var name in names)
            {
                await cloudWatch.PutMetricAlarmAsync(Alarm(name));
            }

            await cloudWatch.SetAlarmStateAsync(new SetAlarmStateRequest { AlarmName = "web-alarm-120", StateValue = "ALARM", StateReason = "breached" });
        }

        var http = new RecordingHttpClientFactory();
        using var client = new AmazonCloudWatchClient(MotoServer.Credentials, Moto.Configure(new AwsServiceConfig(AmazonCloudWatchClient.Definition) { HttpClientFactory = http }));

        var alarms = await new AlarmsAdapter(client).DescribeAlarmsAsync(names, CancellationToken.None);

        Assert.Equal(names, alarms.Select(a => a.AlarmName).Order(StringComparer.Ordinal));
        Assert.Equal("web-alarm-120", Assert.Single(alarms, a => a.StateValue == "ALARM").AlarmName);

        // AWS takes at most 100 AlarmNames per call (moto does not enforce it, so the requests are checked instead).
        var calls = http.Requests.Select(r => r.Form).ToList();
        Assert.Equal([100, 50], calls.Select(form => form.Keys.Count(k => k.StartsWith("AlarmNames.member.", StringComparison.Ordinal))));
        Assert.Equal(["web-alarm-000", "web-alarm-100"], calls.Select(form => form["AlarmNames.member.1"]));
    }

    [EmulatorFact]
    public async Task DescribeAlarms_MaxRecords_PagesWithNextToken()
    {
        using (var cloudWatch = new CloudWatchProvisioner(Moto))
        {
            foreach (var i in Enumerable.Range(0, 5))
            {
                await cloudWatch.PutMetricAlarmAsync(Alarm($"page-{i}"));
            }
        }

        using var client = Moto.Clients().CloudWatch();
        var seen = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await client.DescribeAlarmsAsync(new CwModel.DescribeAlarmsRequest { AlarmNamePrefix = "page-", MaxRecords = 2, NextToken = token });
            seen.AddRange(page.MetricAlarms!.Select(a => a.AlarmName!));
            token = page.NextToken;
            pages++;
        }
        while (token is not null && pages < 10);

        Assert.Equal(["page-0", "page-1", "page-2", "page-3", "page-4"], seen.Order(StringComparer.Ordinal));
        if (pages == 1)
        {
            MotoGap.DescribeAlarmsMaxRecords.Met(output);
            return;
        }

        Assert.Equal(3, pages);
    }

    [EmulatorFact]
    public async Task DescribeAlarms_NewAlarm_IsInsufficientDataBeforeItsFirstEvaluation()
    {
        using (var cloudWatch = new CloudWatchProvisioner(Moto))
        {
            await cloudWatch.PutMetricAlarmAsync(Alarm("fresh"));
        }

        using var client = Moto.Clients().CloudWatch();
        var alarm = Assert.Single(await new AlarmsAdapter(client).DescribeAlarmsAsync(["fresh"], CancellationToken.None));

        if (alarm.StateValue == "OK")
        {
            MotoGap.NewAlarmStartsOk.Met(output);
            return;
        }

        Assert.Equal("INSUFFICIENT_DATA", alarm.StateValue);
    }

    [EmulatorFact]
    public async Task DescribeAlarms_UnknownNames_ReturnsNothing()
    {
        using var client = Moto.Clients().CloudWatch();

        var alarms = await new AlarmsAdapter(client).DescribeAlarmsAsync(["nobody-target-5xx"], CancellationToken.None);

        Assert.Empty(alarms);
    }

    [EmulatorFact]
    public async Task DescribeAlarms_StateChange_CarriesReasonAndTimestamp()
    {
        using var fleet = await EmulatorFleet.CreateAsync(Moto, capacity: 1);
        using var client = Moto.Clients().CloudWatch();
        var before = DateTimeOffset.UtcNow.AddMinutes(-1);

        await fleet.SetAlarmStateAsync("ALARM", "Threshold Crossed: 7 > 5");
        var alarm = Assert.Single(await new AlarmsAdapter(client).DescribeAlarmsAsync([fleet.AlarmName], CancellationToken.None));

        Assert.Equal(("ALARM", "Threshold Crossed: 7 > 5"), (alarm.StateValue, alarm.StateReason));
        Assert.InRange(alarm.StateUpdatedTimestamp, before, DateTimeOffset.UtcNow.AddMinutes(1));
    }

    private static PutMetricAlarmRequest Alarm(string name) => new()
    {
        AlarmName = name,
        Namespace = "AWS/ApplicationELB",
        MetricName = "HTTPCode_Target_5XX_Count",
        Statistic = "Sum",
        Period = 60,
        EvaluationPeriods = 1,
        Threshold = 5,
        ComparisonOperator = "GreaterThanThreshold",
    };
}
