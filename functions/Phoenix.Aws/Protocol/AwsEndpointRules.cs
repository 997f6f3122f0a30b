namespace Phoenix.Aws.Protocol;

/// <summary>
/// Where a service's official endpoint ruleset departs from the shared template (<see cref="AwsServiceEndpointProvider"/>):
/// in GovCloud several services' plain hosts are already FIPS-validated, so FIPS goes there instead of to a -fips
/// host, and Step Functions sends dual-stack to its -fips host. Taken from the rulesets of the official JS SDK
/// clients pinned in tests/Phoenix.Aws.Tests/wire/package.json; tests/Phoenix.Aws.Tests/Fixtures/Endpoints holds the
/// endpoints those clients resolve for every service, partition, FIPS and dual-stack combination, and a test checks
/// that Phoenix resolves the same. Placeholders: {Region}, {dnsSuffix}, {dualStackDnsSuffix} of the region's partition.
/// </summary>
internal static class AwsEndpointRules
{
    private static readonly Rule[] Rules =
    [
        new("Auto Scaling", Fips: true, DualStack: false, Partition: "aws-us-gov", Region: null, "https://autoscaling.{Region}.amazonaws.com"),
        new("Elastic Load Balancing v2", Fips: true, DualStack: false, Partition: "aws-us-gov", Region: null, "https://elasticloadbalancing.{Region}.amazonaws.com"),
        new("Config Service", Fips: true, DualStack: false, Partition: "aws-us-gov", Region: null, "https://config.{Region}.amazonaws.com"),
        new("CloudFormation", Fips: true, DualStack: false, Partition: "aws-us-gov", Region: null, "https://cloudformation.{Region}.amazonaws.com"),
        new("CloudWatch", Fips: true, DualStack: false, Partition: "aws-us-gov", Region: null, "https://monitoring.{Region}.{dnsSuffix}"),
        new("CloudWatch", Fips: true, DualStack: true, Partition: "aws-us-gov", Region: null, "https://monitoring.{Region}.{dualStackDnsSuffix}"),
        new("SNS", Fips: true, DualStack: false, Partition: null, Region: "us-gov-east-1", "https://sns.us-gov-east-1.amazonaws.com"),
        new("SNS", Fips: true, DualStack: false, Partition: null, Region: "us-gov-west-1", "https://sns.us-gov-west-1.amazonaws.com"),
        new("SFN", Fips: true, DualStack: false, Partition: null, Region: "us-gov-west-1", "https://states.us-gov-west-1.amazonaws.com"),
        new("SFN", Fips: false, DualStack: true, Partition: "aws-us-gov", Region: null, "https://states-fips.{Region}.{dualStackDnsSuffix}"),
    ];

    /// <summary>The URL template the service's ruleset uses instead of the shared one, or null when it uses the shared one.</summary>
    public static string? Departure(string serviceId, string partition, string region, bool fips, bool dualStack) =>
        Rules.FirstOrDefault(r => r.ServiceId == serviceId && r.Fips == fips && r.DualStack == dualStack
            && (r.Partition is null || r.Partition == partition) && (r.Region is null || r.Region == region))?.Url;

    private sealed record Rule(string ServiceId, bool Fips, bool DualStack, string? Partition, string? Region, string Url);
}
