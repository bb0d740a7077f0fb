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

    [Theory]
    // Ids the confirmations of these orders already have (stored in rows and outbox files, sent as Idempotency-Keys):
    // derived before NameBasedGuid was shared, and checked against Python's uuid.uuid5.
    [InlineData("0b8f4f5e-3c2a-4d1e-9f00-1a2b3c4d5e6f", "f1bd2c47-a83d-5c57-959e-b79ac9aeb8f9")]
    [InlineData("7c9e6679-7425-40de-944b-e07fc1f90ae7", "7e0bb975-0ea6-5959-aa17-0445d83c08ed")]
    [InlineData("00000000-0000-0000-0000-000000000000", "63c1066b-8c39-5363-b432-b3fc56253571")]
    public void Should_keep_the_ids_orders_already_have(string order, string id) =>
        Assert.Equal(new Guid(id), ConfirmationEmailIds.For(new Guid(order)));
}
