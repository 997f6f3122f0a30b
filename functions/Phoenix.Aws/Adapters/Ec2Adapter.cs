using Amazon.EC2;
using Amazon.EC2.Model;
using Phoenix.Core.Ports;
using PortVersion = Phoenix.Core.Ports.LaunchTemplateVersion;

namespace Phoenix.Aws.Adapters;

public sealed class Ec2Adapter(IAmazonEC2 client) : IEc2
{
    /// <summary>EC2 takes at most 200 values in one filter.</summary>
    private const int ValuesPerFilter = 200;

    private static readonly HashSet<string> MissingImage = new(StringComparer.Ordinal) { "InvalidAMIID.NotFound", "InvalidAMIID.Unavailable" };

    private static readonly HashSet<string> MissingVersion = new(StringComparer.Ordinal)
    {
        "InvalidLaunchTemplateId.VersionNotFound", "InvalidLaunchTemplateId.NotFound", "InvalidLaunchTemplateName.NotFoundException",
    };

    public Task<ImageDescription?> DescribeImageAsync(string imageId, CancellationToken cancellationToken) =>
        AwsCall.RunAsync<ImageDescription?>($"DescribeImages {imageId}", async () =>
        {
            try
            {
                var response = await client.DescribeImagesAsync(new DescribeImagesRequest { ImageIds = [imageId] }, cancellationToken).ConfigureAwait(false);
                var image = response.Images?.FirstOrDefault(i => i.ImageId == imageId);
                return image is null ? null : new ImageDescription(image.ImageId, image.State?.Value ?? "unknown", image.Name, Tags(image.Tags));
            }
            catch (AmazonEC2Exception ex) when (ex.ErrorCode is not null && MissingImage.Contains(ex.ErrorCode))
            {
                return null;
            }
        }, cancellationToken);

    public Task<PortVersion> CreateLaunchTemplateVersionAsync(
        string launchTemplateId, string sourceVersion, string imageId, string clientToken, CancellationToken cancellationToken) =>
        AwsCall.RunAsync($"CreateLaunchTemplateVersion {launchTemplateId}", async () =>
        {
            var response = await client.CreateLaunchTemplateVersionAsync(
                new CreateLaunchTemplateVersionRequest
                {
                    LaunchTemplateId = launchTemplateId,
                    SourceVersion = sourceVersion,
                    ClientToken = clientToken,
                    VersionDescription = $"phoenix {imageId}",
                    LaunchTemplateData = new RequestLaunchTemplateData { ImageId = imageId },
                },
                cancellationToken).ConfigureAwait(false);
            var version = response.LaunchTemplateVersion;
            return new PortVersion(version.LaunchTemplateId, version.VersionNumber ?? 0, version.LaunchTemplateData?.ImageId ?? imageId);
        }, cancellationToken);

    /// <summary>
    /// ResolveAlias: a version whose ImageId is <c>resolve:ssm:</c> a parameter (the fleet stack's templates, see
    /// FleetConventions.ImageAlias) answers with the image the parameter holds now, which is what an instance launched from
    /// it runs; without it EC2 returns the alias itself, which no image comparison could match. Needs ssm:GetParameters.
    /// </summary>
    public Task<PortVersion?> DescribeLaunchTemplateVersionAsync(string launchTemplateId, string version, CancellationToken cancellationToken) =>
        AwsCall.RunAsync<PortVersion?>($"DescribeLaunchTemplateVersions {launchTemplateId} {version}", async () =>
        {
            try
            {
                var response = await client.DescribeLaunchTemplateVersionsAsync(
                    new DescribeLaunchTemplateVersionsRequest { LaunchTemplateId = launchTemplateId, Versions = [version], ResolveAlias = true }, cancellationToken).ConfigureAwait(false);
                var found = response.LaunchTemplateVersions?.FirstOrDefault();
                return found is null ? null : new PortVersion(found.LaunchTemplateId, found.VersionNumber ?? 0, found.LaunchTemplateData?.ImageId ?? string.Empty);
            }
            catch (AmazonEC2Exception ex) when (ex.ErrorCode is not null && MissingVersion.Contains(ex.ErrorCode))
            {
                return null;
            }
        }, cancellationToken);

    public Task CreateTagsAsync(string resourceId, IReadOnlyList<KeyValuePair<string, string>> tags, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tags);
        return AwsCall.RunAsync($"CreateTags {resourceId}", () => client.CreateTagsAsync(
            new CreateTagsRequest { Resources = [resourceId], Tags = [.. tags.Select(t => new Tag(t.Key, t.Value))] }, cancellationToken), cancellationToken);
    }

    /// <summary>
    /// By the <c>instance-id</c> filter, not InstanceIds: with InstanceIds one instance that is gone (terminated and
    /// purged, or never existed) fails the whole call with InvalidInstanceID.NotFound, while a filter simply matches
    /// the instances that are there.
    /// </summary>
    public Task<IReadOnlyList<InstanceDescription>> DescribeInstancesAsync(IReadOnlyList<string> instanceIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instanceIds);
        return AwsCall.RunAsync<IReadOnlyList<InstanceDescription>>("DescribeInstances", async () =>
        {
            var instances = new List<InstanceDescription>();
            foreach (var chunk in instanceIds.Distinct(StringComparer.Ordinal).Chunk(ValuesPerFilter))
            {
                string? token = null;
                do
                {
                    var page = await client.DescribeInstancesAsync(
                        new DescribeInstancesRequest { Filters = [new Filter("instance-id", [.. chunk])], NextToken = token },
                        cancellationToken).ConfigureAwait(false);
                    instances.AddRange((page.Reservations ?? []).SelectMany(r => r.Instances ?? [])
                        .Select(i => new InstanceDescription(i.InstanceId, i.ImageId, i.State?.Name?.Value ?? "unknown", Tags(i.Tags))));
                    token = page.NextToken;
                }
                while (!string.IsNullOrEmpty(token));
            }

            return instances;
        }, cancellationToken);
    }

    private static Dictionary<string, string> Tags(List<Tag>? tags) =>
        (tags ?? []).Where(t => t.Key is not null).GroupBy(t => t.Key).ToDictionary(g => g.Key, g => g.Last().Value ?? string.Empty, StringComparer.Ordinal);
}
