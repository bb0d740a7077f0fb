using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using OrdersMail.InboxProvisioner.Customers;
using OrdersMail.InboxProvisioner.Steps.Inbox;
using OrdersMail.InboxProvisioner.Tests.Support;

namespace OrdersMail.InboxProvisioner.Tests.Customers;

/// <summary>
/// The inbox step that AgentMail refuses gives its customer's lease back before it publishes the failure, as it does
/// its success and the other steps theirs: a broker slow to confirm (or blocking publishers on an alarm) held the lease,
/// renewed, and every other step of the customer waited in vain and was deferred for as long.
/// </summary>
public sealed class RefusedInboxLease_Specs(ProvisionerFixture fixture) : FaultInjectingSpecs<ProvisionerFixture>(fixture), IClassFixture<ProvisionerFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task When_AgentMail_refuses_the_inbox_and_the_broker_holds_the_failure_Should_let_the_customers_next_step_lease_them()
    {
        var created = ProvisionerFixture.Order(ProvisionerFixture.NewUser());
        var order = new EnsureCustomerInbox(created.OrderId, created.OrderRef, created.UserId, created.CustomerEmail, created.PlacedAt);
        await Fixture.AgentMail.FaultAsync("inboxes.create", new JsonObject { ["error_status"] = 422, ["times"] = 1 });
        var (context, gate) = BlockedConsumeContext.Create(order);
        await using var scope = Fixture.Provisioner!.Services.CreateAsyncScope();
        var consumer = scope.ServiceProvider.GetRequiredService<EnsureCustomerInboxConsumer>();

        var consuming = consumer.Consume(context);
        try
        {
            await gate.Publishing.WaitAsync(Patience);
            var customers = new CustomerInboxes(
                Fixture.Provisioner.Services.GetRequiredService<NpgsqlDataSource>(),
                Options.Create(new ProvisioningOptions { LockTimeout = TimeSpan.FromSeconds(3) }));

            var busy = await Record.ExceptionAsync(async () =>
            {
                await using var next = await customers.LeaseAsync(order.UserId, CancellationToken.None);
            });

            Assert.True(busy is null, $"the refused step kept its customer's lease while its failure waited for the broker: {busy?.Message}");
        }
        finally
        {
            gate.Release();
        }

        await consuming.WaitAsync(Patience);
    }
}
