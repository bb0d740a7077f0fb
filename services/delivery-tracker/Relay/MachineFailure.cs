using Npgsql;

namespace OrdersMail.DeliveryTracker.Relay;

/// <summary>
/// Tells a failure of the machine (the relay stopping, the database unreachable, busy or broken, a wait that ran out)
/// from one of the file at hand. The machine's is no fault of any file: the file is given back and tried again, its
/// attempts untouched. Anything else is the file's, counted as one of its attempts.
/// </summary>
public static class MachineFailure
{
    /// <summary>True when <paramref name="failure"/> is the machine's, not the file's.</summary>
    public static bool Is(Exception failure) => failure switch
    {
        OperationCanceledException or TimeoutException => true,

        // Data exceptions (22), integrity violations (23) and program limits (54): PostgreSQL refusing what this file carries.
        PostgresException e => e.SqlState is not ['2', '2' or '3', ..] and not ['5', '4', ..],
        NpgsqlException => true,
        _ => false,
    };
}
