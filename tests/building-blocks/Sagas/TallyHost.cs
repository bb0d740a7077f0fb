using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using OrdersMail.BuildingBlocks.Hosting;
using OrdersMail.BuildingBlocks.Sagas;
using OrdersMail.Testing.Hosting;
using OrdersMail.Testing.Infrastructure;

namespace OrdersMail.BuildingBlocks.Tests.Sagas;

/// <summary>A test service host running the tally saga on the PostgreSQL repository, on a test class's database and vhost.</summary>
public static class TallyHost
{
    /// <summary>The saga endpoint's queue, after MassTransit's kebab-case naming of <see cref="TallyState"/>.</summary>
    public const string Queue = "tally-state";

    /// <summary>The host's identity; its schema (<c>saga_specs</c>) holds the <c>tallies</c> table (its <c>due_at</c>: the last increment).</summary>
    public static readonly ServiceInfo Service = TestServiceHost.Identity("saga-specs", typeof(TallyHost).Assembly);

    /// <summary>
    /// Starts the host. The endpoint takes many messages at once, so messages for one tally really do compete for it.
    /// </summary>
    /// <param name="infrastructure">The test class's database and vhost.</param>
    /// <param name="settings">Extra configuration (e.g. a shorter message retry).</param>
    /// <param name="insertOnInitial">See <see cref="TallyStateMachine.Options"/>.</param>
    public static Task<TestServiceHost> StartAsync(
        TestInfrastructure infrastructure,
        IReadOnlyDictionary<string, string?>? settings = null,
        bool insertOnInitial = false) =>
        TestServiceHost.StartAsync(
            Service,
            infrastructure,
            bus => bus.AddSagaStateMachine<TallyStateMachine, TallyState>()
                .Endpoint(e =>
                {
                    e.ConcurrentMessageLimit = 16;
                    e.PrefetchCount = 32;
                })
                .PostgresRepository("tallies", s => s.CurrentState, s => s.LastIncrementedAt),
            settings,
            services => services.AddSingleton(new TallyStateMachine.Options(insertOnInitial)));

    /// <summary>The tally as the repository reads it, or null.</summary>
    public static Task<TallyState?> LoadAsync(this TestServiceHost host, Guid id)
    {
        ArgumentNullException.ThrowIfNull(host);
        return host.Services.GetRequiredService<ILoadSagaRepository<TallyState>>().Load(id)!;
    }

    /// <summary>Publishes each message at once, without waiting for one before the next.</summary>
    public static Task PublishAllAsync<T>(this TestServiceHost host, IEnumerable<T> messages)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(host);
        var bus = host.Services.GetRequiredService<IBus>();
        return Task.WhenAll(messages.Select(m => bus.Publish(m)));
    }
}
