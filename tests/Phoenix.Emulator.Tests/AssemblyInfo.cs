// The tests share one emulator and process-wide environment variables (the CLI reads credentials from them).
[assembly: CollectionBehavior(DisableTestParallelization = true)]
