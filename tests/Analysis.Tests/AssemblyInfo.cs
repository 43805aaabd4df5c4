// The estimators and the trained-CNN fixture draw from libtorch's process-wide random generator (initialization,
// probe vectors), so these tests must not run concurrently: each would perturb the others' random streams.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
