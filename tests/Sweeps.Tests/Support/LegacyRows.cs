using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;
using TrainKit.Sweeps.Store;

namespace TrainKit.Sweeps.Tests.Support;

/// <summary>Writes rows into a store the way an older TrainKit did (only the columns its schema version had), for
/// the migration tests: today's <see cref="TrialStore.AddSweep"/> writes columns an old schema lacks.</summary>
public static class LegacyRows
{
    public static void Execute(string url, params string[] statements)
    {
        using DbConnection connection = url.StartsWith("sqlite:", StringComparison.Ordinal)
            ? new SqliteConnection($"Data Source={url["sqlite:".Length..]}")
            : new NpgsqlConnection(TrialStores.ConnectionString(url));
        connection.Open();
        foreach (string sql in statements)
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            command.ExecuteNonQuery();
        }
    }

    /// <summary>A sweep <paramref name="sweep"/> with <paramref name="trials"/> pending trials cell000, cell001, … in the
    /// columns of schema version 1 (also valid at version 2).</summary>
    public static void AddSweep(string url, string sweep, int trials) =>
        Execute(url, [
            $"INSERT INTO sweeps (name, spec, out_dir, created_ms) VALUES ('{sweep}', '{{\"name\":\"{sweep}\"}}', '/tmp/unused', 0)",
            .. Enumerable.Range(0, trials).Select(i =>
                $"INSERT INTO trials (sweep, name, position, variant, seed, config, state, attempts, updated_ms) VALUES ('{sweep}', 'cell{i:D3}', {i}, 'v', {i}, '{{}}', 'pending', 0, 0)"),
        ]);
}
