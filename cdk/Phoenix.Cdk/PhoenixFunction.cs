using Amazon.CDK;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.Lambda;
using Constructs;

namespace Phoenix.Cdk;

/// <summary>
/// One Lambda function of the Native AOT host: the same <c>bootstrap</c> for every handler, selected by the Lambda
/// handler property (which Lambda exposes as <c>_HANDLER</c>). Each function has its own role that starts empty except
/// for writing its own log group; <see cref="HandlerPermissions"/> adds the rest. The function holds the role without
/// policy updates, so no construct can widen it behind our back (CustomRule, for one, would attach the AWS managed
/// AWSConfigRulesExecutionRole); every grant goes to <see cref="PhoenixFunction.Role"/> explicitly.
/// </summary>
public sealed record PhoenixFunction(Function Function, Role Role)
{
    public static PhoenixFunction Create(Construct scope, string handler, Code code, IDictionary<string, string> environment, Duration? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(code);
        var logs = Governance.EncryptedLogGroup(scope, handler + "Logs");
        var role = new Role(scope, handler + "Role", new RoleProps
        {
            AssumedBy = new ServicePrincipal("lambda.amazonaws.com"),
            Description = $"Phoenix {handler} handler: only the actions its step needs (HandlerPermissions).",
        });
        logs.GrantWrite(role);
        var function = new Function(scope, Handlers.ConstructId(handler), new FunctionProps
        {
            Runtime = Runtime.PROVIDED_AL2023,
            // The asset is published for linux-x64; an arm64 function would not start it.
            Architecture = Architecture.X86_64,
            Handler = handler,
            Code = code,
            MemorySize = 256,
            Timeout = timeout ?? Duration.Seconds(30),
            Role = role.WithoutPolicyUpdates(),
            LogGroup = logs,
            LoggingFormat = LoggingFormat.JSON,
            Environment = environment,
            Description = $"Phoenix {handler}",
        });
        Governance.SuppressGuard(function,
            ("lambda_inside_vpc_check", "Phoenix functions call only AWS APIs; outside a VPC they need no NAT gateway or interface endpoints, and hold no network access to the fleet."));
        // The function must not be created before its role can write its logs.
        function.Node.AddDependency(role);
        return new PhoenixFunction(function, role);
    }
}
