using System.Reflection;

namespace OrdersMail.BuildingBlocks.Hosting;

/// <summary>
/// Who a host is: the facts the shared plumbing needs to set it up the same way as every other service.
/// </summary>
/// <param name="Name">The service's name in logs, traces, metrics and RabbitMQ connection names (kebab-case, e.g. <c>orders-api</c>).</param>
/// <param name="ConfigurationSection">The configuration section of the service's own settings (e.g. <c>OrdersApi</c>, so its port is <c>OrdersApi:Port</c>, or <c>ORDERSMAIL_OrdersApi__Port</c>).</param>
/// <param name="DefaultPort">The HTTP port used when <c>{ConfigurationSection}:Port</c> is not set.</param>
/// <param name="Schema">The PostgreSQL schema the service owns; no other service reads it.</param>
/// <param name="ComponentsAssembly">The assembly holding the service's embedded SQL migrations (<c>Data/Migrations/NNNN_name.sql</c>).</param>
public sealed record ServiceInfo(
    string Name,
    string ConfigurationSection,
    int DefaultPort,
    string Schema,
    Assembly ComponentsAssembly);
