using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OrdersMail.Contracts.Outbound;
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

    private async Task ApplyAsync(params OrderEmailUpdate[] updates)
    {
        await using var connection = await fixture.Api.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
        foreach (var update in updates)
        {
            Assert.True(await OrderEmails.ApplyAsync(connection, update, CancellationToken.None));
        }
    }
}
