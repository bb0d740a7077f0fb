using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using OrdersMail.BuildingBlocks.Hosting;
using RabbitMQ.Client;

namespace OrdersMail.BuildingBlocks.Messaging;

/// <summary>
/// Ready only while the broker answers. MassTransit's own bus check only reflects receive endpoints, so a
/// service without consumers (or whose endpoints have not noticed yet) would stay "healthy" through an
/// outage. This check keeps one connection of its own, which the client recovers by itself once the
/// broker is back, so a probe costs no new connection (and no line in the broker's log).
/// </summary>
internal sealed class RabbitMqHealthCheck(IOptions<RabbitMqOptions> options, ServiceInfo service) : IHealthCheck, IAsyncDisposable
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(3);
    private readonly SemaphoreSlim _connecting = new(1, 1);
    private IConnection? _connection;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var connection = await ConnectionAsync(cancellationToken);
            return connection.IsOpen
                ? HealthCheckResult.Healthy($"RabbitMQ answers at {connection.Endpoint}")
                : new HealthCheckResult(context.Registration.FailureStatus, $"RabbitMQ connection to {connection.Endpoint} is closed: {connection.CloseReason?.ReplyText ?? "recovering"}");
        }
        catch (Exception e) when (e is RabbitMQ.Client.Exceptions.BrokerUnreachableException or OperationCanceledException or IOException)
        {
            var broker = options.Value;
            return new HealthCheckResult(context.Registration.FailureStatus, $"RabbitMQ does not answer at {broker.Host}:{broker.Port}: {e.Message}", e);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }

        _connecting.Dispose();
    }

    private async Task<IConnection> ConnectionAsync(CancellationToken cancellationToken)
    {
        if (_connection is { } existing)
        {
            return existing;
        }

        await _connecting.WaitAsync(cancellationToken);
        try
        {
            if (_connection is null)
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
                _connection = await factory.CreateConnectionAsync($"{service.Name}-health", timeout.Token);
            }

            return _connection;
        }
        finally
        {
            _connecting.Release();
        }
    }
}
