using OrdersMail.OrdersApi.Confirmation;

namespace OrdersMail.OrdersApi.Tests.Confirmation;

/// <summary>The confirmation's email id, derived from its order.</summary>
public sealed class ConfirmationEmailIds_Specs
{
    [Fact]
    public void Should_give_an_order_the_same_version_5_id_every_time_and_another_order_another()
    {
        var order = new Guid("0b8f4f5e-3c2a-4d1e-9f00-1a2b3c4d5e6f");

        var id = ConfirmationEmailIds.For(order);

        Assert.Equal(id, ConfirmationEmailIds.For(new Guid(order.ToString())));
        Assert.NotEqual(id, ConfirmationEmailIds.For(Guid.NewGuid()));
        Assert.Equal(5, id.Version);
        Assert.InRange(id.Variant, 0x8, 0xB);
    }
}
