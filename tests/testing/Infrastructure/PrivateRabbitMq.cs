namespace OrdersMail.Testing.Infrastructure;

/// <summary>A RabbitMQ node of a test's own, on free AMQP, management and Erlang distribution ports.</summary>
public sealed class PrivateRabbitMq() : PrivateServer("rabbitmq")
{
    /// <summary>The AMQP port.</summary>
    public int Port { get; private set; } = FreePort();

    /// <summary>The management API port.</summary>
    public int ManagementPort { get; private set; } = FreePort();

    private int DistributionPort { get; set; } = FreePort();

    /// <summary>The settings that point a service host at it (its default vhost).</summary>
    public IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["RabbitMq:Port"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["RabbitMq:VirtualHost"] = "/",
    };

    /// <inheritdoc />
    protected override void ChooseNewPorts()
    {
        Port = FreePort();
        ManagementPort = FreePort();
        DistributionPort = FreePort();
    }

    /// <inheritdoc />
    protected override IReadOnlyDictionary<string, int> Ports => new Dictionary<string, int>
    {
        ["ORDERSMAIL_RabbitMq__Port"] = Port,
        ["ORDERSMAIL_RabbitMq__ManagementPort"] = ManagementPort,
        ["ORDERSMAIL_RabbitMq__DistPort"] = DistributionPort,
    };
}
