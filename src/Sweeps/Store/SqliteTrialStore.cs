using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace TrainKit.Sweeps.Store;

/// <summary>The default store: one SQLite file (by default <c>OUT/trials.db</c> in the sweep folder), nothing to set
/// up. Workers on this machine share it; WAL mode lets readers run beside the one writer, and a claim is one
/// BEGIN IMMEDIATE transaction. Not for network filesystems (SQLite's locks are unreliable there): use PostgreSQL.</summary>
public sealed class SqliteTrialStore : TrialStore
{
    readonly string _connectionString;

    public SqliteTrialStore(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        _connectionString = new SqliteConnectionStringBuilder { DataSource = Path, Pooling = true, DefaultTimeout = 60 }.ToString();
        using var connection = Open();
        Execute(connection, null, "PRAGMA journal_mode = WAL");
    }

    public string Path { get; }

    public override string Describe => $"sqlite:{Path}";

    protected override string IdColumn => "INTEGER PRIMARY KEY AUTOINCREMENT";

    // BEGIN IMMEDIATE already serializes writers; SQLite has no row locks.
    protected override string ClaimLock => "";

    protected override DbConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        // SQLite's own busy handler also covers BEGIN IMMEDIATE waiting for another writer.
        Execute(connection, null, "PRAGMA busy_timeout = 60000");
        Execute(connection, null, "PRAGMA foreign_keys = ON");
        return connection;
    }

    protected override DbTransaction BeginWrite(DbConnection connection) =>
        ((SqliteConnection)connection).BeginTransaction(deferred: false); // BEGIN IMMEDIATE
}
