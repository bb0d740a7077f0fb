using System.Buffers.Text;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OrdersMail.OrdersApi.Http;
using OrdersMail.OrdersApi.Paging;

namespace OrdersMail.OrdersApi.Tests.Paging;

public sealed class PageCursors_Specs
{
    private static readonly CursorScope Scope = CursorScope.Orders("user_1");
    private static readonly PagePosition Position = new(new DateTime(2025, 3, 4, 5, 6, 7, DateTimeKind.Utc).AddTicks(123_456_0), Guid.NewGuid());
    private readonly PageCursors _cursors = new(RandomNumberGenerator.GetBytes(32));

    [Fact]
    public void When_a_cursor_is_read_back_in_its_own_list_Should_be_the_same_position_to_the_tick()
    {
        Assert.True(_cursors.TryRead(_cursors.Write(Position, Scope), Scope, out var read));

        Assert.Equal(Position, read);
        Assert.Equal(DateTimeKind.Utc, read.At.Kind);
    }

    [Fact]
    public void Should_be_url_safe_and_not_show_the_position_in_clear()
    {
        var cursor = _cursors.Write(Position, Scope);

        Assert.Equal(cursor, Uri.EscapeDataString(cursor));
        Assert.DoesNotContain(Position.Id.ToString("N"), cursor, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-a-cursor")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!")]
    [InlineData("\0")]
    public void When_the_cursor_is_made_up_Should_refuse_it(string cursor) =>
        Assert.False(_cursors.TryRead(cursor, Scope, out _));

    [Fact]
    public void When_a_position_is_forged_without_the_key_Should_refuse_it()
    {
        var forged = new PageCursors(RandomNumberGenerator.GetBytes(32)).Write(Position, Scope);

        Assert.False(_cursors.TryRead(forged, Scope, out _));
    }

    [Fact]
    public void When_any_byte_is_edited_Should_refuse_it()
    {
        var bytes = Base64Url.DecodeFromChars(_cursors.Write(Position, Scope));
        for (var i = 0; i < bytes.Length; i++)
        {
            var edited = (byte[])bytes.Clone();
            edited[i] ^= 0x01;
            Assert.False(_cursors.TryRead(Base64Url.EncodeToString(edited), Scope, out _), $"byte {i} edited");
        }
    }

    [Fact]
    public void When_the_cursor_is_truncated_or_extended_Should_refuse_it()
    {
        var cursor = _cursors.Write(Position, Scope);

        Assert.False(_cursors.TryRead(cursor[..^1], Scope, out _));
        Assert.False(_cursors.TryRead(cursor[..^4], Scope, out _));
        Assert.False(_cursors.TryRead(cursor + "A", Scope, out _));
    }

    [Fact]
    public void When_the_cursor_belongs_to_another_list_or_user_Should_refuse_it()
    {
        var orderId = Guid.NewGuid();
        var messages = _cursors.Write(Position, CursorScope.Messages(orderId, "user_1"));

        Assert.False(_cursors.TryRead(messages, CursorScope.Messages(Guid.NewGuid(), "user_1"), out _));
        Assert.False(_cursors.TryRead(messages, CursorScope.Messages(orderId, "user_2"), out _));
        Assert.False(_cursors.TryRead(messages, CursorScope.Orders("user_1"), out _));
        Assert.False(_cursors.TryRead(_cursors.Write(Position, Scope), CursorScope.Orders("user_2"), out _));
        Assert.False(_cursors.TryRead(_cursors.Write(Position, new CursorScope("ab", "c")), new CursorScope("a", "bc"), out _));
    }

    [Fact]
    public void When_the_key_is_configured_Should_read_cursors_another_process_wrote_with_it()
    {
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var options = Options.Create(new HttpOptions { CursorKey = key });

        var cursor = new PageCursors(options, NullLogger<PageCursors>.Instance).Write(Position, Scope);

        Assert.True(new PageCursors(options, NullLogger<PageCursors>.Instance).TryRead(cursor, Scope, out _));
    }

    [Fact]
    public void When_no_key_is_configured_Should_draw_one_per_process()
    {
        var options = Options.Create(new HttpOptions());

        var cursor = new PageCursors(options, NullLogger<PageCursors>.Instance).Write(Position, Scope);

        Assert.False(new PageCursors(options, NullLogger<PageCursors>.Instance).TryRead(cursor, Scope, out _));
    }

    [Theory]
    [InlineData("not base64!")]
    [InlineData("c2hvcnQ=")]
    public void When_the_configured_key_is_not_base64_of_32_bytes_Should_refuse_to_start(string key) =>
        Assert.True(new HttpOptionsValidator().Validate(null, new HttpOptions { CursorKey = key }).Failed);

    [Theory]
    [InlineData(0)]
    [InlineData(HttpOptions.KestrelMaxRequestBodyBytes + 1)]
    public void When_the_body_limit_is_not_below_Kestrels_Should_refuse_to_start(long limit) =>
        Assert.True(new HttpOptionsValidator().Validate(null, new HttpOptions { MaxRequestBodyBytes = limit }).Failed);
}
