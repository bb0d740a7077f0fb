using OrdersMail.BuildingBlocks.Delivery;
using OrdersMail.Contracts.Outbound;

namespace OrdersMail.BuildingBlocks.Tests.Delivery;

/// <summary>
/// The delivery states' stored names and ranks, written out: orders-api (<c>order_emails</c>) and delivery-tracker
/// (<c>outbound_emails</c>) each stored this table from a definition of their own before they shared one, and their
/// rows still hold it.
/// </summary>
public sealed class DeliveryStates_Specs
{
    private static readonly (DeliveryState State, string Name, int Rank)[] Stored =
    [
        (DeliveryState.Queued, "queued", 1),
        (DeliveryState.Sent, "sent", 2),
        (DeliveryState.DeliveryDelayed, "delivery_delayed", 3),
        (DeliveryState.Delivered, "delivered", 4),
        (DeliveryState.Bounced, "bounced", 5),
        (DeliveryState.Complained, "complained", 6),
        (DeliveryState.Failed, "failed", 7),
    ];

    public static TheoryData<DeliveryState, string, int> StoredStates()
    {
        var rows = new TheoryData<DeliveryState, string, int>();
        foreach (var (state, name, rank) in Stored)
        {
            rows.Add(state, name, rank);
        }

        return rows;
    }

    [Theory]
    [MemberData(nameof(StoredStates))]
    public void Should_store_a_state_under_the_name_and_rank_its_rows_hold(DeliveryState state, string name, int rank)
    {
        Assert.Equal(name, DeliveryStates.Name(state));
        Assert.Equal(rank, DeliveryStates.Rank(state));
    }

    [Fact]
    public void Should_have_a_stored_name_and_rank_written_out_for_every_state_of_the_contract() =>
        Assert.Equal(Enum.GetValues<DeliveryState>(), Stored.Select(row => row.State));
}
