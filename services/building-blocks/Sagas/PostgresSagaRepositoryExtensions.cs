using MassTransit;
using MassTransit.Configuration;
using MassTransit.Saga;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace OrdersMail.BuildingBlocks.Sagas;

/// <summary>Keeps a saga's instances in the service's own PostgreSQL schema, one row per instance.</summary>
public static class PostgresSagaRepositoryExtensions
{
    /// <summary>
    /// Stores <typeparamref name="TSaga"/> in <paramref name="table"/> of the service's schema, through the
    /// service's <see cref="Npgsql.NpgsqlDataSource"/>:
    /// <c>bus.AddSagaStateMachine&lt;OrderStateMachine, OrderState&gt;().PostgresRepository("order_sagas", s =&gt; s.CurrentState);</c>
    /// </summary>
    /// <remarks>
    /// <para>The service's own migration creates the table:</para>
    /// <code>
    /// create table order_sagas (
    ///     correlation_id uuid        primary key,
    ///     current_state  text        not null,
    ///     version        integer     not null,
    ///     data           jsonb       not null,
    ///     created_at     timestamptz not null default now(),
    ///     updated_at     timestamptz not null default now()
    /// );
    /// </code>
    /// <para>
    /// <c>data</c> is the instance as System.Text.Json writes it (web defaults: camelCase), so the saga's state class
    /// needs public settable properties and a parameterless constructor, and a <c>[JsonExtensionData]</c> dictionary
    /// (so do the records it holds), which keeps the fields of a newer build's instance that an older build's replica
    /// moves on during a rolling upgrade. <c>current_state</c> is a copy of the state
    /// for ops queries; <c>version</c> starts at 1 and goes up by one on each update; <c>updated_at</c> is stamped on
    /// every write, so a sweeper can find instances stuck in a state.
    /// </para>
    /// <para>
    /// With <paramref name="dueAt"/>, the table also has <c>due_at timestamptz</c> (null allowed), written from the
    /// instance on every insert and update: when the instance asks to be woken (a retry it scheduled), so a service's
    /// poller finds what is due through an index (<c>... (due_at) where due_at is not null</c>) without reading
    /// <c>data</c>. Nothing here wakes anything: the service's own poller does, and may clear <c>due_at</c> as it claims a row.
    /// </para>
    /// <para>
    /// Each message runs in one transaction that locks the instance's row (<c>select ... for update</c>), so
    /// concurrent messages for one instance take turns and no update is lost. Two initiating events for the same new
    /// id race to insert it; the loser fails with a <see cref="ConcurrencyException"/> (SQLSTATE 23505), and the
    /// endpoint's message retry runs it again against the row the winner created. A finalized instance whose state
    /// machine calls <c>SetCompletedWhenFinalized</c> is deleted. Events must correlate by id (<c>CorrelateById</c>).
    /// <see cref="ILoadSagaRepository{TSaga}"/> reads an instance by id.
    /// </para>
    /// </remarks>
    /// <param name="configurator">The saga's registration, from <c>AddSaga</c> or <c>AddSagaStateMachine</c>.</param>
    /// <param name="table">The table's name in the service's schema: lower-case letters, digits and underscores.</param>
    /// <param name="currentState">The instance's state, written to <c>current_state</c> (e.g. <c>s =&gt; s.CurrentState</c>); null is written as empty.</param>
    /// <param name="dueAt">The instance's due time, written to <c>due_at</c>; null (the default) when the table has no such column.</param>
    /// <returns>The same registration, to chain further calls.</returns>
    /// <exception cref="ArgumentException">
    /// <paramref name="table"/> is not a plain lower-case identifier, or <typeparamref name="TSaga"/> has no <c>[JsonExtensionData]</c> property.
    /// </exception>
    public static ISagaRegistrationConfigurator<TSaga> PostgresRepository<TSaga>(
        this ISagaRegistrationConfigurator<TSaga> configurator,
        string table,
        Func<TSaga, string?> currentState,
        Func<TSaga, DateTimeOffset?>? dueAt = null)
        where TSaga : class, ISaga
    {
        ArgumentNullException.ThrowIfNull(configurator);
        var sagaTable = new PostgresSagaTable<TSaga>(table, currentState, dueAt);

        return configurator.Repository(repository =>
        {
            repository.TryAddSingleton(sagaTable);
            repository.RegisterLoadSagaRepository<TSaga, PostgresSagaRepositoryContextFactory<TSaga>>();
            repository.RegisterSagaRepository<
                TSaga,
                PostgresSagaTransaction<TSaga>,
                SagaConsumeContextFactory<PostgresSagaTransaction<TSaga>, TSaga>,
                PostgresSagaRepositoryContextFactory<TSaga>>();
        });
    }
}
