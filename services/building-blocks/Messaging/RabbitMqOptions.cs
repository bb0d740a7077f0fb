namespace OrdersMail.BuildingBlocks.Messaging;

/// <summary>Where the bus is: section <c>RabbitMq</c> (<c>ORDERSMAIL_RabbitMq__Port</c>...).</summary>
public sealed class RabbitMqOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string Section = "RabbitMq";

    /// <summary>Broker host name or address.</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>AMQP port; deploy/local starts RabbitMQ on 55672 so it never clashes with a system broker.</summary>
    public ushort Port { get; set; } = 55672;

    /// <summary>The management UI and HTTP API port (ops look here; tests create their vhosts through it).</summary>
    public ushort ManagementPort { get; set; } = 55673;

    /// <summary>The virtual host all services share.</summary>
    public string VirtualHost { get; set; } = "/";

    /// <summary>Login user.</summary>
    public string Username { get; set; } = "ordersmail";

    /// <summary>Login password (the local default; set a real one through the environment anywhere else).</summary>
    public string Password { get; set; } = "ordersmail";
}
