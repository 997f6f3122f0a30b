using Phoenix.Aws.Adapters;

namespace Phoenix.Aws.Tests.Support;

/// <summary>Runs a raw client call through the adapters' error translation.</summary>
internal static class AwsCallProbe
{
    public static Task RunAsync(Func<Task> call) => AwsCall.RunAsync("probe", call, CancellationToken.None);

    public static Task RunAsync(Func<Task> call, CancellationToken cancellationToken) => AwsCall.RunAsync("probe", call, cancellationToken);
}
