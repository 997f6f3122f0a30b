using Phoenix.Core.Workflow;

namespace Phoenix.Core.Tests.Workflow;

/// <summary>CheckAlarms' documented choices: INSUFFICIENT_DATA passes, an ignored alarm is skipped only while it stays in its starting ALARM.</summary>
public class AlarmPolicyTests
{
    [Fact]
    public async Task CheckAlarms_InsufficientData_PassesAndIsCounted()
    {
        var h = new RegionHarness();
        var plan = await PlanAsync(h, "");
        h.Region.SetAlarmState("web-target-5xx", "INSUFFICIENT_DATA", "Insufficient Data: 1 datapoint was unknown.");

        var output = await h.RunAsync<CheckAlarmsInput, CheckAlarmsOutput>("CheckAlarms", new CheckAlarmsInput(plan, 0));

        Assert.Equal((2, 1, 0), (output.AlarmsChecked, output.InsufficientData, output.Ignored));
    }

    [Fact]
    public async Task CheckAlarms_IgnoredAlarmStillInItsStartingAlarm_IsSkipped()
    {
        var h = new RegionHarness();
        h.Region.SetAlarmState("web-target-5xx", "ALARM", "Threshold Crossed");
        var plan = await PlanAsync(h, ""","strategy":{"ignoreAlarms":["web-target-5xx"]}""");
        h.Clock.Advance(TimeSpan.FromMinutes(5));

        var output = await h.RunAsync<CheckAlarmsInput, CheckAlarmsOutput>("CheckAlarms", new CheckAlarmsInput(plan, 0));

        Assert.Equal("web-target-5xx", Assert.Single(plan.IgnoredAlarms!).AlarmName);
        Assert.Equal(1, output.Ignored);
    }

    [Fact]
    public async Task CheckAlarms_IgnoredAlarmThatFiresAgain_ThrowsAlarmTriggered()
    {
        var h = new RegionHarness();
        h.Region.SetAlarmState("web-target-5xx", "ALARM", "Threshold Crossed");
        var plan = await PlanAsync(h, ""","strategy":{"ignoreAlarms":["web-target-5xx"]}""");
        h.Clock.Advance(TimeSpan.FromMinutes(2));
        h.Region.SetAlarmState("web-target-5xx", "OK", "Threshold Crossed: no datapoints were breaching");
        h.Clock.Advance(TimeSpan.FromMinutes(2));
        h.Region.SetAlarmState("web-target-5xx", "ALARM", "Threshold Crossed: the new colour returns 5XX");

        var error = await Assert.ThrowsAsync<AlarmTriggered>(() =>
            h.RunAsync<CheckAlarmsInput, CheckAlarmsOutput>("CheckAlarms", new CheckAlarmsInput(plan, 0)));

        Assert.Contains("the new colour returns 5XX", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckAlarms_FiringAlarmNotIgnored_ThrowsAlarmTriggered()
    {
        var h = new RegionHarness();
        var plan = await PlanAsync(h, ""","strategy":{"ignoreAlarms":["web-target-5xx"]}""");
        h.Region.SetAlarmState("web-target-5xx", "ALARM", "Threshold Crossed");

        // Ignored names cover only an ALARM seen when the deployment started; this one began after.
        await Assert.ThrowsAsync<AlarmTriggered>(() =>
            h.RunAsync<CheckAlarmsInput, CheckAlarmsOutput>("CheckAlarms", new CheckAlarmsInput(plan, 0)));
    }

    private static async Task<DeploymentPlan> PlanAsync(RegionHarness h, string extra)
    {
        var image = h.RegisterImage();
        var request = await h.ValidateAsync($$"""{"application":"web","imageId":"{{image}}"{{extra}}}""");
        return await h.ResolveAsync(request);
    }
}
