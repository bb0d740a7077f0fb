using System.Buffers.Text;
using OrdersMail.OrdersApi.Conversation;

namespace OrdersMail.OrdersApi.Tests.Conversation;

public sealed class MessageCursor_Specs
{
    [Fact]
    public void When_a_token_is_read_back_Should_be_the_same_position_to_the_microsecond()
    {
        var cursor = new MessageCursor(new DateTime(2025, 3, 4, 5, 6, 7, DateTimeKind.Utc).AddTicks(123_456_0), Guid.NewGuid());

        Assert.True(MessageCursor.TryDecode(cursor.Encode(), out var decoded));
        Assert.Equal(cursor, decoded);
        Assert.Equal(DateTimeKind.Utc, decoded.ReceivedAt.Kind);
    }

    [Fact]
    public void Should_be_url_safe()
    {
        var token = new MessageCursor(DateTime.UtcNow, Guid.NewGuid()).Encode();

        Assert.Equal(token, Uri.EscapeDataString(token));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-a-cursor")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!")]
    public void When_the_token_is_not_one_we_wrote_Should_be_refused(string token) =>
        Assert.False(MessageCursor.TryDecode(token, out _));

    [Fact]
    public void When_the_time_is_outside_what_a_date_can_hold_Should_be_refused()
    {
        var bytes = new byte[24];
        Array.Fill(bytes, (byte)0x7F, 0, 8);

        Assert.False(MessageCursor.TryDecode(Base64Url.EncodeToString(bytes), out _));
    }
}
