namespace Phoenix.Asl;

/// <summary>Thrown by a <see cref="TaskHandler"/> to fail its task with an ASL error name (what ErrorEquals matches) and cause.</summary>
public sealed class TaskFailedException : Exception
{
    public TaskFailedException(string error, string? cause)
        : base(cause is null ? error : $"{error}: {cause}")
    {
        ArgumentException.ThrowIfNullOrEmpty(error);
        Error = error;
        Cause = cause;
    }

    public string Error { get; }

    public string? Cause { get; }
}
