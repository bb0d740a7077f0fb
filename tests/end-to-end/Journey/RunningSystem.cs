using System.Globalization;
using System.Security.Cryptography;
using OrdersMail.Journey;
using OrdersMail.Testing.Infrastructure;

namespace OrdersMail.EndToEnd.Tests.Journey;

/// <summary>
/// The whole system as deploy/local/up.sh runs it: the mail sandbox and the four services, each its own process on
/// a loopback port, wired together by the same <c>ORDERSMAIL_</c> variables, on one test database and vhost and a
/// private outbox directory. Nothing is in-process: every hop is a real HTTP call, a real broker message or a file.
/// </summary>
internal sealed class RunningSystem : IAsyncDisposable
{
    private readonly List<ProgramProcess> _programs;

    private RunningSystem(List<ProgramProcess> programs, string directory, Uri routerWebhook)
    {
        _programs = programs;
        Directory = directory;
        RouterWebhook = routerWebhook;
    }

    /// <summary>Where the programs' logs and the outbox live.</summary>
    public string Directory { get; }

    /// <summary>The journey's view of the system.</summary>
    public JourneySettings JourneySettings => new(Program("orders-api").BaseUrl, Program("mail-sandbox").BaseUrl, RouterWebhook, TimeSpan.FromSeconds(90));

    private Uri RouterWebhook { get; }

    /// <summary>Starts the sandbox, then the four services side by side, each waited for until ready.</summary>
    public static async Task<RunningSystem> StartAsync(TestInfrastructure infrastructure)
    {
        ArgumentNullException.ThrowIfNull(infrastructure);
        var directory = System.IO.Directory.CreateTempSubdirectory("ordersmail-journey-").FullName;
        var outbox = System.IO.Directory.CreateDirectory(Path.Combine(directory, "outbox")).FullName;
        var (sandbox, api, provisioner, router, tracker) =
            (ProgramProcess.FreePort(), ProgramProcess.FreePort(), ProgramProcess.FreePort(), ProgramProcess.FreePort(), ProgramProcess.FreePort());
        var sandboxUrl = $"http://127.0.0.1:{sandbox}";
        var routerWebhook = new Uri($"http://127.0.0.1:{router}/webhooks/agentmail");
        var resendSecret = "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));

        var programs = new List<ProgramProcess>();
        try
        {
            programs.Add(await ProgramProcess.StartAsync("mail-sandbox", "tools/mail-sandbox", "OrdersMail.MailSandbox", sandbox, new Dictionary<string, string>
            {
                ["ORDERSMAIL_MailSandbox__Port"] = Text(sandbox),
                ["ORDERSMAIL_MailSandbox__ResendWebhooks__0__Url"] = $"http://127.0.0.1:{tracker}/webhooks/resend",
                ["ORDERSMAIL_MailSandbox__ResendWebhooks__0__SigningSecret"] = resendSecret,
            }, directory));

            var shared = SharedVariables(infrastructure);
            programs.AddRange(await Task.WhenAll(
                ProgramProcess.StartAsync("orders-api", "services/orders-api", "OrdersMail.OrdersApi", api, With(shared, new()
                {
                    ["ORDERSMAIL_OrdersApi__Port"] = Text(api),
                    ["ORDERSMAIL_Clerk__JwksUrl"] = $"{sandboxUrl}/clerk/.well-known/jwks.json",
                    ["ORDERSMAIL_Clerk__Issuer"] = $"{sandboxUrl}/clerk",
                    ["ORDERSMAIL_MailOutbox__Directory"] = outbox,
                }), directory),
                ProgramProcess.StartAsync("inbox-provisioner", "services/inbox-provisioner", "OrdersMail.InboxProvisioner", provisioner, With(shared, new()
                {
                    ["ORDERSMAIL_InboxProvisioner__Port"] = Text(provisioner),
                    ["ORDERSMAIL_InboxProvisioner__AgentMail__BaseUrl"] = $"{sandboxUrl}/agentmail",
                    ["ORDERSMAIL_InboxProvisioner__Provisioning__WebhookUrl"] = routerWebhook.ToString(),
                }), directory),
                ProgramProcess.StartAsync("inbound-router", "services/inbound-router", "OrdersMail.InboundRouter", router, With(shared, new()
                {
                    ["ORDERSMAIL_InboundRouter__Port"] = Text(router),
                    ["ORDERSMAIL_InboundRouter__AgentMail__BaseUrl"] = $"{sandboxUrl}/agentmail",
                }), directory),
                ProgramProcess.StartAsync("delivery-tracker", "services/delivery-tracker", "OrdersMail.DeliveryTracker", tracker, With(shared, new()
                {
                    ["ORDERSMAIL_DeliveryTracker__Port"] = Text(tracker),
                    ["ORDERSMAIL_MailOutbox__Directory"] = outbox,
                    ["ORDERSMAIL_Resend__BaseUrl"] = $"{sandboxUrl}/resend",
                    ["ORDERSMAIL_Resend__WebhookSecret"] = resendSecret,
                    ["ORDERSMAIL_DeliveryTracker__AgentMail__BaseUrl"] = $"{sandboxUrl}/agentmail",
                }), directory)));
        }
        catch
        {
            await Task.WhenAll(programs.Select(p => p.DisposeAsync().AsTask()));
            System.IO.Directory.Delete(directory, recursive: true);
            throw;
        }

        return new RunningSystem(programs, directory, routerWebhook);
    }

    /// <summary>The log of one program, for a failed spec to show.</summary>
    public string LogOf(string name) => Program(name).LogFile;

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(_programs.Select(p => p.DisposeAsync().AsTask()));
        System.IO.Directory.Delete(Directory, recursive: true);
    }

    private ProgramProcess Program(string name) => _programs.Single(p => p.Name == name);

    // What every service shares: the test's database and vhost on the test servers.
    private static Dictionary<string, string> SharedVariables(TestInfrastructure infrastructure) => new()
    {
        ["ORDERSMAIL_Postgres__Host"] = infrastructure.Postgres.Host,
        ["ORDERSMAIL_Postgres__Port"] = Text(infrastructure.Postgres.Port),
        ["ORDERSMAIL_Postgres__Database"] = infrastructure.Database.Name,
        ["ORDERSMAIL_Postgres__Username"] = infrastructure.Postgres.Username,
        ["ORDERSMAIL_Postgres__Password"] = infrastructure.Postgres.Password,
        ["ORDERSMAIL_RabbitMq__Host"] = infrastructure.RabbitMq.Host,
        ["ORDERSMAIL_RabbitMq__Port"] = Text(infrastructure.RabbitMq.Port),
        ["ORDERSMAIL_RabbitMq__ManagementPort"] = Text(infrastructure.RabbitMq.ManagementPort),
        ["ORDERSMAIL_RabbitMq__VirtualHost"] = infrastructure.VirtualHost,
        ["ORDERSMAIL_RabbitMq__Username"] = infrastructure.RabbitMq.Username,
        ["ORDERSMAIL_RabbitMq__Password"] = infrastructure.RabbitMq.Password,
    };

    private static Dictionary<string, string> With(Dictionary<string, string> shared, Dictionary<string, string> own) =>
        shared.Concat(own).ToDictionary();

    private static string Text(int number) => number.ToString(CultureInfo.InvariantCulture);
}
