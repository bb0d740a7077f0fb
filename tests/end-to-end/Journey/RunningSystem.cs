using System.Security.Cryptography;
using OrdersMail.Journey;
using OrdersMail.Testing.Hosting;
using OrdersMail.Testing.Infrastructure;

namespace OrdersMail.EndToEnd.Tests.Journey;

/// <summary>
/// The whole system as deploy/local/up.sh runs it: the mail sandbox and the four services, each its own process on
/// a loopback port, wired together by the same <c>ORDERSMAIL_</c> variables, on one test database and vhost and a
/// private outbox directory. Nothing is in-process: every hop is a real HTTP call, a real broker message or a file.
/// </summary>
internal sealed class RunningSystem : IAsyncDisposable
{
    private readonly Dictionary<string, ServiceProcess> _programs;

    private RunningSystem(Dictionary<string, ServiceProcess> programs, string outbox, Uri routerWebhook)
    {
        _programs = programs;
        Outbox = outbox;
        RouterWebhook = routerWebhook;
    }

    /// <summary>The mail outbox directory orders-api writes and the tracker's relay sends from.</summary>
    public string Outbox { get; }

    /// <summary>The journey's view of the system.</summary>
    public JourneySettings JourneySettings =>
        new(_programs["orders-api"].Client.BaseAddress!, _programs["mail-sandbox"].Client.BaseAddress!, RouterWebhook, TimeSpan.FromSeconds(90));

    private Uri RouterWebhook { get; }

    /// <summary>Starts the sandbox, then the four services side by side, each waited for until ready.</summary>
    public static async Task<RunningSystem> StartAsync(TestInfrastructure infrastructure)
    {
        ArgumentNullException.ThrowIfNull(infrastructure);
        var outbox = Directory.CreateTempSubdirectory("ordersmail-journey-outbox-").FullName;
        // Every program must know the others' URLs before any of them starts (the sandbox signs webhooks for the
        // tracker, the provisioner subscribes the router), so the ports are chosen first.
        var (sandbox, api, provisioner, router, tracker) =
            (ServiceProcess.FreePort(), ServiceProcess.FreePort(), ServiceProcess.FreePort(), ServiceProcess.FreePort(), ServiceProcess.FreePort());
        var sandboxUrl = $"http://127.0.0.1:{sandbox}";
        var routerWebhook = new Uri($"http://127.0.0.1:{router}/webhooks/agentmail");
        var resendSecret = "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));

        var programs = new Dictionary<string, ServiceProcess>();
        var services = new List<Task<(string Name, ServiceProcess Process)>>();
        try
        {
            programs["mail-sandbox"] = await ServiceProcess.StartAsync("OrdersMail.MailSandbox.dll", "MailSandbox:Port", new Dictionary<string, string?>
            {
                ["MailSandbox:ResendWebhooks:0:Url"] = $"http://127.0.0.1:{tracker}/webhooks/resend",
                ["MailSandbox:ResendWebhooks:0:SigningSecret"] = resendSecret,
            }, port: sandbox);

            var shared = infrastructure.Settings;
            services.AddRange(
            [
                StartAsync("orders-api", "OrdersMail.OrdersApi.dll", "OrdersApi:Port", api, shared, new()
                {
                    ["Clerk:JwksUrl"] = $"{sandboxUrl}/clerk/.well-known/jwks.json",
                    ["Clerk:Issuer"] = $"{sandboxUrl}/clerk",
                    ["Clerk:AuthorizedParties:0"] = "http://localhost:3000",
                    ["MailOutbox:Directory"] = outbox,
                }),
                StartAsync("inbox-provisioner", "OrdersMail.InboxProvisioner.dll", "InboxProvisioner:Port", provisioner, shared, new()
                {
                    ["InboxProvisioner:AgentMail:BaseUrl"] = $"{sandboxUrl}/agentmail",
                    ["InboxProvisioner:Provisioning:WebhookUrl"] = routerWebhook.ToString(),
                }),
                StartAsync("inbound-router", "OrdersMail.InboundRouter.dll", "InboundRouter:Port", router, shared, new()
                {
                    ["InboundRouter:AgentMail:BaseUrl"] = $"{sandboxUrl}/agentmail",
                }),
                StartAsync("delivery-tracker", "OrdersMail.DeliveryTracker.dll", "DeliveryTracker:Port", tracker, shared, new()
                {
                    ["MailOutbox:Directory"] = outbox,
                    ["Resend:BaseUrl"] = $"{sandboxUrl}/resend",
                    ["Resend:WebhookSecret"] = resendSecret,
                    ["DeliveryTracker:AgentMail:BaseUrl"] = $"{sandboxUrl}/agentmail",
                }),
            ]);
            foreach (var (name, process) in await Task.WhenAll(services))
            {
                programs[name] = process;
            }
        }
        catch
        {
            // Whatever did start is stopped again; one program failing its start fails the system's.
            var startedServices = services.Where(t => t.IsCompletedSuccessfully).Select(t => t.Result.Process);
            await Task.WhenAll(programs.Values.Concat(startedServices).Distinct().Select(p => p.DisposeAsync().AsTask()));
            Directory.Delete(outbox, recursive: true);
            throw;
        }

        return new RunningSystem(programs, outbox, routerWebhook);
    }

    /// <summary>The last lines one program wrote, for a failed spec to show.</summary>
    public string OutputOf(string name) => _programs.TryGetValue(name, out var program) ? program.OutputTail : $"({name} is not one of the programs)";

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(_programs.Values.Select(p => p.DisposeAsync().AsTask()));
        Directory.Delete(Outbox, recursive: true);
    }

    // Each service on the test's database and vhost (the infrastructure's settings), its own settings over them (the
    // sandbox's URLs over the test hosts' provider placeholders).
    private static async Task<(string Name, ServiceProcess Process)> StartAsync(
        string name, string assembly, string portSetting, int port, IReadOnlyDictionary<string, string?> shared, Dictionary<string, string?> own)
    {
        var settings = new Dictionary<string, string?>(shared);
        foreach (var (key, value) in own)
        {
            settings[key] = value;
        }

        return (name, await ServiceProcess.StartAsync(assembly, portSetting, settings, port: port));
    }
}
