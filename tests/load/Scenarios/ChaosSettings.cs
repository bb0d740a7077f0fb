namespace OrdersMail.Load.Scenarios;

/// <summary>How big the chaos scenario is and how long it gives the system.</summary>
/// <param name="Rate">Orders POSTed a second while the faults happen.</param>
/// <param name="MaxOrders">At most this many orders, however long the faults take; high enough that orders keep coming through the last fault (a small run took 5.5 min here).</param>
/// <param name="Customers">Customers the orders are spread over (order i is customer i mod this).</param>
/// <param name="Lead">Load before the first fault.</param>
/// <param name="Outage">How long a stopped server stays down before it is started again.</param>
/// <param name="DrainTimeout">How long, at most, the orders accepted before a recovery may take to finish after it.</param>
public sealed record ChaosSettings(double Rate, int MaxOrders, int Customers, TimeSpan Lead, TimeSpan Outage, TimeSpan DrainTimeout)
{
    /// <summary>People's size: 10 orders a second (scenario 1 at a reduced pace), over 400 customers.</summary>
    public static readonly ChaosSettings Full = new(10, 6000, 400, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5));

    /// <summary>CI's size: 3 orders a second over 20 customers.</summary>
    public static readonly ChaosSettings Small = new(3, 1500, 20, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(3), TimeSpan.FromMinutes(2));
}
