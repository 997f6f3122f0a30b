using System.Text.Json.Nodes;

namespace Phoenix.Asl;

/// <summary>Starts executions of a state machine in-process.</summary>
public static class AslEngine
{
    /// <summary>
    /// Starts an execution and returns at once; <see cref="AslExecution.Completion"/> finishes with its result. On a
    /// <see cref="VirtualClock"/> the execution runs on the clock's scheduler; otherwise on the thread pool.
    /// </summary>
    public static AslExecution Start(StateMachineDefinition definition, JsonNode? input, ExecutionOptions options)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(options);
        var interpreter = new Interpreter(definition, input?.DeepClone(), options);
        var completion = new TaskCompletionSource<ExecutionResult>(TaskCreationOptions.RunContinuationsAsynchronously);

        async Task Run()
        {
            try
            {
                completion.TrySetResult(await interpreter.RunAsync());
            }
            catch (Exception e)
            {
                // Engine defects surface on Completion rather than vanishing on a scheduler thread.
                completion.TrySetException(e);
            }
        }

        if (options.Time is VirtualClock clock)
        {
            clock.Scheduler.StartExecution(Run);
        }
        else
        {
            _ = Task.Run(Run);
        }

        return new AslExecution(interpreter, completion.Task);
    }
}
