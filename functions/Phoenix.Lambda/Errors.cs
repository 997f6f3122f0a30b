using Phoenix.Core;

namespace Phoenix.Lambda;

/// <summary><c>_HANDLER</c> names no handler this binary has; reported on init/error.</summary>
public sealed class HandlerNotFound(string message) : PhoenixException(message);

/// <summary>The invocation payload is not JSON (or not the envelope the handler takes).</summary>
public sealed class InvalidPayload(string message, Exception? innerException = null) : PhoenixException(message, innerException);
