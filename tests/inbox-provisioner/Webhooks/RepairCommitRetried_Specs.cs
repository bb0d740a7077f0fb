using System.Text.Json.Nodes;
using Dapper;
using OrdersMail.InboxProvisioner.Tests.Support;

namespace OrdersMail.InboxProvisioner.Tests.Webhooks;

/// <summary>
/// The saga's transaction for a repair failing once as it commits (a serialization failure, which the endpoint's outage
/// retry takes for the database being busy), on the real servers: the repair is delivered again to a saga that never
/// counted it, and must ask for the next read-back once.
/// </summary>
public sealed class RepairCommitRetried_Specs(ProvisionerFixture fixture) : FaultInjectingSpecs<ProvisionerFixture>(fixture), IClassFixture<ProvisionerFixture>
{
    /// <summary>
    /// A webhook stored without one of its event types is patched (InboxWebhookRepaired, attempt 1), and the saga's first
    /// commit of that repair fails: its retry counts the attempt and asks for one read-back, so the order is announced
    /// ready once. Asked twice, both read-backs found the webhook right and InboxReady went out twice.
    /// </summary>
    [Fact]
    public async Task Should_read_the_repaired_webhook_back_once_when_the_repairs_first_commit_fails()
    {
        var order = ProvisionerFixture.Order(ProvisionerFixture.NewUser());
        await FailTheRepairsFirstCommitAsync(order.OrderId);
        await Fixture.AgentMail.FaultAsync("inbox_webhooks.create", new JsonObject { ["stored_differs"] = "missing_event_type", ["times"] = 1 });

        await Fixture.PublishAsync(order);
        await Fixture.Outcomes.ReadyAsync(order.OrderId);
        // The second read-back, when there was one, follows the first within the lease's turn.
        await Task.Delay(TimeSpan.FromSeconds(2));

        Assert.Equal(2, await RepairCommitsAsync());
        Assert.Single(Fixture.Outcomes.Ready, r => r.OrderId == order.OrderId);
        var saga = await Fixture.SagaAsync(order.OrderId);
        Assert.Equal(["repaired", "verified"], saga.History.Where(h => h.Step == "reconcile").Select(h => h.Outcome));
    }

    // A trigger fails the first of the saga's updates that count the order's first repair: a sequence, which a rollback
    // does not take back, counts them.
    private async Task FailTheRepairsFirstCommitAsync(Guid orderId)
    {
        await using var connection = await Fixture.Infrastructure.Database.OpenConnectionAsync();
        await connection.ExecuteAsync($$"""
            create sequence provisioning.spec_repair_commits;
            create function provisioning.spec_fail_repair_commit_once() returns trigger language plpgsql as $$
            begin
                if new.correlation_id = '{{orderId}}'
                    and (old.data ->> 'reconcileAttempts')::int = 1 and (new.data ->> 'reconcileAttempts')::int = 2
                    and nextval('provisioning.spec_repair_commits') = 1 then
                    raise exception 'the repair''s first commit fails (spec)' using errcode = '40001';
                end if;
                return new;
            end $$;
            create trigger spec_fail_repair_commit_once before update on provisioning.provisioning_sagas
                for each row execute function provisioning.spec_fail_repair_commit_once();
            """);
    }

    // The updates that counted the repair: the one that failed, then its retry's.
    private async Task<long> RepairCommitsAsync()
    {
        await using var connection = await Fixture.Infrastructure.Database.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>("select case when is_called then last_value else 0 end from provisioning.spec_repair_commits");
    }
}
