using OrdersMail.Load.Scenarios;
using OrdersMail.Testing;
using OrdersMail.Testing.Infrastructure;

namespace OrdersMail.EndToEnd.Tests.LoadTool;

/// <summary>
/// The attack scenario's broker counts (<see cref="SideEffects.BrokerAsync"/>) are the system's virtual host's alone: in
/// CI, test classes publish in virtual hosts of their own on the same broker while the attack runs, and counted, they
/// would read as the attack's doing.
/// </summary>
public sealed class SideEffects_Specs : IAsyncLifetime
{
    // The broker refreshes its statistics every 5 s, later on a busy machine: looked at every second, for a minute.
    private static readonly TimeSpan StatisticsRefresh = TimeSpan.FromSeconds(60);

    private static readonly TimeSpan LookEvery = TimeSpan.FromSeconds(1);
    private readonly TestInfrastructure _system = new();
    private readonly TestInfrastructure _beside = new();

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        await _system.InitializeAsync();
        await _beside.InitializeAsync();
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        await _beside.DisposeAsync();
        await _system.DisposeAsync();
    }

    /// <summary>Messages published beside the system change none of its counts; one published in it does.</summary>
    [Fact]
    public async Task Should_count_the_systems_virtual_host_alone()
    {
        await _system.Management.DeclareClassicQueueAsync(_system.VirtualHost, "work");
        await _beside.Management.DeclareClassicQueueAsync(_beside.VirtualHost, "work");
        var before = await CountsAsync();

        for (var n = 0; n < 3; n++)
        {
            await _beside.Management.PublishAsync(_beside.VirtualHost, "work", $"beside {n}");
        }

        await Eventually.Until(
            () => SideEffects.BrokerAsync(_beside.Management.GetAsync, _beside.VirtualHost),
            beside => beside["broker messages published (total)"] >= 3,
            StatisticsRefresh,
            "the broker to count the publishes beside the system",
            LookEvery);
        Assert.Equal(before, await CountsAsync());

        await _system.Management.PublishAsync(_system.VirtualHost, "work", "in the system");
        await Eventually.Until(
            CountsAsync,
            after => after["broker messages published (total)"] == before["broker messages published (total)"] + 1
                && after["broker messages in queues"] == before["broker messages in queues"] + 1,
            StatisticsRefresh,
            "the broker to count the system's one publish",
            LookEvery);
    }

    private Task<IReadOnlyDictionary<string, long>> CountsAsync() => SideEffects.BrokerAsync(_system.Management.GetAsync, _system.VirtualHost);
}
