using Phoenix.Core.Drift;
using Phoenix.Core.Workflow;

namespace Phoenix.Lambda;

/// <summary>
/// Where the handlers' ports come from: AWS in the deployed function (<see cref="AwsPortsFactory"/>), anything else
/// in tests. Asked at most once per execution environment, only for what the selected handler needs.
/// </summary>
public interface IPortsFactory
{
    WorkflowPorts Workflow();

    DriftPorts Drift();

    IConfigEvaluations ConfigEvaluations();
}
