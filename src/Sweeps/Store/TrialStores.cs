using Npgsql;

namespace TrainKit.Sweeps.Store;

/// <summary>Opens a store from its URL: <c>sqlite:PATH</c> (or a path ending in .db) or
/// <c>postgresql://USER:PASSWORD@HOST:PORT/DATABASE</c> (also <c>postgres://</c>; query keys such as
/// <c>?sslmode=require</c> pass through as Npgsql settings). The schema is created or migrated on open.</summary>
public static class TrialStores
{
    /// <summary>The environment variable read when --store is not given.</summary>
    public const string EnvironmentVariable = "TRAINKIT_STORE";
    public const string DefaultFileName = "trials.db";

    public static TrialStore Open(string url)
    {
        TrialStore store = Parse(url);
        store.Migrate();
        return store;
    }

    /// <summary>The store of a sweep folder: --store if given, else TRAINKIT_STORE, else OUT/trials.db.</summary>
    public static TrialStore ForSweep(string? url, string outDirectory) => Open(ResolveUrl(url, outDirectory));

    public static string ResolveUrl(string? url, string outDirectory) =>
        url ?? (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } env
            ? env
            : "sqlite:" + Path.GetFullPath(Path.Combine(outDirectory, DefaultFileName)));

    public static TrialStore Parse(string url)
    {
        if (url.StartsWith("sqlite:", StringComparison.Ordinal))
        {
            string path = url["sqlite:".Length..];
            if (path.StartsWith("//", StringComparison.Ordinal)) path = path[2..];
            if (path.Length == 0) throw new ArgumentException("--store sqlite:PATH needs a file path, e.g. sqlite:runs/sweep/trials.db");
            return new SqliteTrialStore(path);
        }
        if (url.EndsWith(".db", StringComparison.Ordinal) && !url.Contains("://", StringComparison.Ordinal))
            return new SqliteTrialStore(url);
        if (url.StartsWith("postgresql://", StringComparison.Ordinal) || url.StartsWith("postgres://", StringComparison.Ordinal))
            return new PostgresTrialStore(ConnectionString(url));
        throw new ArgumentException($"--store '{Redact(url)}' is neither sqlite:PATH nor postgresql://USER:PASSWORD@HOST:PORT/DATABASE");
    }

    /// <summary>The Npgsql connection string of a postgresql:// URL.</summary>
    public static string ConnectionString(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out Uri? uri) || uri.Host.Length == 0)
            throw new ArgumentException($"--store '{Redact(url)}' is not a valid postgresql://USER:PASSWORD@HOST:PORT/DATABASE URL");
        var builder = new NpgsqlConnectionStringBuilder { Host = uri.Host, Port = uri.IsDefaultPort || uri.Port < 0 ? 5432 : uri.Port };
        string database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        if (database.Length == 0) throw new ArgumentException($"--store '{Redact(url)}' names no database (…/DATABASE at the end)");
        builder.Database = database;
        if (uri.UserInfo.Length > 0)
        {
            string[] parts = uri.UserInfo.Split(':', 2);
            builder.Username = Uri.UnescapeDataString(parts[0]);
            if (parts.Length == 2) builder.Password = Uri.UnescapeDataString(parts[1]);
        }
        foreach (string pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] kv = pair.Split('=', 2);
            try { builder[Uri.UnescapeDataString(kv[0])] = kv.Length == 2 ? Uri.UnescapeDataString(kv[1]) : ""; }
            catch (ArgumentException ex) { throw new ArgumentException($"--store: unknown PostgreSQL setting '{kv[0]}' ({ex.Message})", ex); }
        }
        return builder.ConnectionString;
    }

    /// <summary>The URL with its password replaced, for messages.</summary>
    public static string Redact(string url) =>
        System.Text.RegularExpressions.Regex.Replace(url, @"(://[^:/@]+:)[^@]*@", "$1***@");
}
