using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OrdersMail.Contracts.Outbound;
using OrdersMail.OrdersApi.Agent;
using OrdersMail.OrdersApi.Confirmation;
using OrdersMail.OrdersApi.Emails;
using OrdersMail.OrdersApi.Tests.Conversation;

namespace OrdersMail.OrdersApi.Tests.Agent;

/// <summary>What the agent tells a customer of their order confirmation: the newest confirmation's state.</summary>
public sealed class AgentConfirmationState_Specs(AgentFixture fixture) : IClassFixture<AgentFixture>
{
    private readonly AgentScenario _scenario = new(fixture);

    [Fact]
    public async Task When_a_failed_confirmation_was_sent_again_and_delivered_Should_say_it_was_delivered()
    {
        var orderId = await _scenario.PlaceOrderAsync();
        var failedAt = DateTimeOffset.UtcNow.AddMinutes(-10);
        var failed = Guid.NewGuid();
        var copy = Guid.NewGuid();
        await ApplyAsync(
            new OrderEmailUpdate(failed, orderId, DeliveryState.Queued, failedAt) { Kind = "order_confirmation", QueuedAt = failedAt },
            new OrderEmailUpdate(failed, orderId, DeliveryState.Failed, failedAt) { Detail = "403: the sending domain is not verified" },
            new OrderEmailUpdate(copy, orderId, DeliveryState.Queued, failedAt.AddMinutes(5)) { Kind = "order_confirmation", QueuedAt = failedAt.AddMinutes(5) },
            new OrderEmailUpdate(copy, orderId, DeliveryState.Delivered, failedAt.AddMinutes(6)));

        await _scenario.DeliverAsync(ConversationScenario.Routed(orderId));

        var body = _scenario.ReplyFile(orderId).GetProperty("body").GetString()!;
        Assert.Contains("Your order confirmation email was delivered.", body, StringComparison.Ordinal);
        Assert.DoesNotContain("could not be delivered", body, StringComparison.Ordinal);
    }

    /// <summary>
    /// Resend's <c>email.complained</c> comes after the email was delivered, when the customer marks it as spam: it was
    /// told the email could not be delivered, and shown the word "complained".
    /// </summary>
    [Fact]
    public async Task When_the_delivered_confirmation_was_marked_as_spam_Should_say_it_was_delivered()
    {
        var orderId = await _scenario.PlaceOrderAsync();
        var at = DateTimeOffset.UtcNow.AddMinutes(-10);
        var email = Guid.NewGuid();
        await ApplyAsync(
            new OrderEmailUpdate(email, orderId, DeliveryState.Queued, at) { Kind = "order_confirmation", QueuedAt = at },
            new OrderEmailUpdate(email, orderId, DeliveryState.Delivered, at.AddMinutes(1)),
            new OrderEmailUpdate(email, orderId, DeliveryState.Complained, at.AddMinutes(2)));

        await _scenario.DeliverAsync(ConversationScenario.Routed(orderId));

        var body = _scenario.ReplyFile(orderId).GetProperty("body").GetString()!;
        Assert.Contains("Your order confirmation email was delivered.", body, StringComparison.Ordinal);
        Assert.Contains("Confirmation email: delivered\n", body, StringComparison.Ordinal);
        Assert.DoesNotContain("could not be delivered", body, StringComparison.Ordinal);
        Assert.DoesNotContain("complained", body, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// A claim the confirmation sweeper gave up (its attempts spent, as it leaves it: given_up_at set, no file, so no
    /// order_emails row) was told to the customer as "on its way", an email that will never come.
    /// </summary>
    [Fact]
    public async Task When_the_confirmation_was_given_up_Should_say_it_could_not_be_delivered()
    {
        var orderId = await _scenario.PlaceOrderAsync();
        await using (var connection = await fixture.Api.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync())
        {
            await connection.ExecuteAsync(
                """
                insert into order_confirmations (order_id, email_id, reply_to, reason, attempts, given_up_at)
                values (@OrderId, @EmailId, 'orders@shop.test', 'inbox_timeout', 5, now())
                """,
                new { OrderId = orderId, EmailId = ConfirmationEmailIds.For(orderId) });
        }

        await _scenario.DeliverAsync(ConversationScenario.Routed(orderId, subject: "Where is my order?", text: "Where is my order?"));

        var body = _scenario.ReplyFile(orderId).GetProperty("body").GetString()!;
        Assert.DoesNotContain("on its way", body, StringComparison.Ordinal);
        Assert.Contains("Your order confirmation email could not be delivered, so please keep this email as your confirmation.", body, StringComparison.Ordinal);
        Assert.Contains("Confirmation email: not delivered\n", body, StringComparison.Ordinal);
    }

    /// <summary>Whatever the confirmation's state, the customer reads it in their words, never as our state's name.</summary>
    [Theory]
    [InlineData(null, "on its way", "is on its way to you.")]
    [InlineData("queued", "on its way", "is on its way to you.")]
    [InlineData("sent", "sent", "has been sent.")]
    [InlineData("delivery_delayed", "sent", "has been sent.")]
    [InlineData("delivered", "delivered", "was delivered.")]
    [InlineData("complained", "delivered", "was delivered.")]
    [InlineData("bounced", "not delivered", "could not be delivered")]
    [InlineData("failed", "not delivered", "could not be delivered")]
    [InlineData(ConfirmationWording.GivenUp, "not delivered", "could not be delivered")]
    public void Should_word_each_confirmation_state_for_the_customer(string? state, string status, string sentence)
    {
        var facts = new OrderFacts("ORD-1", "placed", "Jane", "EUR", 10m, [new OrderFactsItem("Mug", 1, 10m)], "jane-orders@agentmail.to", state);

        var body = RuleBasedReplyComposer.Compose(new ReplyRequest(Intent.WhereIsMyOrder, facts, "Where is my order?", "Where is it?", "jane.doe@example.com", "jane@agentmail.to")).Body;

        Assert.Contains($"Confirmation email: {status}\n", body, StringComparison.Ordinal);
        Assert.Contains($"Your order confirmation email {sentence}", body, StringComparison.Ordinal);
        Assert.All(["queued", "delivery_delayed", "bounced", "complained", "failed"], internalName => Assert.DoesNotContain(internalName, body, StringComparison.OrdinalIgnoreCase));
    }

    private async Task ApplyAsync(params OrderEmailUpdate[] updates)
    {
        await using var connection = await fixture.Api.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
        foreach (var update in updates)
        {
            Assert.NotNull(await OrderEmails.ApplyAsync(connection, update, CancellationToken.None));
        }
    }
}
