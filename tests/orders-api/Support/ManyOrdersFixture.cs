namespace OrdersMail.OrdersApi.Tests.Support;

/// <summary>orders-api taking more orders a minute from one user than its default limit, for specs that page through many.</summary>
public sealed class ManyOrdersFixture : OrdersApiFixture
{
    /// <inheritdoc />
    protected override IReadOnlyDictionary<string, string?> MoreSettings => new Dictionary<string, string?>
    {
        ["OrdersApi:Placement:PerMinute"] = "100",
    };
}
