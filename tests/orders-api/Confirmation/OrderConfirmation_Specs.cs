using System.Text.Json.Nodes;
using OrdersMail.BuildingBlocks.MailOutbox;
using OrdersMail.Contracts.Provisioning;
using OrdersMail.OrdersApi.Confirmation;
using OrdersMail.OrdersApi.Tests.Orders;

namespace OrdersMail.OrdersApi.Tests.Confirmation;

/// <summary>The confirmation written when provisioning ends, with provisioning's events published on the real broker.</summary>
public sealed class OrderConfirmation_Specs(PatientConfirmationFixture fixture) : IClassFixture<PatientConfirmationFixture>
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    [Fact]
    public async Task When_the_inbox_is_ready_Should_write_one_confirmation_to_the_customer_replying_to_the_inbox()
    {
        var (orderId, orderRef) = await fixture.PlaceOrderAsync("user_confirm_ready");

        await fixture.PublishAsync(Ready(orderId, orderRef, "user_confirm_ready", "jane-7@agentmail.to"));

        var email = Assert.Single(fixture.FilesOf(orderId));
        Assert.Equal(["jane@example.com"], email.To);
        Assert.Equal("jane-7@agentmail.to", email.ReplyTo);
        Assert.Contains(orderRef, email.Subject, StringComparison.Ordinal);
        Assert.Equal(
            $"""
            Hello Jane Doe,

            Thank you for your order {orderRef}. Here is what you ordered:

              2 x Mug (MUG-01) at 12.50 EUR = 25.00 EUR
              1 x T-shirt (TEE-02) at 20.00 EUR = 20.00 EUR

            Total: 45.00 EUR

            Questions about your order? Just reply to this email.

            """.ReplaceLineEndings("\n"),
            email.Body);
        Assert.Equal((ConfirmationEmailIds.For(orderId), OutboxEmailKinds.OrderConfirmation, OutboxEmail.PendingStatus), (email.EmailId, email.Kind, email.Status));
    }

    /// <summary>A currency without minor units: yen are written whole, as ISO 4217 has them, where it said 1500.00 JPY.</summary>
    [Fact]
    public async Task When_the_order_is_in_yen_Should_write_its_amounts_without_decimals()
    {
        var body = OrderRequests.Body(order =>
        {
            order["currency"] = "JPY";
            order["items"] = new JsonArray(new JsonObject { ["sku"] = "MUG-01", ["name"] = "Mug", ["quantity"] = 2, ["unit_price"] = 750 });
        });
        var (orderId, orderRef) = await fixture.PlaceOrderAsync("user_confirm_yen", body: body);

        await fixture.PublishAsync(Ready(orderId, orderRef, "user_confirm_yen", "jane-8@agentmail.to"));

        var email = Assert.Single(fixture.FilesOf(orderId));
        Assert.Contains("  2 x Mug (MUG-01) at 750 JPY = 1500 JPY\n", email.Body, StringComparison.Ordinal);
        Assert.Contains("Total: 1500 JPY\n", email.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_InboxReady_is_delivered_twice_Should_write_one_file()
    {
        var (orderId, orderRef) = await fixture.PlaceOrderAsync("user_confirm_twice");

        await fixture.PublishAsync(Ready(orderId, orderRef, "user_confirm_twice", "first@agentmail.to"));
        await fixture.PublishAsync(Ready(orderId, orderRef, "user_confirm_twice", "second@agentmail.to"));

        Assert.Equal("first@agentmail.to", Assert.Single(fixture.FilesOf(orderId)).ReplyTo);
    }

    [Fact]
    public async Task When_the_same_InboxReady_is_redelivered_Should_show_the_inbox_on_the_order_and_write_one_file()
    {
        var (orderId, orderRef) = await fixture.PlaceOrderAsync("user_confirm_redelivered");
        var messageId = Guid.NewGuid();

        await fixture.PublishAsync(Ready(orderId, orderRef, "user_confirm_redelivered", "jane-9@agentmail.to"), messageId);
        await fixture.PublishAsync(Ready(orderId, orderRef, "user_confirm_redelivered", "jane-9@agentmail.to"), messageId);

        // One consume applied both: the order's view and its confirmation's claim commit together.
        var order = await fixture.OrderAsync("user_confirm_redelivered", orderId);
        Assert.Equal("jane-9@agentmail.to", order["reply_address"]!.GetValue<string>());
        Assert.Equal("jane-9@agentmail.to", Assert.Single(fixture.FilesOf(orderId)).ReplyTo);
    }

    [Fact]
    public async Task When_provisioning_fails_Should_reply_to_the_default_address_and_a_later_InboxReady_writes_nothing()
    {
        var (orderId, orderRef) = await fixture.PlaceOrderAsync("user_confirm_failed");

        await fixture.PublishAsync(new InboxProvisioningFailed(orderId, orderRef, "user_confirm_failed", "AgentMail kept answering 503", Now));
        await fixture.PublishAsync(Ready(orderId, orderRef, "user_confirm_failed", "late@agentmail.to"));

        Assert.Equal(ConfirmationFixture.DefaultReplyTo, Assert.Single(fixture.FilesOf(orderId)).ReplyTo);
    }

    [Fact]
    public async Task When_the_event_names_someone_elses_order_Should_write_nothing()
    {
        var (orderId, orderRef) = await fixture.PlaceOrderAsync("user_confirm_owner");

        await fixture.PublishAsync(Ready(orderId, orderRef, "user_confirm_intruder", "intruder@agentmail.to"));

        Assert.Empty(fixture.FilesOf(orderId));
    }

    private static InboxReady Ready(Guid orderId, string orderRef, string userId, string address) =>
        new(orderId, orderRef, userId, address, address, $"wh_{orderId:N}", Now);
}
