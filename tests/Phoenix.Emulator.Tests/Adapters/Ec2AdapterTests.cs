using Phoenix.Aws.Adapters;
using Phoenix.Core.Domain;
using Phoenix.Emulator.Tests.Support;
using Xunit.Abstractions;

namespace Phoenix.Emulator.Tests.Adapters;

public sealed class Ec2AdapterTests(MotoServer moto, ITestOutputHelper output) : EmulatorTest(moto)
{
    [EmulatorFact]
    public async Task DescribeImage_KnownAmi_IsAvailableWithItsName()
    {
        using var client = Moto.Clients().Ec2();
        var (imageId, _) = await EmulatorFleet.ImagesAsync(client);

        var image = await new Ec2Adapter(client).DescribeImageAsync(imageId, CancellationToken.None);

        Assert.NotNull(image);
        Assert.Equal((imageId, "available"), (image.ImageId, image.State));
        Assert.False(string.IsNullOrEmpty(image.Name));
    }

    [EmulatorFact]
    public async Task DescribeImage_UnknownAmi_ReturnsNull()
    {
        using var client = Moto.Clients().Ec2();

        var image = await new Ec2Adapter(client).DescribeImageAsync("ami-0000000000000000f", CancellationToken.None);

        Assert.Null(image);
    }

    [EmulatorFact]
    public async Task CreateLaunchTemplateVersion_FromVersionOne_ReplacesOnlyTheImage()
    {
        using var fleet = await EmulatorFleet.CreateAsync(Moto, capacity: 1);
        using var client = Moto.Clients().Ec2();
        var adapter = new Ec2Adapter(client);

        var created = await adapter.CreateLaunchTemplateVersionAsync(fleet.Topology.Green.LaunchTemplateId, "1", fleet.NewImageId, "deploy-1-green", CancellationToken.None);
        var described = await adapter.DescribeLaunchTemplateVersionAsync(fleet.Topology.Green.LaunchTemplateId, "2", CancellationToken.None);
        var data = (await client.DescribeLaunchTemplateVersionsAsync(new() { LaunchTemplateId = fleet.Topology.Green.LaunchTemplateId, Versions = ["2"] }))
            .LaunchTemplateVersions.Single().LaunchTemplateData;

        Assert.Equal(new Core.Ports.LaunchTemplateVersion(fleet.Topology.Green.LaunchTemplateId, 2, fleet.NewImageId), created);
        Assert.Equal(created, described);

        // AWS copies every other launch parameter from SourceVersion.
        if (data.InstanceType is null)
        {
            MotoGap.LaunchTemplateSourceVersion.Met(output);
            return;
        }

        Assert.Equal(("t3.medium", "required"), (data.InstanceType?.Value, data.MetadataOptions?.HttpTokens?.Value));
        Assert.NotEmpty(data.SecurityGroupIds);
    }

    [EmulatorFact]
    public async Task CreateLaunchTemplateVersion_RetriedWithTheSameClientToken_ReturnsTheFirstVersion()
    {
        using var fleet = await EmulatorFleet.CreateAsync(Moto, capacity: 1);
        using var client = Moto.Clients().Ec2();
        var adapter = new Ec2Adapter(client);

        var first = await adapter.CreateLaunchTemplateVersionAsync(fleet.Topology.Green.LaunchTemplateId, "1", fleet.NewImageId, "deploy-1-green", CancellationToken.None);
        var retried = await adapter.CreateLaunchTemplateVersionAsync(fleet.Topology.Green.LaunchTemplateId, "1", fleet.NewImageId, "deploy-1-green", CancellationToken.None);

        Assert.Equal(fleet.NewImageId, retried.ImageId);
        if (retried.VersionNumber != first.VersionNumber)
        {
            MotoGap.LaunchTemplateClientToken.Met(output);
            return;
        }

        Assert.Null(await adapter.DescribeLaunchTemplateVersionAsync(fleet.Topology.Green.LaunchTemplateId, "3", CancellationToken.None));
    }

    [EmulatorTheory]
    [InlineData("$Latest", 2)]
    [InlineData("$Default", 1)]
    [InlineData("1", 1)]
    public async Task DescribeLaunchTemplateVersion_ByNumberOrAlias_ResolvesIt(string version, long expected)
    {
        using var fleet = await EmulatorFleet.CreateAsync(Moto, capacity: 1);
        using var client = Moto.Clients().Ec2();
        var adapter = new Ec2Adapter(client);
        await adapter.CreateLaunchTemplateVersionAsync(fleet.Topology.Blue.LaunchTemplateId, "1", fleet.NewImageId, "t", CancellationToken.None);

        var found = await adapter.DescribeLaunchTemplateVersionAsync(fleet.Topology.Blue.LaunchTemplateId, version, CancellationToken.None);

        Assert.NotNull(found);
        Assert.Equal((expected, expected == 2 ? fleet.NewImageId : fleet.InitialImageId), (found.VersionNumber, found.ImageId));
    }

    [EmulatorFact]
    public async Task DescribeLaunchTemplateVersion_MissingVersionOrTemplate_ReturnsNull()
    {
        using var fleet = await EmulatorFleet.CreateAsync(Moto, capacity: 1);
        using var client = Moto.Clients().Ec2();
        var adapter = new Ec2Adapter(client);

        Assert.Null(await adapter.DescribeLaunchTemplateVersionAsync(fleet.Topology.Blue.LaunchTemplateId, "7", CancellationToken.None));
        Assert.Null(await adapter.DescribeLaunchTemplateVersionAsync("lt-0123456789abcdef0", "1", CancellationToken.None));
    }

    [EmulatorFact]
    public async Task DescribeInstances_GroupInstances_ReadImageStateAndTags()
    {
        using var fleet = await EmulatorFleet.CreateAsync(Moto, capacity: 3);
        using var client = Moto.Clients().Ec2();
        var ids = (await fleet.InstancesAsync(Colour.Blue)).Select(i => i.InstanceId!).ToList();

        var instances = await new Ec2Adapter(client).DescribeInstancesAsync(ids, CancellationToken.None);

        Assert.Equal(ids.Order(StringComparer.Ordinal), instances.Select(i => i.InstanceId).Order(StringComparer.Ordinal));
        Assert.All(instances, i => Assert.Equal(("running", fleet.InitialImageId, "blue"), (i.State, i.ImageId, i.Tags.GetValueOrDefault("PhoenixColour"))));
    }

    [EmulatorFact]
    public async Task DescribeInstances_OneIdNeverExisted_ReturnsTheOthersWithoutError()
    {
        using var fleet = await EmulatorFleet.CreateAsync(Moto, capacity: 1);
        using var client = Moto.Clients().Ec2();
        var live = (await fleet.InstancesAsync(Colour.Blue))[0].InstanceId!;

        // An instance that vanished between an event and its handling is not an error (AWS's InstanceIds parameter
        // would answer InvalidInstanceID.NotFound for the whole call; the instance-id filter does not).
        var instances = await new Ec2Adapter(client).DescribeInstancesAsync([live, "i-0123456789abcdef0"], CancellationToken.None);

        Assert.Equal([live], instances.Select(i => i.InstanceId));
    }

    [EmulatorFact]
    public async Task DescribeInstances_NoIds_SendsNothingAndReturnsNothing()
    {
        using var client = Moto.Clients().Ec2();

        Assert.Empty(await new Ec2Adapter(client).DescribeInstancesAsync([], CancellationToken.None));
    }
}
