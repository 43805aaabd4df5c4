// Training runs draw from libtorch's process-wide random generator (initialization, dropout), so tests
// that train must not run concurrently: each would perturb the others' random streams.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
