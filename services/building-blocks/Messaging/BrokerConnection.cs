using Microsoft.Extensions.Options;
using OrdersMail.BuildingBlocks.Hosting;
using RabbitMQ.Client;

namespace OrdersMail.BuildingBlocks.Messaging;

/// <summary>
/// A connection of the service's own to the broker, apart from MassTransit's, opened on first use. The client recovers
/// it by itself every two seconds once the broker is back, so it answers two questions at once and for free: does the
/// broker answer now (readiness), and has it just come back (<see cref="BrokerReturns"/>, which
/// <see cref="ReceiveEndpointRestart"/> and the outbox relays wait for).
/// </summary>
internal sealed class BrokerConnection(IOptions<RabbitMqOptions> options, ServiceInfo service, BrokerReturns returns) : IAsyncDisposable
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(3);
    private readonly SemaphoreSlim _connecting = new(1, 1);
    private IConnection? _connection;

    /// <summary>The connection, opened now if it was not yet (within 3 s).</summary>
    /// <exception cref="RabbitMQ.Client.Exceptions.BrokerUnreachableException">The broker does not answer.</exception>
    /// <exception cref="OperationCanceledException">It did not answer in time, or <paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<IConnection> OpenAsync(CancellationToken cancellationToken)
    {
        if (_connection is { } existing)
        {
            return existing;
        }

        await _connecting.WaitAsync(cancellationToken);
        try
        {
            return _connection ??= await CreateAsync(cancellationToken);
        }
        finally
        {
            _connecting.Release();
        }
    }

    /// <summary>The connection is open: the broker answered it last.</summary>
    public bool Answers => _connection is { IsOpen: true };

    /// <summary>Whether <paramref name="exception"/>, thrown by <see cref="OpenAsync"/>, says that the broker did not answer.</summary>
    public static bool DidNotAnswer(Exception exception) =>
        exception is RabbitMQ.Client.Exceptions.BrokerUnreachableException or OperationCanceledException or IOException;

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }

        _connecting.Dispose();
    }

    private async Task<IConnection> CreateAsync(CancellationToken cancellationToken)
    {
        var broker = options.Value;
        var factory = new ConnectionFactory
        {
            HostName = broker.Host,
            Port = broker.Port,
            VirtualHost = broker.VirtualHost,
            UserName = broker.Username,
            Password = broker.Password,
            RequestedConnectionTimeout = ConnectTimeout,
            AutomaticRecoveryEnabled = true,
            NetworkRecoveryInterval = TimeSpan.FromSeconds(2),
        };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ConnectTimeout);
        var connection = await factory.CreateConnectionAsync($"{service.Name}-broker-watch", timeout.Token);
        connection.RecoverySucceededAsync += (_, _) => returns.ReturnedAsync();

        return connection;
    }
}
