using System.Text.Json.Serialization;
using Phoenix.Core.Domain;
using Phoenix.Core.Workflow;

namespace Phoenix.Core.Serialization;

/// <summary>
/// Source-generated (AOT-safe) JSON for the topology and every step's input and output: camelCase, enums as strings,
/// nullable annotations and required constructor parameters enforced, so a state machine / step mismatch fails loudly
/// instead of running with nulls.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UseStringEnumConverter = true,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(FleetTopology))]
[JsonSerializable(typeof(DeploymentRequest))]
[JsonSerializable(typeof(DeploymentPlan))]
[JsonSerializable(typeof(ValidateInput))]
[JsonSerializable(typeof(ValidateOutput))]
[JsonSerializable(typeof(AcquireLockInput))]
[JsonSerializable(typeof(AcquireLockOutput))]
[JsonSerializable(typeof(ResolveFleetInput))]
[JsonSerializable(typeof(ResolveFleetOutput))]
[JsonSerializable(typeof(StartBakeInput))]
[JsonSerializable(typeof(StartBakeOutput))]
[JsonSerializable(typeof(CheckBakeInput))]
[JsonSerializable(typeof(CheckBakeOutput))]
[JsonSerializable(typeof(UpdateLaunchTemplateInput))]
[JsonSerializable(typeof(UpdateLaunchTemplateOutput))]
[JsonSerializable(typeof(ScaleUpGreenInput))]
[JsonSerializable(typeof(ScaleUpGreenOutput))]
[JsonSerializable(typeof(CheckHealthInput))]
[JsonSerializable(typeof(CheckHealthOutput))]
[JsonSerializable(typeof(SwapTrafficInput))]
[JsonSerializable(typeof(SwapTrafficOutput))]
[JsonSerializable(typeof(CheckAlarmsInput))]
[JsonSerializable(typeof(CheckAlarmsOutput))]
[JsonSerializable(typeof(RequestApprovalInput))]
[JsonSerializable(typeof(RequestApprovalOutput))]
[JsonSerializable(typeof(FinalizeInput))]
[JsonSerializable(typeof(FinalizeOutput))]
[JsonSerializable(typeof(ScaleDownPreviousInput))]
[JsonSerializable(typeof(ScaleDownPreviousOutput))]
[JsonSerializable(typeof(RollbackInput))]
[JsonSerializable(typeof(RollbackOutput))]
[JsonSerializable(typeof(RecordRollbackFailureInput))]
[JsonSerializable(typeof(RecordRollbackFailureOutput))]
[JsonSerializable(typeof(ReleaseLockInput))]
[JsonSerializable(typeof(ReleaseLockOutput))]
[JsonSerializable(typeof(NotifyInput))]
[JsonSerializable(typeof(NotifyOutput))]
public sealed partial class CoreJsonContext : JsonSerializerContext;
