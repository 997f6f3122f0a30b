// jsii corrupts its messages when several tests drive the same node process at once (DESIGN.md, tooling facts).
[assembly: CollectionBehavior(DisableTestParallelization = true)]
