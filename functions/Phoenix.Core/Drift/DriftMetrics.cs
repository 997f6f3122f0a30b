namespace Phoenix.Core.Drift;

/// <summary>
/// What one drift batch changed, as the CloudWatch metrics the DriftHandler writes in Embedded Metric Format. AWS
/// Config publishes no compliance metric of its own (its AWS/Config namespace has only recording and delivery
/// metrics), so the drift alarm watches <see cref="NonCompliantName"/> instead: a resource that became
/// NON_COMPLIANT under one of Phoenix's Config rules and was alerted (duplicates within the dedupe window are not
/// counted again).
/// </summary>
public sealed record DriftMetrics(int NonCompliant, int Resolved, int Failed)
{
    public const string Namespace = "Phoenix";

    /// <summary>The one dimension every data point carries: the Lambda handler key that wrote it.</summary>
    public const string DimensionName = "Handler";

    public const string NonCompliantName = "NonCompliantResources";

    public const string ResolvedName = "ResolvedResources";

    public const string FailedName = "DriftEventsFailed";

    public static DriftMetrics Of(DriftBatchResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        static bool Compliance(DriftOutcome outcome) => outcome.Kind is DriftKind.ImageDrift or DriftKind.ComplianceRule;
        return new DriftMetrics(
            result.Outcomes.Count(o => o.Disposition == DriftDisposition.Alerted && Compliance(o)),
            result.Outcomes.Count(o => o.Disposition == DriftDisposition.Resolved && Compliance(o)),
            result.Outcomes.Count(o => o.Disposition == DriftDisposition.Failed));
    }

    public IReadOnlyList<(string Name, int Value)> Values =>
        [(NonCompliantName, NonCompliant), (ResolvedName, Resolved), (FailedName, Failed)];
}
