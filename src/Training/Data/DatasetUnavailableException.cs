namespace TrainKit.Training.Data;

/// <summary>A dataset is neither on disk nor downloadable (offline, no network, a server error): the message names the
/// dataset, where it was looked for, the cache folder it would be downloaded into, and how to point TrainKit at a copy
/// (--data, $TRAINKIT_DATA). The CLI maps it to exit 2 (bad input: the data the user asked for is not there).</summary>
public sealed class DatasetUnavailableException(string message, Exception? inner = null) : IOException(message, inner);
