using OrdersMail.Contracts.Outbound;
using OrdersMail.DeliveryTracker.Delivery;

namespace OrdersMail.DeliveryTracker.Tests.Delivery;

/// <summary>The forward-only rule, over every pair of states, written out rather than recomputed from the ranks.</summary>
public sealed class DeliveryProgress_Specs
{
    private static readonly DeliveryState[] States =
    [
        DeliveryState.Queued, DeliveryState.Sent, DeliveryState.DeliveryDelayed, DeliveryState.Delivered,
        DeliveryState.Bounced, DeliveryState.Complained, DeliveryState.Failed,
    ];

    // Row: the current state; column: the event's state, both in the order of States. Y: the email moves.
    private static readonly string[] Moves =
    [
        /* queued           */ ".YYYYYY",
        /* sent             */ "..YYYYY",
        /* delivery_delayed */ "...YYYY",
        /* delivered        */ "....YYY",
        /* bounced          */ ".....YY",
        /* complained       */ "......Y",
        /* failed           */ ".......",
    ];

    public static TheoryData<DeliveryState, DeliveryState, bool> EveryPair()
    {
        var pairs = new TheoryData<DeliveryState, DeliveryState, bool>();
        for (var current = 0; current < States.Length; current++)
        {
            for (var next = 0; next < States.Length; next++)
            {
                pairs.Add(States[current], States[next], Moves[current][next] == 'Y');
            }
        }

        return pairs;
    }

    [Theory]
    [MemberData(nameof(EveryPair))]
    public void Should_move_only_forward(DeliveryState current, DeliveryState next, bool moves) =>
        Assert.Equal(moves, DeliveryProgress.Advances(current, next));

    [Fact]
    public void Should_end_in_the_same_state_whatever_order_and_however_often_the_events_come()
    {
        var random = new Random(20261201);
        DeliveryState[] events = [DeliveryState.Sent, DeliveryState.DeliveryDelayed, DeliveryState.Delivered, DeliveryState.Bounced];
        for (var run = 0; run < 200; run++)
        {
            var arrivals = events.Concat(events.Where(_ => random.Next(2) == 0)).OrderBy(_ => random.Next()).ToList();

            var state = arrivals.Aggregate(DeliveryState.Queued, (current, next) => DeliveryProgress.Advances(current, next) ? next : current);

            Assert.Equal(DeliveryState.Bounced, state);
        }
    }
}
