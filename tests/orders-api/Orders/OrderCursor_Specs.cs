using OrdersMail.OrdersApi.Orders;

namespace OrdersMail.OrdersApi.Tests.Orders;

public sealed class OrderCursor_Specs
{
    [Fact]
    public void Should_read_back_what_it_wrote()
    {
        var cursor = new OrderCursor(new DateTime(2025, 11, 21, 10, 30, 15, DateTimeKind.Utc).AddTicks(1230), Guid.NewGuid());

        Assert.True(OrderCursor.TryDecode(cursor.Encode(), out var read));
        Assert.Equal(cursor, read);
        Assert.Equal(DateTimeKind.Utc, read.CreatedAt.Kind);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-a-cursor")]
    [InlineData("MTIzNDU")]
    [InlineData("%%%")]
    public void When_it_is_not_a_cursor_this_API_wrote_Should_refuse_it(string text)
    {
        Assert.False(OrderCursor.TryDecode(text, out _));
    }
}
