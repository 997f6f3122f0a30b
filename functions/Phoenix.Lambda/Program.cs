using System.Runtime.InteropServices;
using Phoenix.Lambda;

// Lambda sends SIGTERM before shutting an environment down (when an extension is registered); stop polling cleanly.
using var stopping = new CancellationTokenSource();
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    stopping.Cancel();
});

using var ports = new AwsPortsFactory(Environment.GetEnvironmentVariable);
using var stdout = Console.OpenStandardOutput();
return await LambdaHost.RunAsync(
    Environment.GetEnvironmentVariable,
    () => Composition.CreateHandlerTable(Environment.GetEnvironmentVariable, TimeProvider.System, ports),
    stdout,
    TimeProvider.System,
    stopping.Token);
