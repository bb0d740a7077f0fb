namespace OrdersMail.Load.Scenarios;

/// <summary>How big the order storm is.</summary>
/// <param name="Orders">Orders to place.</param>
/// <param name="Customers">Customers they are spread over (order i is customer i mod this), so some customers order twice at once.</param>
/// <param name="Concurrency">POSTs in flight at once.</param>
/// <param name="Timeout">How long every order may take to be confirmed and delivered, from the first POST.</param>
/// <param name="Warmup">Orders of other customers placed and waited for first, unmeasured, so JIT and pool warm-up is not billed to the storm.</param>
public sealed record OrderStormSettings(int Orders, int Customers, int Concurrency, TimeSpan Timeout, int Warmup)
{
    /// <summary>The full size: 2,000 orders from 1,500 customers.</summary>
    public static readonly OrderStormSettings Full = new(2000, 1500, 16, TimeSpan.FromMinutes(15), 50);

    /// <summary>Each of the scale-out scenario's two storms: 1,000 orders from 750 customers.</summary>
    public static readonly OrderStormSettings ScaleOut = Full with { Orders = 1000, Customers = 750 };

    /// <summary>CI's size: 40 orders from 30 customers.</summary>
    public static readonly OrderStormSettings Small = new(40, 30, 8, TimeSpan.FromMinutes(3), 0);
}

/// <summary>One order the storm placed.</summary>
/// <param name="Id">Its id.</param>
/// <param name="Ref">Its reference, which the confirmation's subject names.</param>
/// <param name="Customer">Its customer's index.</param>
/// <param name="PostedAt">When its POST was sent, Unix seconds.</param>
public sealed record StormOrder(Guid Id, string Ref, int Customer, double PostedAt);

/// <summary>What the storm did, for the scenarios that follow it.</summary>
/// <param name="RunId">The run's id, in every user id and address.</param>
/// <param name="Orders">The orders accepted.</param>
/// <param name="UserIds">Each customer's user id, by index.</param>
/// <param name="Tokens">Each customer's session token, by index.</param>
public sealed record StormOutcome(string RunId, IReadOnlyList<StormOrder> Orders, IReadOnlyList<string> UserIds, IReadOnlyList<string> Tokens);
