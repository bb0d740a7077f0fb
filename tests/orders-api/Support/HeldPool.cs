using Npgsql;

namespace OrdersMail.OrdersApi.Tests.Support;

/// <summary>A database too busy to take a request: every connection of the host's pool held by the spec.</summary>
internal static class HeldPool
{
    /// <summary>
    /// Opens the pool's every connection (<paramref name="poolSize"/>, its <c>Postgres:MaxPoolSize</c>); the host's own
    /// background work may hold one already, so it takes what comes within the pool's timeout. Dispose them to free the pool.
    /// </summary>
    public static async Task<List<NpgsqlConnection>> HoldEveryConnectionAsync(NpgsqlDataSource pool, int poolSize)
    {
        var held = new List<NpgsqlConnection>();
        try
        {
            while (held.Count < poolSize)
            {
                held.Add(await pool.OpenConnectionAsync());
            }
        }
        catch (NpgsqlException e) when (e.IsTransient && held.Count > 0)
        {
            // The rest of the pool is busy with the host's own work: the request still finds none free.
        }

        return held;
    }
}
