using System.Data.Common;

namespace TrainKit.Sweeps.Store;

/// <summary>
/// The trial store: sweeps, their trials and the rung metrics, in a SQL database both dialects share (SQLite
/// and PostgreSQL differ only in how a connection opens, the key type, and how a claim locks, see
/// <see cref="SqliteTrialStore"/> and <see cref="PostgresTrialStore"/>). Every operation opens its own pooled
/// connection, so one store object is safe to use from the lease-renewal thread and the training thread at once.
/// Times are Unix milliseconds of the caller's clock: machines sharing a PostgreSQL store need synchronized clocks
/// (NTP), and leases should be long against the skew (the default is 60 s).
/// </summary>
public abstract class TrialStore
{
    const string Columns = "id, sweep, name, position, variant, seed, config, state, attempts, worker, lease_expires_ms, error, bracket";

    /// <summary>A human-readable location (no password).</summary>
    public abstract string Describe { get; }

    protected abstract DbConnection Open();

    /// <summary>Starts the transaction claims and migrations run in: SQLite's BEGIN IMMEDIATE takes the write lock
    /// up front, so two claimers never both read the same pending row.</summary>
    protected abstract DbTransaction BeginWrite(DbConnection connection);

    /// <summary>The auto-increment primary key in this dialect's DDL.</summary>
    protected abstract string IdColumn { get; }

    /// <summary>Appended to the claim's row-selecting subquery (PostgreSQL: FOR UPDATE SKIP LOCKED).</summary>
    protected abstract string ClaimLock { get; }

    /// <summary>Serializes concurrent migrations (PostgreSQL: an advisory lock; SQLite: the write lock already does).</summary>
    protected virtual void LockForMigration(DbConnection connection, DbTransaction transaction) { }

    protected static long Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    /// <summary>Creates or upgrades the schema to <see cref="StoreSchema.Version"/>; returns the version found before.</summary>
    public int Migrate(int? upTo = null)
    {
        int target = upTo ?? StoreSchema.Version;
        using var connection = Open();
        using var transaction = BeginWrite(connection);
        LockForMigration(connection, transaction);
        Execute(connection, transaction, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
        object? found = Scalar(connection, transaction, "SELECT MAX(version) FROM schema_version");
        int current = found is null or DBNull ? 0 : Convert.ToInt32(found);
        if (current > StoreSchema.Version)
            throw new InvalidDataException($"trial store {Describe} has schema version {current}, newer than this TrainKit's {StoreSchema.Version}: upgrade TrainKit");
        for (int version = current + 1; version <= target; version++)
        {
            foreach (string statement in StoreSchema.Migrations[version - 1])
                Execute(connection, transaction, statement.Replace("{id}", IdColumn));
            Execute(connection, transaction, "DELETE FROM schema_version");
            Execute(connection, transaction, "INSERT INTO schema_version (version) VALUES (@v)", ("v", version));
        }
        transaction.Commit();
        return current;
    }

    public int SchemaVersion()
    {
        using var connection = Open();
        return Convert.ToInt32(Scalar(connection, null, "SELECT MAX(version) FROM schema_version"));
    }

    /// <summary>Registers a sweep and its trials. Idempotent: a sweep already there keeps its trials and their states
    /// (a restarted `compare` continues it), new trial names are added. A different experiment under the same name is refused.</summary>
    public void AddSweep(SweepRecord sweep, IEnumerable<NewTrial> trials)
    {
        using var connection = Open();
        using var transaction = BeginWrite(connection);
        object? spec = Scalar(connection, transaction, "SELECT spec FROM sweeps WHERE name = @n", ("n", sweep.Name));
        if (spec is null)
            Execute(connection, transaction, "INSERT INTO sweeps (name, spec, out_dir, created_ms) VALUES (@n, @s, @o, @t)",
                ("n", sweep.Name), ("s", sweep.SpecJson), ("o", sweep.OutDirectory), ("t", Now()));
        else if ((string)spec != sweep.SpecJson)
            throw new ArgumentException($"trial store {Describe} already holds a different sweep named '{sweep.Name}': use another name or store");
        foreach (NewTrial trial in trials)
            Execute(connection, transaction, """
                INSERT INTO trials (sweep, name, position, variant, seed, config, state, attempts, updated_ms, bracket)
                VALUES (@sweep, @name, @position, @variant, @seed, @config, 'pending', 0, @now, @bracket) ON CONFLICT (sweep, name) DO NOTHING
                """, ("sweep", sweep.Name), ("name", trial.Name), ("position", trial.Position), ("variant", trial.Variant),
                ("seed", trial.Seed), ("config", trial.ConfigJson), ("now", Now()), ("bracket", trial.Bracket));
        transaction.Commit();
    }

    public IReadOnlyList<SweepRecord> Sweeps()
    {
        using var connection = Open();
        using var command = Command(connection, null, "SELECT name, spec, out_dir FROM sweeps ORDER BY created_ms, name");
        using var reader = command.ExecuteReader();
        var sweeps = new List<SweepRecord>();
        while (reader.Read()) sweeps.Add(new SweepRecord(reader.GetString(0), reader.GetString(1), reader.GetString(2)));
        return sweeps;
    }

    /// <summary>The sweep a worker joins: the one named, or the only one in the store.</summary>
    public SweepRecord Sweep(string? name)
    {
        var sweeps = Sweeps();
        if (name is not null)
            return sweeps.FirstOrDefault(s => s.Name == name)
                ?? throw new ArgumentException($"trial store {Describe} has no sweep '{name}' (it has: {string.Join(", ", sweeps.Select(s => s.Name))})");
        return sweeps.Count switch
        {
            1 => sweeps[0],
            0 => throw new ArgumentException($"trial store {Describe} holds no sweep yet: start one with `trainkit compare … --store URL`"),
            _ => throw new ArgumentException($"trial store {Describe} holds several sweeps ({string.Join(", ", sweeps.Select(s => s.Name))}): name one with --sweep"),
        };
    }

    /// <summary>
    /// Claims the first trial (by position) that is pending or whose holder's lease expired, atomically: no two
    /// callers get the same trial. Expired trials that already used <paramref name="maxAttempts"/> attempts are
    /// marked failed instead. Returns null when nothing is claimable right now.
    /// </summary>
    public TrialLease? Claim(string sweep, string worker, TimeSpan lease, int maxAttempts)
    {
        long now = Now();
        long expires = now + (long)lease.TotalMilliseconds;
        using var connection = Open();
        using var transaction = BeginWrite(connection);
        Execute(connection, transaction, """
            UPDATE trials SET state = 'failed', worker = NULL, lease_expires_ms = NULL, updated_ms = @now,
              error = 'lease expired on attempt ' || attempts || ' of ' || @max || ' (worker ' || COALESCE(worker, '?') || ' stopped renewing)'
            WHERE sweep = @sweep AND state = 'running' AND lease_expires_ms < @now AND attempts >= @max
            """, ("sweep", sweep), ("now", now), ("max", maxAttempts));
        TrialRecord? claimed = null;
        using (var command = Command(connection, transaction, $"""
            UPDATE trials SET state = 'running', attempts = attempts + 1, worker = @worker, lease_expires_ms = @expires, updated_ms = @now
            WHERE id = (SELECT id FROM trials WHERE sweep = @sweep
                          AND (state = 'pending' OR (state = 'running' AND lease_expires_ms < @now AND attempts < @max))
                        ORDER BY position LIMIT 1 {ClaimLock})
            RETURNING {Columns}
            """, ("sweep", sweep), ("worker", worker), ("expires", expires), ("now", now), ("max", maxAttempts)))
        using (var reader = command.ExecuteReader())
            if (reader.Read()) claimed = ReadTrial(reader);
        transaction.Commit();
        return claimed is null ? null : new TrialLease(claimed, worker, claimed.Attempts, DateTimeOffset.FromUnixTimeMilliseconds(expires));
    }

    /// <summary>Extends the lease; false if the worker no longer holds the trial (its lease expired and another worker claimed it).</summary>
    public bool Renew(TrialLease lease, TimeSpan duration) =>
        Fenced(lease, "lease_expires_ms = @expires", ("expires", Now() + (long)duration.TotalMilliseconds));

    /// <summary>Marks the trial done; false if the lease was lost (the result belongs to whoever holds it now).</summary>
    public bool Complete(TrialLease lease) => Fenced(lease, "state = 'done', lease_expires_ms = NULL, error = NULL");

    /// <summary>Marks the trial pruned (stopped early by the pruner; its rung metrics stay).</summary>
    public bool Prune(TrialLease lease) => Fenced(lease, "state = 'pruned', lease_expires_ms = NULL");

    /// <summary>Records a failed attempt: back to pending while attempts remain, else failed for good. Returns the new state, or null if the lease was lost.</summary>
    public TrialState? Fail(TrialLease lease, string error, int maxAttempts)
    {
        TrialState next = lease.Attempt >= maxAttempts ? TrialState.Failed : TrialState.Pending;
        bool held = Fenced(lease, "state = @next, worker = NULL, lease_expires_ms = NULL, error = @error",
            ("next", TrialStates.Name(next)), ("error", error));
        return held ? next : null;
    }

    bool Fenced(TrialLease lease, string set, params (string, object?)[] parameters)
    {
        using var connection = Open();
        using var command = Command(connection, null,
            $"UPDATE trials SET {set}, updated_ms = @now WHERE id = @id AND state = 'running' AND worker = @worker AND attempts = @attempt",
            [("now", Now()), ("id", lease.Trial.Id), ("worker", lease.Worker), ("attempt", lease.Attempt), .. parameters]);
        return command.ExecuteNonQuery() == 1;
    }

    /// <summary>Records the metric a trial reached at a rung (idempotent per trial and rung: a resumed trial re-reporting keeps the first value).</summary>
    public void ReportRung(RungReport report)
    {
        using var connection = Open();
        Execute(connection, null, """
            INSERT INTO rungs (trial_id, rung, resource, metric, decision, reported_ms) VALUES (@t, @r, @res, @m, @d, @now)
            ON CONFLICT (trial_id, rung) DO NOTHING
            """, ("t", report.TrialId), ("r", report.Rung), ("res", report.Resource), ("m", report.Metric), ("d", report.Decision), ("now", Now()));
    }

    /// <summary>Every rung report of a sweep, by trial and rung.</summary>
    public IReadOnlyList<RungReport> Rungs(string sweep)
    {
        using var connection = Open();
        using var command = Command(connection, null, """
            SELECT r.trial_id, r.rung, r.resource, r.metric, r.decision, t.bracket FROM rungs r JOIN trials t ON t.id = r.trial_id
            WHERE t.sweep = @sweep ORDER BY r.trial_id, r.rung
            """, ("sweep", sweep));
        using var reader = command.ExecuteReader();
        var reports = new List<RungReport>();
        while (reader.Read())
            reports.Add(new RungReport(Convert.ToInt64(reader.GetValue(0)), Convert.ToInt32(reader.GetValue(1)),
                reader.GetDouble(2), reader.GetDouble(3), reader.GetString(4), Convert.ToInt32(reader.GetValue(5))));
        return reports;
    }

    public IReadOnlyList<TrialRecord> Trials(string sweep)
    {
        using var connection = Open();
        using var command = Command(connection, null, $"SELECT {Columns} FROM trials WHERE sweep = @sweep ORDER BY position", ("sweep", sweep));
        using var reader = command.ExecuteReader();
        var trials = new List<TrialRecord>();
        while (reader.Read()) trials.Add(ReadTrial(reader));
        return trials;
    }

    public TrialCounts Counts(string sweep)
    {
        var byState = Trials(sweep).GroupBy(t => t.State).ToDictionary(g => g.Key, g => g.Count());
        int Of(TrialState s) => byState.GetValueOrDefault(s);
        return new TrialCounts(Of(TrialState.Pending), Of(TrialState.Running), Of(TrialState.Done), Of(TrialState.Failed), Of(TrialState.Pruned));
    }

    static TrialRecord ReadTrial(DbDataReader r) => new(
        Convert.ToInt64(r.GetValue(0)), r.GetString(1), r.GetString(2), Convert.ToInt32(r.GetValue(3)), r.GetString(4),
        Convert.ToInt64(r.GetValue(5)), r.GetString(6), TrialStates.Parse(r.GetString(7)), Convert.ToInt32(r.GetValue(8)),
        r.IsDBNull(9) ? null : r.GetString(9),
        r.IsDBNull(10) ? null : DateTimeOffset.FromUnixTimeMilliseconds(Convert.ToInt64(r.GetValue(10))),
        r.IsDBNull(11) ? null : r.GetString(11), Convert.ToInt32(r.GetValue(12)));

    protected static DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }
        return command;
    }

    protected static void Execute(DbConnection connection, DbTransaction? transaction, string sql, params (string, object?)[] parameters)
    {
        using var command = Command(connection, transaction, sql, parameters);
        command.ExecuteNonQuery();
    }

    static object? Scalar(DbConnection connection, DbTransaction? transaction, string sql, params (string, object?)[] parameters)
    {
        using var command = Command(connection, transaction, sql, parameters);
        return command.ExecuteScalar();
    }
}
