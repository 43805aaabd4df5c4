using System.Data.Common;
using Npgsql;

namespace TrainKit.Sweeps.Store;

/// <summary>The store across machines: a PostgreSQL database any worker can reach. A claim is one UPDATE whose
/// row comes from <c>SELECT … FOR UPDATE SKIP LOCKED</c>, so concurrent claimers pass over each other's rows
/// instead of queueing on them.</summary>
public sealed class PostgresTrialStore(string connectionString) : TrialStore
{
    // Any constant: the key of the advisory lock that serializes schema migrations across workers.
    const long MigrationLockKey = 0x7472_6169_6e6b_6974; // "trainkit"
    readonly NpgsqlDataSource _source = NpgsqlDataSource.Create(connectionString);

    public override string Describe
    {
        get
        {
            var builder = new NpgsqlConnectionStringBuilder(connectionString);
            return $"postgresql://{builder.Username}@{builder.Host}:{builder.Port}/{builder.Database}";
        }
    }

    protected override string IdColumn => "BIGSERIAL PRIMARY KEY";

    protected override string ClaimLock => "FOR UPDATE SKIP LOCKED";

    protected override DbConnection Open() => _source.OpenConnection();

    protected override DbTransaction BeginWrite(DbConnection connection) => connection.BeginTransaction();

    protected override void LockForMigration(DbConnection connection, DbTransaction transaction) =>
        Execute(connection, transaction, "SELECT pg_advisory_xact_lock(@key)", ("key", MigrationLockKey));
}
