namespace Phoenix.Core.Domain;

/// <summary>
/// The names a fleet and the workflow agree on, defined once: the CDK fleet construct (cdk/Phoenix.Cdk.Fleet) names its
/// parameters and tags with these, and the adapters, the drift rule and the IAM conditions look for the same ones.
/// </summary>
public static class FleetConventions
{
    /// <summary>Where every application's parameters live (env PHOENIX_TOPOLOGY_PREFIX may move it; it must end in /).</summary>
    public const string ParameterPrefix = "/phoenix/apps/";

    /// <summary>On every resource of a fleet, propagated to its instances; the drift rule and the IAM conditions read it.</summary>
    public const string ApplicationTag = "PhoenixApplication";

    /// <summary>On each colour's Auto Scaling group (and its instances): <c>blue</c> or <c>green</c>.</summary>
    public const string ColourTag = "PhoenixColour";

    /// <summary>
    /// IAM path of every fleet's instance role: the handlers may pass only roles on this path (to EC2) when they point a
    /// group at a new launch-template version.
    /// </summary>
    public const string InstanceRolePath = "/phoenix/instances/";

    /// <summary>The prefix of the <c>ImageId</c> that makes EC2 resolve a Systems Manager parameter at launch.</summary>
    public const string ResolveSsmPrefix = "resolve:ssm:";

    /// <summary><c>{prefix}{application}/topology</c>: the <see cref="FleetTopology"/> JSON ResolveFleet reads.</summary>
    public static string TopologyParameter(string application, string prefix = ParameterPrefix) => Under(prefix, application, "topology");

    /// <summary><c>{prefix}{application}/drift-policy</c>: the application's DriftPolicy JSON, when it has one.</summary>
    public static string DriftPolicyParameter(string application, string prefix = ParameterPrefix) => Under(prefix, application, "drift-policy");

    /// <summary>
    /// <c>{prefix}{application}/{colour}/image-id</c>: the image a colour runs. The fleet stack creates it once with the
    /// image the fleet starts from and never writes it again; Finalize writes the deployed image to the colour it made
    /// live. Each colour's launch template takes its image from here (<see cref="ImageAlias"/>), so a launch-template
    /// version CloudFormation makes later launches what Phoenix deployed, not what the stack was built with.
    /// </summary>
    public static string ImageParameter(string application, Colour colour, string prefix = ParameterPrefix) =>
        Under(prefix, application, colour.ToWire() + "/image-id");

    /// <summary>The launch template <c>ImageId</c> that EC2 resolves from <see cref="ImageParameter"/> at each launch.</summary>
    public static string ImageAlias(string application, Colour colour, string prefix = ParameterPrefix) =>
        ResolveSsmPrefix + ImageParameter(application, colour, prefix);

    private static string Under(string prefix, string application, string leaf)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        ArgumentException.ThrowIfNullOrEmpty(application);
        return $"{prefix.TrimEnd('/')}/{application}/{leaf}";
    }
}
