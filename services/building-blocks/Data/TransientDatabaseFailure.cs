using Npgsql;

namespace OrdersMail.BuildingBlocks.Data;

/// <summary>
/// Whether a failure is the database being unable to take work now, which waiting cures: no pooled connection came free
/// in time, the server refused or dropped a connection (too many clients, starting up, restarting), or a serialization
/// failure or deadlock ended the transaction. Npgsql's <see cref="NpgsqlException.IsTransient"/> decides, for the
/// exception or any it wraps. HTTP answers it with 503 and consumers wait it out instead of dead-lettering.
/// </summary>
public static class TransientDatabaseFailure
{
    /// <summary>True when <paramref name="exception"/>, or one it wraps, is such a failure.</summary>
    public static bool Is(Exception? exception) => exception switch
    {
        null => false,
        NpgsqlException npgsql => npgsql.IsTransient,
        TimeoutException => true,

        // A cancelled call (an HTTP client's timeout wraps a TimeoutException so) is another service's, not the database's.
        OperationCanceledException => false,
        _ => Is(exception.InnerException),
    };
}
