// Worker tests train, and training draws from libtorch's process-wide generator: no concurrent tests.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
