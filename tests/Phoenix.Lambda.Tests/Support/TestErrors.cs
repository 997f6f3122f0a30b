using Phoenix.Core;

namespace Phoenix.Lambda.Tests.Support;

/// <summary>A typed step error as a Core step would raise it; its short name is the ASL error name.</summary>
public sealed class FleetNotFound(string message) : PhoenixException(message);
