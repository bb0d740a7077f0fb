using System.ComponentModel.DataAnnotations;

namespace OrdersMail.OrdersApi.Orders;

/// <summary>
/// How many orders one signed-in user may place (section <c>OrdersApi:Placement</c>, <c>ORDERSMAIL_OrdersApi__Placement__...</c>):
/// at most <see cref="PerMinute"/> within a minute and <see cref="PerDay"/> within a day, counted in the database so every
/// replica and a restart share the count. Every order mails a confirmation to the address its body names and spends three
/// AgentMail calls, on the shared keys and the Resend team's quota: without a bound one account placing orders as fast as
/// the API takes them (about 40 a second) mails a stranger thousands of times a minute and spends the quota every other
/// customer's confirmation waits on.
/// </summary>
public sealed class PlacementLimitOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "OrdersApi:Placement";

    /// <summary>The window <see cref="PerMinute"/> counts in.</summary>
    public static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    /// <summary>The window <see cref="PerDay"/> counts in.</summary>
    public static readonly TimeSpan Day = TimeSpan.FromDays(1);

    /// <summary>
    /// Orders one user may place within a minute: 20. No one checks out a cart every three seconds by hand; the load
    /// tool's busiest customer places 16 a minute (the orders benchmark's 3,000 orders over 200 customers, the warm-up's
    /// one included) and the chaos scenario's <c>--small</c> 9, so the bound refuses none of them.
    /// </summary>
    [Range(1, 10_000)]
    public int PerMinute { get; set; } = 20;

    /// <summary>
    /// Orders one user may place within a day: 100, the confirmations one account can make the system mail in a day. A
    /// shop's customer orders a few times a week; the chaos scenario's <c>--small</c> customer places at most 75 (1,500
    /// orders over 20 customers), every other scenario's a handful.
    /// </summary>
    [Range(1, 1_000_000)]
    public int PerDay { get; set; } = 100;
}
