namespace TrainKit.Sweeps.Store;

/// <summary>
/// The trial store's schema, one numbered migration at a time. A store records the highest migration applied in
/// <c>schema_version</c>; opening a store applies the missing ones in one write transaction, so workers that start
/// together migrate it once. <c>{id}</c> is the dialect's auto-increment key. Add a migration; never edit one.
/// </summary>
/// <remarks>
/// Tables: <c>sweeps</c> (name, the experiment JSON, the cell folder root), <c>trials</c> (one row per cell: state,
/// attempts, the worker holding it and its lease expiry in Unix milliseconds, the resolved run config as JSON, the
/// last error, the Hyperband bracket), <c>rungs</c> (the metric each trial reported at each ASHA rung and the decision taken).
/// </remarks>
public static class StoreSchema
{
    public static readonly IReadOnlyList<string[]> Migrations =
    [
        // 1: sweeps and trials with claims and leases.
        [
            "CREATE TABLE sweeps (name TEXT PRIMARY KEY, spec TEXT NOT NULL, out_dir TEXT NOT NULL, created_ms BIGINT NOT NULL)",
            """
            CREATE TABLE trials (
              id {id}, sweep TEXT NOT NULL REFERENCES sweeps(name), name TEXT NOT NULL, position INTEGER NOT NULL,
              variant TEXT NOT NULL, seed BIGINT NOT NULL, config TEXT NOT NULL,
              state TEXT NOT NULL CHECK (state IN ('pending', 'running', 'done', 'failed', 'pruned')),
              attempts INTEGER NOT NULL DEFAULT 0, worker TEXT, lease_expires_ms BIGINT, updated_ms BIGINT NOT NULL,
              UNIQUE (sweep, name))
            """,
            "CREATE INDEX trials_claim ON trials (sweep, state, position)",
        ],
        // 2: the error of a failed attempt, and rung metrics for successive halving.
        [
            "ALTER TABLE trials ADD COLUMN error TEXT",
            """
            CREATE TABLE rungs (
              trial_id BIGINT NOT NULL REFERENCES trials(id), rung INTEGER NOT NULL, resource DOUBLE PRECISION NOT NULL,
              metric DOUBLE PRECISION NOT NULL, decision TEXT NOT NULL, reported_ms BIGINT NOT NULL,
              PRIMARY KEY (trial_id, rung))
            """,
        ],
        // 3: the Hyperband bracket of each trial; trials of older stores are plain ASHA, bracket 0.
        [
            "ALTER TABLE trials ADD COLUMN bracket INTEGER NOT NULL DEFAULT 0",
        ],
    ];

    public static int Version => Migrations.Count;
}
