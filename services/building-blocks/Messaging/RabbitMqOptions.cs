namespace OrdersMail.BuildingBlocks.Messaging;

/// <summary>Where the bus is: section <c>RabbitMq</c> (<c>ORDERSMAIL_RabbitMq__Port</c>...).</summary>
public sealed class RabbitMqOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string Section = "RabbitMq";

    /// <summary>Broker host name or address.</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>AMQP port; deploy/local starts RabbitMQ on 55672 so it never clashes with a system broker.</summary>
    public int Port { get; set; } = 55672;

    /// <summary>The management UI and HTTP API port (ops look here; tests create their vhosts through it).</summary>
    public int ManagementPort { get; set; } = 55673;

    /// <summary>
    /// The highest <see cref="Port"/> and <see cref="ManagementPort"/>, TCP's. A port of 0 was taken without a word, and
    /// the bus tried to connect to it for good; a negative one, or one past this, failed the start on a conversion error.
    /// </summary>
    public const int HighestPort = 65535;

    /// <summary>The virtual host all services share.</summary>
    public string VirtualHost { get; set; } = "/";

    /// <summary>Login user.</summary>
    public string Username { get; set; } = "ordersmail";

    /// <summary>Login password (the local default; set a real one through the environment anywhere else).</summary>
    public string Password { get; set; } = "ordersmail";
}
