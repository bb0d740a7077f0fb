using System.Text.Json.Nodes;
using OrdersMail.MailSandbox.Resend;
using OrdersMail.Testing;

namespace OrdersMail.MailSandbox.Tests.Resend;

/// <summary>The idempotency store's time and scoping rules, on a manual clock.</summary>
public sealed class IdempotencyStore_Specs
{
    private readonly ManualClock _clock = new();

    [Fact]
    public void When_24_hours_pass_Should_forget_the_send()
    {
        var store = new IdempotencyStore(_clock);
        store.Remember("re_a", "key", JsonNode.Parse("{}")!, "id-1");

        _clock.Advance(TimeSpan.FromHours(24) - TimeSpan.FromSeconds(1));
        var justBefore = store.Find("re_a", "key");
        _clock.Advance(TimeSpan.FromSeconds(1));
        var after = store.Find("re_a", "key");

        Assert.Equal("id-1", justBefore?.EmailId);
        Assert.Null(after);
    }

    [Fact]
    public void When_a_key_is_in_flight_Should_refuse_it_until_it_ends()
    {
        var store = new IdempotencyStore(_clock);

        var first = store.TryBegin("re_a", "key");
        var concurrent = store.TryBegin("re_a", "key");
        var otherApiKey = store.TryBegin("re_b", "key");
        store.End("re_a", "key");
        var afterEnd = store.TryBegin("re_a", "key");

        Assert.True(first);
        Assert.False(concurrent);
        Assert.True(otherApiKey);
        Assert.True(afterEnd);
    }

    [Fact]
    public void When_reset_Should_forget_everything()
    {
        var store = new IdempotencyStore(_clock);
        store.Remember("re_a", "key", JsonNode.Parse("{}")!, "id-1");
        store.TryBegin("re_a", "other");

        store.Reset();

        Assert.Null(store.Find("re_a", "key"));
        Assert.True(store.TryBegin("re_a", "other"));
    }
}
