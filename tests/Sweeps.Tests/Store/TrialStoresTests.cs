using TrainKit.Sweeps.Store;

namespace TrainKit.Sweeps.Tests.Store;

public class TrialStoresTests
{
    [Fact]
    public void A_postgresql_url_becomes_an_npgsql_connection_string()
    {
        string cs = TrialStores.ConnectionString("postgresql://alice:s%40cret@db.example:6543/sweeps?sslmode=require");
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(cs);
        Assert.Equal(("db.example", 6543, "sweeps", "alice", "s@cret"), (builder.Host, builder.Port, builder.Database, builder.Username, builder.Password));
        Assert.Equal(Npgsql.SslMode.Require, builder.SslMode);
        Assert.Equal(5432, new Npgsql.NpgsqlConnectionStringBuilder(TrialStores.ConnectionString("postgres://bob@h/d")).Port);
    }

    [Theory]
    [InlineData("mysql://x/y", "is neither sqlite:PATH nor postgresql://")]
    [InlineData("postgresql://u:hunter2@h:5432/", "names no database")]
    [InlineData("postgresql://u@h/d?nosuchsetting=1", "unknown PostgreSQL setting 'nosuchsetting'")]
    [InlineData("sqlite:", "needs a file path")]
    public void A_bad_store_url_is_refused_with_a_message_naming_the_flag(string url, string message)
    {
        var ex = Assert.Throws<ArgumentException>(() => TrialStores.Parse(url));
        Assert.Contains(message, ex.Message);
        Assert.Contains("--store", ex.Message);
        Assert.DoesNotContain("hunter2", ex.Message);
    }

    [Fact]
    public void Without_a_url_the_store_is_the_sweep_folders_sqlite_file()
    {
        string? saved = Environment.GetEnvironmentVariable(TrialStores.EnvironmentVariable);
        try
        {
            Environment.SetEnvironmentVariable(TrialStores.EnvironmentVariable, null);
            Assert.Equal("sqlite:" + Path.GetFullPath("runs/x/trials.db"), TrialStores.ResolveUrl(null, "runs/x"));
            Environment.SetEnvironmentVariable(TrialStores.EnvironmentVariable, "postgresql://u@h/d");
            Assert.Equal("postgresql://u@h/d", TrialStores.ResolveUrl(null, "runs/x"));
            Assert.Equal("sqlite:a.db", TrialStores.ResolveUrl("sqlite:a.db", "runs/x"));
        }
        finally { Environment.SetEnvironmentVariable(TrialStores.EnvironmentVariable, saved); }
    }
}
