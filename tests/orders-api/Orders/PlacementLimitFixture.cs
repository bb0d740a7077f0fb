using System.Globalization;
using OrdersMail.OrdersApi.Tests.Support;

namespace OrdersMail.OrdersApi.Tests.Orders;

/// <summary>orders-api taking <see cref="PerMinute"/> orders a minute and <see cref="PerDay"/> a day from one user.</summary>
public sealed class PlacementLimitFixture : OrdersApiFixture
{
    /// <summary>Orders one user may place within a minute.</summary>
    public const int PerMinute = 3;

    /// <summary>Orders one user may place within a day.</summary>
    public const int PerDay = 5;

    /// <inheritdoc />
    protected override IReadOnlyDictionary<string, string?> MoreSettings => new Dictionary<string, string?>
    {
        ["OrdersApi:Placement:PerMinute"] = PerMinute.ToString(CultureInfo.InvariantCulture),
        ["OrdersApi:Placement:PerDay"] = PerDay.ToString(CultureInfo.InvariantCulture),
    };
}
