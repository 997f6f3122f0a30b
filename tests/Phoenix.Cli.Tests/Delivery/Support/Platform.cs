// The delivery tests run bash scripts and set Unix file modes (a read-only folder, executable stand-ins): Linux only,
// as the CLI's container image, the GitHub runners and this project's CI are.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
