using Microsoft.Extensions.Options;
using OrdersMail.InboundRouter.Routing;
using OrdersMail.InboundRouter.Tests.Support;

namespace OrdersMail.InboundRouter.Tests.Routing;

/// <summary>
/// The ingress hands recorded emails to its pump only within the room it reserved before the insert: a pump that is
/// behind gets no more (those rows are recorded unclaimed, for any pump's claim), and the pump takes them oldest first.
/// </summary>
public sealed class HandedEmails_Specs
{
    // Batches of 2, one loop: room for 8 (four batches per loop).
    private readonly HandedEmails _handed = new(Options.Create(new RoutingOptions { BatchSize = 2, Batches = 1 }));

    [Fact]
    public void Should_reserve_room_only_while_what_is_held_leaves_enough()
    {
        Assert.True(_handed.TryReserve(5));
        Assert.False(_handed.TryReserve(4));
        Assert.True(_handed.TryReserve(3));
        Assert.False(_handed.TryReserve(1));
    }

    [Fact]
    public void Should_free_the_room_of_emails_not_recorded_and_of_emails_taken()
    {
        Assert.True(_handed.TryReserve(8));
        _handed.Hand([Claimed("a"), Claimed("b")], reserved: 5);
        _handed.Release(3);
        Assert.True(_handed.TryReserve(6));
        Assert.False(_handed.TryReserve(1));

        var taken = _handed.Take(10);

        Assert.Equal(["a", "b"], taken.Select(c => c.SvixId));
        Assert.True(_handed.TryReserve(2));
    }

    [Fact]
    public void Should_give_a_pump_at_most_its_batch_oldest_first()
    {
        Assert.True(_handed.TryReserve(3));
        _handed.Hand([Claimed("first"), Claimed("second"), Claimed("third")], reserved: 3);

        Assert.Equal(["first", "second"], _handed.Take(2).Select(c => c.SvixId));
        Assert.Equal(["third"], _handed.Take(2).Select(c => c.SvixId));
        Assert.Empty(_handed.Take(2));
    }

    [Fact]
    public void Should_refuse_more_emails_than_were_reserved()
    {
        Assert.True(_handed.TryReserve(1));
        Assert.Throws<ArgumentException>(() => _handed.Hand([Claimed("a"), Claimed("b")], reserved: 1));
    }

    private static ClaimedEmail Claimed(string svixId) => new(svixId, RouterWorld.Email("inbox_handed", $"<{svixId}@customer.example>"), null, 1);
}
