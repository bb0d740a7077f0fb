using OrdersMail.OrdersApi.Tests.Support;
using OrdersMail.Testing.Hosting;
using OrdersMail.Testing.Infrastructure;
using OrdersMail.Testing.Sandbox;

namespace OrdersMail.OrdersApi.Tests.Outbox;

/// <summary>
/// orders-api, unchanged, like <see cref="OrdersApiFactory"/> but on a RabbitMQ of the test's own, which the test
/// stops and starts, and with a short publish timeout and backoff so an outage is noticed and left quickly.
/// </summary>
public sealed class PrivateBrokerOrdersApiFactory(TestInfrastructure infrastructure, MailSandboxServer sandbox, PrivateRabbitMq broker)
    : ServiceHostFactory<Program>(infrastructure)
{
    /// <inheritdoc />
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(broker.Settings)
    {
        ["Clerk:JwksUrl"] = sandbox.ClerkJwksUrl,
        ["Clerk:Issuer"] = sandbox.ClerkIssuer,
        ["Clerk:AuthorizedParties:0"] = OrdersApiFactory.WebAppOrigin,
        ["OrdersApi:Outbox:PublishTimeout"] = "00:00:02",
        ["OrdersApi:Outbox:MaxBackoff"] = "00:00:01",
    };
}
