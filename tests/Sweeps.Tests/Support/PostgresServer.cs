using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace TrainKit.Sweeps.Tests.Support;

/// <summary>
/// A throwaway PostgreSQL cluster for the tests: Debian's postgresql binaries, initdb into a temp folder, started
/// on a free port on 127.0.0.1 and removed afterwards. PostgreSQL refuses to run as root, so as root the cluster
/// runs as the unprivileged user <c>nobody</c>. Each test gets its own database (<see cref="NewDatabaseUrl"/>).
/// </summary>
public sealed class PostgresServer : IDisposable
{
    public const string BinDirectory = "/usr/lib/postgresql/15/bin";
    const string User = "trainkit";
    readonly string _root;
    readonly string _data;
    int _databases;

    public PostgresServer()
    {
        if (!File.Exists(Path.Combine(BinDirectory, "initdb")))
            throw new InvalidOperationException($"PostgreSQL is not installed ({BinDirectory}/initdb missing): apt-get install postgresql (.ci/run does)");
        _root = Directory.CreateTempSubdirectory("trainkit-pg-").FullName;
        _data = Path.Combine(_root, "data");
        if (Environment.UserName == "root") Run("chown", "nobody", _root);
        Port = FreePort();
        RunAsServerUser("initdb", "-D", _data, "-A", "trust", "-U", User, "-E", "UTF8", "--no-sync");
        RunAsServerUser("pg_ctl", "-D", _data, "-l", Path.Combine(_root, "server.log"), "-w", "-t", "60", "start",
            "-o", $"-p {Port} -k {_root} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200");
    }

    public int Port { get; }

    /// <summary>A fresh, empty database on this server, as a --store URL.</summary>
    public string NewDatabaseUrl()
    {
        string name = $"t{Interlocked.Increment(ref _databases)}";
        using (var connection = new NpgsqlConnection($"Host=127.0.0.1;Port={Port};Username={User};Database=postgres;Pooling=false"))
        {
            connection.Open();
            using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            command.ExecuteNonQuery();
        }
        return $"postgresql://{User}@127.0.0.1:{Port}/{name}";
    }

    public void Dispose()
    {
        NpgsqlConnection.ClearAllPools();
        try { RunAsServerUser("pg_ctl", "-D", _data, "-m", "immediate", "-w", "stop"); }
        finally { Directory.Delete(_root, recursive: true); }
    }

    static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    static void RunAsServerUser(string tool, params string[] args)
    {
        string path = Path.Combine(BinDirectory, tool);
        if (Environment.UserName == "root") Run("runuser", ["-u", "nobody", "--", path, .. args]);
        else Run(path, args);
    }

    static void Run(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = "/tmp" };
        foreach (string arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        string stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited {process.ExitCode}: {stderr}{stdout.Result}");
    }
}

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "postgresql";
}
