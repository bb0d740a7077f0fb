using Npgsql;

namespace OrdersMail.BuildingBlocks.Data;

/// <summary>Where a service's PostgreSQL is: section <c>Postgres</c> (<c>ORDERSMAIL_Postgres__Port</c>...).</summary>
public sealed class PostgresOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string Section = "Postgres";

    /// <summary>Server host name or address.</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>Server port; deploy/local starts PostgreSQL on 55432 so it never clashes with a system server.</summary>
    public int Port { get; set; } = 55432;

    /// <summary>The highest <see cref="Port"/>, TCP's: past it every connect fails; Npgsql refuses 0 or less as it builds the data source, naming no setting.</summary>
    public const int HighestPort = 65535;

    /// <summary>The database all services share; each keeps to its own schema in it.</summary>
    public string Database { get; set; } = "ordersmail";

    /// <summary>Login role.</summary>
    public string Username { get; set; } = "ordersmail";

    /// <summary>Login password (the local default; set a real one through the environment anywhere else).</summary>
    public string Password { get; set; } = "ordersmail";

    /// <summary>
    /// The most connections this process's work opens (Npgsql's <c>Maximum Pool Size</c>); its health check keeps one
    /// more of its own, so a busy pool still reads as serving. Every process of every service draws
    /// on one server's <c>max_connections</c> (400 in deploy/local and docker-compose), and a request finding the pool
    /// empty waits <see cref="ConnectionTimeout"/> for a connection. No statement waits on another service while it
    /// holds a connection, so a few are enough: each one is a server process with its own catalog caches and plans, and
    /// a burst that opened 32 per service (128 backends on 2 cores) cost PostgreSQL about a quarter more CPU per order
    /// than 8 did (docs/benchmarks.md, "Smaller pools").
    /// </summary>
    public int MaxPoolSize { get; set; } = 8;

    /// <summary>
    /// The largest <see cref="MaxPoolSize"/>: the server's <c>max_connections</c> in deploy/local and docker-compose, which
    /// refuses any more. Npgsql allocates the pool's slots up front, so a count past it is memory taken for nothing.
    /// </summary>
    public const int MostConnections = 400;

    /// <summary>Statements each connection keeps prepared (Npgsql's <c>Max Auto Prepare</c>); 0 prepares none.</summary>
    public int MaxAutoPrepare { get; set; } = 64;

    /// <summary>
    /// The largest <see cref="MaxAutoPrepare"/>: well past the statements a service runs, each a plan kept by every
    /// connection's backend. Npgsql allocates the slots on each connection up front, and refuses a negative count naming no setting.
    /// </summary>
    public const int MostPrepared = 1000;

    /// <summary>How long opening a connection (or waiting for a free one in the pool) may take before it fails.</summary>
    public TimeSpan ConnectionTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The longest <see cref="ConnectionTimeout"/>: a request waits it for a connection before its 503, and its caller
    /// has given up long before. Npgsql refuses more than 1024 s (a plain number binds as days) naming no setting.
    /// </summary>
    public static readonly TimeSpan LongestConnectionTimeout = TimeSpan.FromMinutes(1);

    /// <summary>How long a start-up waits for the database (and its migration lock) before the host gives up.</summary>
    public TimeSpan StartupTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The shortest <see cref="StartupTimeout"/>: a database still starting takes seconds, and the migration lock's wait
    /// is counted in whole seconds. Polly's timeout refuses less than 10 ms, naming no setting.
    /// </summary>
    public static readonly TimeSpan ShortestStartupTimeout = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The longest <see cref="StartupTimeout"/>: a host waiting longer is better restarted by its supervisor. Polly's
    /// timeout refuses more than a day (a plain number binds as days), naming no setting.
    /// </summary>
    public static readonly TimeSpan LongestStartupTimeout = TimeSpan.FromHours(1);

    /// <summary>Builds the connection string for a service, named after it in <c>pg_stat_activity</c>, with its schema first on the search path.</summary>
    public string ConnectionString(string applicationName, string schema) => new NpgsqlConnectionStringBuilder
    {
        Host = Host,
        Port = Port,
        Database = Database,
        Username = Username,
        Password = Password,
        ApplicationName = applicationName,
        SearchPath = schema,
        Timeout = Math.Max(1, (int)Math.Ceiling(ConnectionTimeout.TotalSeconds)),
        MaxPoolSize = MaxPoolSize,
        CommandTimeout = 30,

        // A pooled connection goes back as it is, not reset with DISCARD ALL (one more round trip per open, ~20 per
        // provisioned order, and it drops prepared statements). No code keeps session state: settings come from this
        // string, locks are transaction-scoped, and Npgsql rolls back a transaction left open on return.
        NoResetOnClose = true,

        // Statements run often are prepared on each connection after a few runs, so PostgreSQL parses and plans them once.
        MaxAutoPrepare = MaxAutoPrepare,
    }.ConnectionString;
}
