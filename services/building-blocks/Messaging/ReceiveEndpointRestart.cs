using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace OrdersMail.BuildingBlocks.Messaging;

/// <summary>
/// Starts every faulted receive endpoint again as soon as the broker is back, instead of leaving it to MassTransit's
/// reconnect back-off. MassTransit 8.5 waits 3 s, then about 6, 12, 24 and 30 s between an endpoint's attempts, and
/// never starts that count again once the endpoint reconnects (the policy is fixed in <c>RabbitMqHostConfiguration</c>;
/// <c>ReceiveTransportAgent</c> keeps its retry context for the life of the process). So after a broker restart the
/// endpoints consumed again 13–19 s after the broker answered, and 34 s after the next restart, while readiness said 503
/// throughout. An endpoint started again gets a new transport, which connects at once. An endpoint whose attempt to
/// connect raced the broker's start and failed just after the return is started again too, at the next look (every 2 s),
/// as long as the broker answers the service's own connection: left to MassTransit, one such endpoint of orders-api's
/// was still not consuming three minutes later (chaos, 2026-12-05), and the service not ready. Only while the bus runs
/// (<see cref="RunningBus"/>): never while it starts or stops. An endpoint the broker refuses while it answers (a queue
/// declared with other arguments) is left to MassTransit: the broker never came back for it.
/// </summary>
internal sealed partial class ReceiveEndpointRestart(
    BrokerConnection broker,
    BrokerReturns returns,
    RunningBus bus,
    FaultedReceiveEndpoints faulted,
    ILogger<ReceiveEndpointRestart> logger) : BackgroundService
{
    // How often the broker is asked for while the service's own connection could not be opened yet; once open, the
    // client recovers it by itself every 2 s.
    private static readonly TimeSpan OpenEvery = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var brokerReturn = returns.Next;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await broker.OpenAsync(stoppingToken);
            }
            catch (Exception e) when (BrokerConnection.DidNotAnswer(e) && !stoppingToken.IsCancellationRequested)
            {
                // Not there yet: opening it later is what tells that it came back.
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // Refused (a wrong password, say): readiness says so; the service goes on and asks again.
                LogCouldNotOpen(e);
            }

            try
            {
                if (await BrokerReturns.WaitAsync(OpenEvery, brokerReturn, stoppingToken))
                {
                    brokerReturn = returns.Next;
                    await RestartAsync(faulted.Now, stoppingToken);
                }
                else if (broker.Answers)
                {
                    await RestartAsync(faulted.Unreachable, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private async Task RestartAsync(IReadOnlyCollection<IReceiveEndpoint> endpoints, CancellationToken stoppingToken)
    {
        foreach (var endpoint in endpoints)
        {
            if (!bus.IsRunning)
            {
                return;
            }

            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                timeout.CancelAfter(StopTimeout);
                await endpoint.Stop(timeout.Token);
                endpoint.Start(stoppingToken);
                LogStartedAgain(endpoint.InputAddress);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                LogCouldNotStartAgain(e, endpoint.InputAddress);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The service's own connection to the broker could not be opened; it is asked again in 2 s")]
    private partial void LogCouldNotOpen(Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "The broker answers: receive endpoint {InputAddress} started again, not left to wait out MassTransit's reconnect back-off")]
    private partial void LogStartedAgain(Uri inputAddress);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The broker is back, but receive endpoint {InputAddress} could not be started again; MassTransit's own reconnect goes on")]
    private partial void LogCouldNotStartAgain(Exception exception, Uri inputAddress);
}
