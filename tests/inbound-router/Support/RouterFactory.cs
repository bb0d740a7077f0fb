using System.Net;
using System.Net.Sockets;
using OrdersMail.Testing.Hosting;
using OrdersMail.Testing.Infrastructure;
using OrdersMail.Testing.Sandbox;

namespace OrdersMail.InboundRouter.Tests.Support;

/// <summary>
/// inbound-router, unchanged, on Kestrel at a free loopback port (the sandbox posts its signed webhooks there over real
/// HTTP), on a test class's database and vhost, with the sandbox as AgentMail.
/// </summary>
public sealed class RouterFactory : ServiceHostFactory<Program>
{
    private readonly MailSandboxServer _sandbox;
    private readonly IReadOnlyDictionary<string, string?> _settings;
    private readonly int _port = FreePort();

    /// <summary>A router for <paramref name="infrastructure"/> reading AgentMail from <paramref name="sandbox"/>, with <paramref name="settings"/> over the specs' defaults.</summary>
    public RouterFactory(TestInfrastructure infrastructure, MailSandboxServer sandbox, IReadOnlyDictionary<string, string?>? settings = null)
        : base(infrastructure)
    {
        _sandbox = sandbox;
        _settings = settings ?? new Dictionary<string, string?>();
        UseKestrel(_port);
    }

    /// <summary>Where AgentMail posts the inbox's events.</summary>
    public string WebhookUrl => $"http://127.0.0.1:{_port}/webhooks/agentmail";

    /// <inheritdoc />
    protected override IReadOnlyDictionary<string, string?> Settings
    {
        get
        {
            var settings = Defaults;
            foreach (var (key, value) in _settings)
            {
                settings[key] = value;
            }

            return settings;
        }
    }

    private Dictionary<string, string?> Defaults => new()
    {
        ["InboundRouter:Port"] = _port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["InboundRouter:AgentMail:BaseUrl"] = _sandbox.AgentMailBaseUrl,
        ["InboundRouter:AgentMail:ApiKey"] = "am_test_router",
        ["InboundRouter:AgentMail:RetryBaseDelay"] = "00:00:00.050",
        ["InboundRouter:Ingress:UnknownInboxRetryAfter"] = "00:00:00",
        ["Messaging:Retry:Limit"] = "2",
        ["Messaging:Retry:MinInterval"] = "00:00:00.050",
        ["Messaging:Retry:MaxInterval"] = "00:00:00.200",
    };

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
