using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Phoenix.Lambda;

// Every handler signs its AWS calls (SigV4, HMAC-SHA256), and the first hash loads OpenSSL, several milliseconds
// of a cold start. Load it on another core while this thread builds the handler and polls for the first event.
_ = Task.Run(static () => HMACSHA256.HashData("AWS4"u8, "warm-up"u8));

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
