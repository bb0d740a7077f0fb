using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dapper;
using Npgsql;
using OrdersMail.BuildingBlocks.MailOutbox;
using OrdersMail.Testing;
using OrdersMail.Testing.Infrastructure;
using OrdersMail.Testing.Sandbox;

namespace OrdersMail.DeliveryTracker.Tests.Support;

/// <summary>
/// What relay specs share: a fresh database and vhost, the mail sandbox (Resend's rate limit raised so hundreds of
/// sends are not throttled), an outbox directory of the class's own, and the settings that point a relay at them.
/// </summary>
public class RelayFixture : IAsyncLifetime
{
    private MailSandboxServer? _sandbox;

    /// <summary>Resend's rate limit in the sandbox, and the client's own: raised, so hundreds of sends are not throttled.</summary>
    public virtual int RequestsPerSecond => 100_000;

    /// <summary>The sandbox's clock.</summary>
    public virtual TimeProvider SandboxClock => TimeProvider.System;

    /// <summary>The database and broker.</summary>
    public TestInfrastructure Infrastructure { get; } = new();

    /// <summary>The sandbox.</summary>
    public MailSandboxServer Sandbox => _sandbox ?? throw new InvalidOperationException("Not initialised.");

    /// <summary>The outbox's folders.</summary>
    public MailOutboxFolders Outbox { get; } = new(Path.Combine(Path.GetTempPath(), $"ordersmail-outbox-{Guid.NewGuid():N}"));

    /// <summary>Settings of a relay on all of it, with short waits so specs see retries and take-backs in seconds.</summary>
    public IReadOnlyDictionary<string, string?> Settings
    {
        get
        {
            var settings = new Dictionary<string, string?>(Infrastructure.Settings)
            {
                ["MailOutbox:Directory"] = Outbox.Root,
                ["Resend:BaseUrl"] = Sandbox.ResendBaseUrl,
                ["Resend:RetryBaseDelay"] = "00:00:00.050",
                ["Resend:RequestsPerSecond"] = RequestsPerSecond.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Resend:MaxRetryAfter"] = "00:00:01",
                ["DeliveryTracker:AgentMail:BaseUrl"] = Sandbox.AgentMailBaseUrl,
                ["DeliveryTracker:Relay:ScanInterval"] = "00:00:00.500",
                ["DeliveryTracker:Relay:ClaimLease"] = "00:00:03",
                ["DeliveryTracker:Relay:SettleTime"] = "00:00:01",
                ["DeliveryTracker:Relay:RetryBaseDelay"] = "00:00:00.500",
                ["DeliveryTracker:Outbox:PollInterval"] = "00:00:00.200",
            };
            return settings;
        }
    }

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        await Infrastructure.InitializeAsync();
        _sandbox = await MailSandboxServer.StartAsync(resendRequestsPerSecond: RequestsPerSecond, clock: SandboxClock);
        Outbox.EnsureExist();
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        await Sandbox.DisposeAsync();
        await Infrastructure.DisposeAsync();
        Directory.Delete(Outbox.Root, recursive: true);
    }

    /// <summary>Drops <paramref name="json"/> as <paramref name="name"/> the well-behaved way: staged, then renamed into <c>email/</c>.</summary>
    public void Drop(string name, string json)
    {
        var staged = Path.Combine(Outbox.Staging, name);
        File.WriteAllText(staged, json);
        File.Move(staged, Path.Combine(Outbox.Pending, name));
    }

    /// <summary>Drops <paramref name="content"/>, byte for byte, as <paramref name="name"/>: staged, then renamed into <c>email/</c>.</summary>
    public void Drop(string name, byte[] content)
    {
        var staged = Path.Combine(Outbox.Staging, name);
        File.WriteAllBytes(staged, content);
        File.Move(staged, Path.Combine(Outbox.Pending, name));
    }

    /// <summary>A valid agent-reply file: <paramref name="emailId"/>'s answer, from <paramref name="inboxId"/>, to the customer's message <paramref name="messageId"/>.</summary>
    public static JsonObject AgentReply(Guid emailId, string inboxId, string messageId)
    {
        var reply = JsonNode.Parse(Email("Re: Where is my order?", emailId))!.AsObject();
        reply["kind"] = "agent_reply";
        reply["inbox_id"] = inboxId;
        reply["reply_to_message_id"] = messageId;
        return reply;
    }

    /// <summary>A valid order-confirmation file with <paramref name="subject"/>.</summary>
    public static string Email(string subject, Guid? emailId = null) => new JsonObject
    {
        ["to"] = new JsonArray("jane@example.com"),
        ["subject"] = subject,
        ["body"] = "Thank you for your order.",
        ["in_reply_to"] = "<original@mail.example.com>",
        ["references"] = "<original@mail.example.com>",
        ["cc"] = new JsonArray(),
        ["bcc"] = new JsonArray(),
        ["status"] = "pending",
        ["email_id"] = (emailId ?? Guid.NewGuid()).ToString(),
        ["kind"] = "order_confirmation",
        ["x_agent_note"] = "kept",
    }.ToJsonString();

    /// <summary>The emails the sandbox's Resend accepted, as <c>GET /emails/{id}</c> shows them.</summary>
    public async Task<IReadOnlyList<JsonObject>> ResendEmailsAsync()
    {
        var body = await Sandbox.Http.GetFromJsonAsync<JsonObject>("sandbox/resend/emails");
        return [.. body!["data"]!.AsArray().Select(e => e!.AsObject())];
    }

    /// <summary>How many emails the sandbox's Resend accepted with <paramref name="subject"/>.</summary>
    public async Task<int> SendsOfAsync(string subject) =>
        (await ResendEmailsAsync()).Count(e => e["subject"]?.GetValue<string>() == subject);

    /// <summary>A new AgentMail inbox of a customer and a message sent from it, which an agent reply can answer.</summary>
    public async Task<(string InboxId, string MessageId)> CustomerMessageAsync()
    {
        using var agentMail = AgentMailApi();
        var inbox = await (await agentMail.PostAsJsonAsync("v0/inboxes", new { username = $"cust-{Guid.NewGuid():N}"[..20] })).Content.ReadFromJsonAsync<JsonObject>();
        var inboxId = inbox!["inbox_id"]!.GetValue<string>();
        var sent = await agentMail.PostAsJsonAsync($"v0/inboxes/{Uri.EscapeDataString(inboxId)}/messages/send", new { to = "jane@example.com", subject = "Where is my order?", text = "Hello" });
        var message = await sent.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonObject>();
        return (inboxId, message!["message_id"]!.GetValue<string>());
    }

    /// <summary>A new inbox, and a message received in it from <paramref name="from"/> asking replies to go to <paramref name="replyTo"/>.</summary>
    public async Task<(string InboxId, string MessageId)> ReceivedMessageAsync(string from, string replyTo)
    {
        using var agentMail = AgentMailApi();
        var inbox = await (await agentMail.PostAsJsonAsync("v0/inboxes", new { username = $"cust-{Guid.NewGuid():N}"[..20] })).Content.ReadFromJsonAsync<JsonObject>();
        var inboxId = inbox!["inbox_id"]!.GetValue<string>();
        using var received = await Sandbox.Http.PostAsJsonAsync(
            $"sandbox/agentmail/inboxes/{Uri.EscapeDataString(inboxId)}/messages", new { from, reply_to = replyTo, subject = "Where is my order?", text = "Hello" });
        var message = await received.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonObject>();
        return (inboxId, message!["message_id"]!.GetValue<string>());
    }

    /// <summary>The recipients of each message AgentMail holds in <paramref name="inboxId"/> in reply to <paramref name="messageId"/>.</summary>
    public async Task<IReadOnlyList<string[]>> RepliesToAsync(string inboxId, string messageId) =>
        [.. (await RepliesAsync(inboxId, messageId)).Select(m => m["to"]!.AsArray().Select(t => t!.GetValue<string>()).ToArray())];

    /// <summary>Each message AgentMail holds in <paramref name="inboxId"/> in reply to <paramref name="messageId"/>, as its list shows it.</summary>
    public async Task<IReadOnlyList<JsonObject>> RepliesAsync(string inboxId, string messageId)
    {
        using var agentMail = AgentMailApi();
        var page = await agentMail.GetFromJsonAsync<JsonObject>($"v0/inboxes/{Uri.EscapeDataString(inboxId)}/messages?limit=100");
        return [.. page!["messages"]!.AsArray().Select(m => m!.AsObject()).Where(m => m["in_reply_to"]?.GetValue<string>() == messageId)];
    }

    /// <summary>The Message-IDs of the messages AgentMail holds in the inbox <paramref name="inboxId"/>.</summary>
    public async Task<IReadOnlyList<string>> MessagesOfAsync(string inboxId)
    {
        using var agentMail = AgentMailApi();
        var page = await agentMail.GetFromJsonAsync<JsonObject>($"v0/inboxes/{Uri.EscapeDataString(inboxId)}/messages?limit=100");
        return [.. page!["messages"]!.AsArray().Select(m => m!["message_id"]!.GetValue<string>())];
    }

    /// <summary>Runs <paramref name="work"/> while the sandbox's fault <paramref name="rule"/> is in force (until used up, with <c>times</c>).</summary>
    public async Task WithFaultAsync(object rule, Func<Task> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        using var added = await Sandbox.Http.PostAsJsonAsync("sandbox/faults", rule);
        added.EnsureSuccessStatusCode();
        var id = (await added.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
        try
        {
            await work();
        }
        finally
        {
            // A rule with "times" is gone once used up.
            using var removed = await Sandbox.Http.DeleteAsync($"sandbox/faults/{id}");
            if (removed.StatusCode != System.Net.HttpStatusCode.NotFound)
            {
                removed.EnsureSuccessStatusCode();
            }
        }
    }

    /// <summary>Waits until the file <paramref name="name"/> is in sent/ or failed/, and says which.</summary>
    public Task<string> UntilSettledAsync(string name, TimeSpan patience) => Eventually.Until(
        () => Task.FromResult(File.Exists(Path.Combine(Outbox.Failed, name)) ? "failed" : File.Exists(Path.Combine(Outbox.Sent, name)) ? "sent" : "pending"),
        folder => folder != "pending",
        patience,
        $"{name} to reach sent/ or failed/");

    /// <summary>Asserts that the email gave up after <paramref name="attempts"/> attempts and its file's note in failed/ says <paramref name="words"/>.</summary>
    public async Task AssertGaveUpAsync(Guid emailId, string name, int attempts, string words)
    {
        var row = Assert.Single(await QueryAsync<(string State, int Attempts)>("select send_state, attempts from outbound_emails where email_id = @emailId", new { emailId }));
        Assert.Equal(("failed", attempts), (row.State, row.Attempts));
        var reason = await File.ReadAllTextAsync(Path.Combine(Outbox.Failed, $"{name}.error.json"));
        Assert.Contains(words, reason, StringComparison.Ordinal);
    }

    /// <summary>Files in one of the outbox's folders (not the reason files).</summary>
    public static IReadOnlyList<string> Files(string folder) =>
        [.. Directory.EnumerateFiles(folder, "*.json").Select(Path.GetFileName).Where(n => !n!.EndsWith(".error.json", StringComparison.Ordinal)).Order()!];

    /// <summary>Runs <paramref name="statement"/> on the class's database (schema <c>delivery</c>).</summary>
    public async Task ExecuteAsync(string statement)
    {
        await using var connection = new NpgsqlConnection(Infrastructure.Database.ConnectionString);
        await connection.OpenAsync();
        await connection.ExecuteAsync($"set search_path to delivery; {statement}");
    }

    /// <summary>Runs <paramref name="query"/> on the class's database (schema <c>delivery</c>).</summary>
    public async Task<IReadOnlyList<T>> QueryAsync<T>(string query, object? parameters = null)
    {
        await using var connection = new NpgsqlConnection(Infrastructure.Database.ConnectionString);
        await connection.OpenAsync();
        return [.. await connection.QueryAsync<T>($"set search_path to delivery; {query}", parameters)];
    }

    /// <summary>A client of the sandbox's AgentMail API, with the key the relay uses.</summary>
    public HttpClient AgentMailApi()
    {
        var agentMail = new HttpClient { BaseAddress = new Uri(Sandbox.AgentMailBaseUrl + "/") };
        agentMail.DefaultRequestHeaders.Authorization = new("Bearer", "am_local_sandbox");
        return agentMail;
    }
}
