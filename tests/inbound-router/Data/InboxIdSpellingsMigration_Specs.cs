using Dapper;
using OrdersMail.BuildingBlocks.Data.Migrations;
using OrdersMail.InboundRouter.Tests.Support;

namespace OrdersMail.InboundRouter.Tests.Data;

/// <summary>
/// Migration 0150 drops what the router stored under another spelling of an inbox's address (an unsigned event was
/// enough) and keeps every inbox as AgentMail spells it, and any inbox whose spelling nothing tells apart.
/// </summary>
public sealed class InboxIdSpellingsMigration_Specs : IAsyncLifetime
{
    private readonly RouterWorld _world = new();

    public Task InitializeAsync() => _world.InitializeAsync();

    public Task DisposeAsync() => _world.DisposeAsync();

    [Fact]
    public async Task Should_drop_the_webhooks_and_looks_stored_under_another_spelling_of_a_known_inbox_only()
    {
        var sql = Migration.LoadFrom(typeof(InboundRouterService).Assembly).Single(m => m.Version == 150).Sql;
        await using var connection = await _world.Infrastructure.Database.OpenConnectionAsync();
        await connection.ExecuteAsync(
            """
            insert into inbound.inbox_owners (inbox_id, user_id) values ('jane.1@agentmail.to', 'user_jane');
            insert into inbound.inbox_webhooks (inbox_id, webhook_id, secret, as_of) values
                ('jane.1@agentmail.to', 'ep_new', null, now()), ('JANE.1@agentmail.to', 'ep_old', 'whsec_old', now()),
                ('Jane.1@AgentMail.to', 'ep_old', 'whsec_old', now()), ('learnt.first@agentmail.to', 'ep_first', 'whsec_first', now());
            insert into inbound.missed_mail_lookups (inbox_id) values ('jane.1@agentmail.to'), ('JANE.1@agentmail.to'), ('learnt.first@agentmail.to');
            """);

        await connection.ExecuteAsync("set search_path to inbound; " + sql + "; reset search_path");

        Assert.Equal(
            ["jane.1@agentmail.to", "learnt.first@agentmail.to"],
            await connection.QueryAsync<string>("select inbox_id from inbound.inbox_webhooks order by inbox_id collate \"C\""));
        Assert.Equal(
            ["jane.1@agentmail.to", "learnt.first@agentmail.to"],
            await connection.QueryAsync<string>("select inbox_id from inbound.missed_mail_lookups order by inbox_id collate \"C\""));
    }
}
