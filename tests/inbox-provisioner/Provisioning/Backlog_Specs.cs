using System.Diagnostics;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OrdersMail.InboxProvisioner.Saga;
using OrdersMail.InboxProvisioner.Tests.Support;
using OrdersMail.Testing;

namespace OrdersMail.InboxProvisioner.Tests.Provisioning;

/// <summary>
/// A step's command waiting its turn in the step's queue is not a stuck step: the saga is not asked again while no
/// consumer has taken the command, and is provisioned once it runs. The sweeper counted the wait from the send, asked
/// the step again MaxResumes times and failed the saga after (MaxResumes + 1) × StepTimeout (8 minutes in production) of
/// plain backlog, although the command would have run minutes later.
/// </summary>
public sealed class Backlog_Specs(OneStepSlotFixture fixture) : IClassFixture<OneStepSlotFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    /// <summary>
    /// The inbox step's one slot held for 25 s by an order whose customer's lease is another holder's; a new customer's
    /// order queued behind it waits longer than the resumes used to last, and is then provisioned, never asked again.
    /// </summary>
    [Fact]
    public async Task Should_provision_an_order_whose_command_waited_behind_a_backlog_without_asking_it_again()
    {
        var ahead = ProvisionerFixture.Order(ProvisionerFixture.NewUser());
        await fixture.HoldLeaseElsewhereAsync(ahead.UserId);
        await fixture.PublishAsync(ahead);
        await Eventually.Until(
            () => TakenAsync(ahead.OrderId),
            taken => taken,
            Patience,
            "the first order's inbox step to be taken, to wait for the customer's lease in the one slot");

        var order = ProvisionerFixture.Order(ProvisionerFixture.NewUser());
        var clock = Stopwatch.StartNew();
        await fixture.PublishAsync(order);
        await fixture.Outcomes.ReadyAsync(order.OrderId);

        // What the sweeper gave a step before failing its saga, counted from the send: here 20 s.
        var limits = fixture.Provisioner!.Services.GetRequiredService<IOptions<ProvisioningOptions>>().Value;
        var resumesLasted = limits.StepTimeout * (limits.MaxResumes + 1);
        Assert.True(clock.Elapsed > resumesLasted, $"the order's command waited {clock.Elapsed}, no longer than the resumes lasted: no backlog was played");
        var saga = await fixture.SagaAsync(order.OrderId);
        Assert.DoesNotContain(saga.History, h => h.Step == "resume");
        Assert.Single(await fixture.AgentMail.InboxesOfAsync(order.UserId));
    }

    // The saga exists and no command of it waits in a queue: a step consumer has taken the one it sent.
    private async Task<bool> TakenAsync(Guid orderId)
    {
        await using var connection = await fixture.Infrastructure.Database.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<bool>(
            $"select exists (select from provisioning.provisioning_sagas where correlation_id = @orderId and data ->> '{ProvisioningState.StepQueuedAtField}' is null)",
            new { orderId });
    }
}
