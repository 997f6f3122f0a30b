using Amazon.CDK;
using Amazon.CDK.AWS.EC2;
using Phoenix.Cdk.Fleet;

namespace Phoenix.Cdk.Tests;

/// <summary>Props are validated before any resource is created, with the bad value in the message.</summary>
public sealed class BlueGreenFleetTests
{
    [Theory]
    [InlineData("Web", "ApplicationName", "'Web'")]
    [InlineData("a-name-that-is-far-too-long-for-an-alb", "ApplicationName", "'a-name-that-is-far-too-long-for-an-alb'")]
    public void Constructor_BadApplicationName_ThrowsNamingTheValue(string name, string property, string shown)
    {
        var error = Build(p => new BlueGreenFleetProps { ApplicationName = name, Vpc = p.Vpc });
        Assert.Contains(property, error.Message, StringComparison.Ordinal);
        Assert.Contains(shown, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_DesiredAboveMax_ThrowsShowingAllCapacities()
    {
        var error = Build(p => new BlueGreenFleetProps { ApplicationName = "web", Vpc = p.Vpc, DesiredCapacity = 5, MaxCapacity = 4 });
        Assert.Contains("DesiredCapacity=5, MaxCapacity=4", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(101, "MinHealthyPercentage is '101'")]
    [InlineData(-1, "MinHealthyPercentage is '-1'")]
    public void Constructor_MinHealthyOutOfRange_ThrowsNamingTheValue(int percentage, string expected)
    {
        var error = Build(p => new BlueGreenFleetProps { ApplicationName = "web", Vpc = p.Vpc, MinHealthyPercentage = percentage });
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_HealthCheckPathWithoutSlash_ThrowsNamingTheValue()
    {
        var error = Build(p => new BlueGreenFleetProps { ApplicationName = "web", Vpc = p.Vpc, HealthCheckPath = "health" });
        Assert.Contains("HealthCheckPath is 'health'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_UnknownColour_ThrowsNamingTheValue()
    {
        var error = Build(p => new BlueGreenFleetProps { ApplicationName = "web", Vpc = p.Vpc, InitialLiveColour = "red" });
        Assert.Contains("InitialLiveColour is 'red'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_BadInstanceType_ThrowsNamingTheValue()
    {
        var error = Build(p => new BlueGreenFleetProps { ApplicationName = "web", Vpc = p.Vpc, InstanceType = "large" });
        Assert.Contains("InstanceType is 'large'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_BadProps_CreatesNothing()
    {
        var stack = new Stack(new App(), "Fleet");
        var vpc = Vpc.FromVpcAttributes(stack, "Vpc", new VpcAttributes { VpcId = "vpc-1", AvailabilityZones = ["a", "b"] });
        var before = stack.Node.Children.Length;
        Assert.Throws<ArgumentException>(() => new BlueGreenFleet(stack, "Fleet", new BlueGreenFleetProps { ApplicationName = "Bad Name", Vpc = vpc }));
        Assert.Equal(before, stack.Node.Children.Length);
    }

    private static ArgumentException Build(Func<(Stack Stack, IVpc Vpc), BlueGreenFleetProps> props)
    {
        var stack = new Stack(new App(), "Fleet");
        var vpc = Vpc.FromVpcAttributes(stack, "Vpc", new VpcAttributes { VpcId = "vpc-1", AvailabilityZones = ["a", "b"] });
        return Assert.Throws<ArgumentException>(() => new BlueGreenFleet(stack, "Fleet", props((stack, vpc))));
    }
}
