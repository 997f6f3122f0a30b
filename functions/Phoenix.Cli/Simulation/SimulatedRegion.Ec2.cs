using System.Globalization;
using Phoenix.Core.Ports;

namespace Phoenix.Cli.Simulation;

// EC2: images, launch templates and their versions (idempotent by client token), and DescribeInstances.
public sealed partial class SimulatedRegion
{
    private readonly Dictionary<string, SimLaunchTemplate> _templates = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SimImage> _images = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IReadOnlyDictionary<string, string>> _unmanagedTags = new(StringComparer.Ordinal);

    /// <summary>Registers an available image. <paramref name="healthy"/> false: instances of it never pass health checks.</summary>
    public string RegisterImage(string? imageId = null, string? name = null, bool healthy = true, TimeSpan? boot = null)
    {
        lock (_gate)
        {
            var id = imageId ?? $"ami-{NextHex(17)}";
            AddImage(id, name ?? id, healthy, boot);
            return id;
        }
    }

    /// <summary>
    /// Launches an instance outside any Auto Scaling group (someone ran RunInstances by hand): it runs at once and is
    /// tagged only with the given tags. Drift detection uses this.
    /// </summary>
    public string LaunchUnmanagedInstance(string imageId, IReadOnlyDictionary<string, string>? tags = null)
    {
        lock (_gate)
        {
            RequireImage(imageId);
            var instance = new SimInstance($"i-{NextHex(17)}", null, imageId, null, 0, Now, Zones[0]) { Lifecycle = AwsStates.InService };
            _instances.Add(instance.Id, instance);
            _unmanagedTags[instance.Id] = tags ?? new Dictionary<string, string>();
            Changed("Instance", instance.Id, $"launched outside any group from {imageId}");
            return instance.Id;
        }
    }

    /// <summary>Sets a launch template's default version (ModifyLaunchTemplate), e.g. to create drift between
    /// running instances and what their group would launch now.</summary>
    public void SetDefaultLaunchTemplateVersion(string launchTemplateId, long version)
    {
        lock (_gate)
        {
            var template = RequireTemplate(launchTemplateId);
            if (template.Resolve(version.ToString(CultureInfo.InvariantCulture)) is null)
            {
                throw new ArgumentException($"Launch template {launchTemplateId} has no version {version}.", nameof(version));
            }

            template.DefaultVersion = version;
            Changed("LaunchTemplate", launchTemplateId, $"default version {version}");
        }
    }

    public string? ImageOfLaunchTemplateVersion(string launchTemplateId, long version)
    {
        lock (_gate)
        {
            return _templates.TryGetValue(launchTemplateId, out var t) && t.Resolve(version.ToString(CultureInfo.InvariantCulture)) is { } v
                ? t.ImageOf(v)
                : null;
        }
    }

    public IReadOnlyList<long> LaunchTemplateVersions(string launchTemplateId)
    {
        lock (_gate)
        {
            return [.. RequireTemplate(launchTemplateId).Versions.Select(v => v.Version)];
        }
    }

    internal ImageDescription? DescribeImage(string imageId)
    {
        lock (_gate)
        {
            return _images.TryGetValue(imageId, out var image)
                ? new ImageDescription(image.ImageId, "available", image.Name, image.Tags)
                : null;
        }
    }

    internal LaunchTemplateVersion CreateTemplateVersion(string launchTemplateId, string sourceVersion, string imageId, string clientToken)
    {
        lock (_gate)
        {
            var template = RequireTemplate(launchTemplateId);
            var existing = template.Versions.FindIndex(v => v.ClientToken == clientToken);
            if (existing >= 0)
            {
                var previous = template.Versions[existing];
                if (previous.ImageId != imageId)
                {
                    throw new SimulatedServiceException(
                        "IdempotentParameterMismatch",
                        $"Client token '{clientToken}' was used for version {previous.Version} with image {previous.ImageId}, not {imageId}.");
                }

                return new LaunchTemplateVersion(launchTemplateId, previous.Version, previous.ImageId);
            }

            if (template.Resolve(sourceVersion) is null)
            {
                throw new SimulatedServiceException("InvalidLaunchTemplateId.VersionNotFound", $"Launch template {launchTemplateId} has no version '{sourceVersion}'.");
            }

            if (!IsImageIdShape(imageId))
            {
                throw new SimulatedServiceException("InvalidAMIID.Malformed", $"Invalid id: \"{imageId}\"");
            }

            var number = template.Versions[^1].Version + 1;
            template.Versions.Add((number, imageId, clientToken));
            Changed("LaunchTemplate", launchTemplateId, $"version {number} with {imageId}");
            return new LaunchTemplateVersion(launchTemplateId, number, imageId);
        }
    }

    internal LaunchTemplateVersion? DescribeTemplateVersion(string launchTemplateId, string version)
    {
        lock (_gate)
        {
            if (!_templates.TryGetValue(launchTemplateId, out var template) || template.Resolve(version) is not { } number)
            {
                return null;
            }

            return new LaunchTemplateVersion(launchTemplateId, number, template.ImageOf(number));
        }
    }

    internal IReadOnlyList<InstanceDescription> DescribeInstances(IReadOnlyList<string> instanceIds)
    {
        lock (_gate)
        {
            var result = new List<InstanceDescription>();
            foreach (var id in instanceIds)
            {
                if (!_instances.TryGetValue(id, out var instance))
                {
                    throw new SimulatedServiceException("InvalidInstanceID.NotFound", $"The instance ID '{id}' does not exist");
                }

                var tags = instance.GroupName is { } group
                    ? new Dictionary<string, string>(StringComparer.Ordinal) { ["aws:autoscaling:groupName"] = group }
                    : _unmanagedTags.GetValueOrDefault(instance.Id) ?? new Dictionary<string, string>();
                result.Add(new InstanceDescription(instance.Id, instance.ImageId, instance.Ec2State, tags));
            }

            return result;
        }
    }

    private void AddImage(string id, string name, bool healthy, TimeSpan? boot)
    {
        if (!IsImageIdShape(id))
        {
            throw new ArgumentException($"Image id '{id}' is not of the form ami-<8 or 17 hex digits>.", nameof(id));
        }

        _images[id] = new SimImage(id, name, healthy, boot, new Dictionary<string, string>(StringComparer.Ordinal) { ["Name"] = name });
        Changed("Image", id, healthy ? "available" : "available (never passes health checks)");
    }

    private void RequireImage(string imageId)
    {
        if (!_images.ContainsKey(imageId))
        {
            throw new SimulatedServiceException("InvalidAMIID.NotFound", $"The image id '[{imageId}]' does not exist");
        }
    }

    private SimLaunchTemplate RequireTemplate(string id) =>
        _templates.TryGetValue(id, out var template)
            ? template
            : throw new SimulatedServiceException("InvalidLaunchTemplateId.NotFound", $"The specified launch template, with template ID {id}, does not exist.");
}
