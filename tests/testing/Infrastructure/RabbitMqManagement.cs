using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using OrdersMail.BuildingBlocks.Messaging;

namespace OrdersMail.Testing.Infrastructure;

/// <summary>
/// RabbitMQ's management HTTP API, the way ops see the broker: vhosts for test isolation, and queues to check
/// what the services declared (quorum type, error queues, message counts).
/// </summary>
public sealed class RabbitMqManagement : IDisposable
{
    private readonly HttpClient _http;

    /// <summary>A client of the management API of <paramref name="broker"/>.</summary>
    public RabbitMqManagement(RabbitMqOptions broker)
    {
        ArgumentNullException.ThrowIfNull(broker);
        _http = new HttpClient { BaseAddress = new Uri($"http://{broker.Host}:{broker.ManagementPort}/api/"), Timeout = TimeSpan.FromSeconds(15) };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{broker.Username}:{broker.Password}")));
        User = broker.Username;
    }

    private string User { get; }

    /// <summary>Creates a vhost and gives the configured user full rights on it.</summary>
    public async Task CreateVirtualHostAsync(string name)
    {
        (await _http.PutAsync($"vhosts/{Uri.EscapeDataString(name)}", null)).EnsureSuccessStatusCode();
        (await _http.PutAsJsonAsync($"permissions/{Uri.EscapeDataString(name)}/{Uri.EscapeDataString(User)}", new { configure = ".*", write = ".*", read = ".*" }))
            .EnsureSuccessStatusCode();
    }

    /// <summary>Deletes a vhost with everything in it.</summary>
    public async Task DeleteVirtualHostAsync(string name)
    {
        var response = await _http.DeleteAsync($"vhosts/{Uri.EscapeDataString(name)}");
        if (response.StatusCode != HttpStatusCode.NotFound)
        {
            response.EnsureSuccessStatusCode();
        }
    }

    /// <summary>Deletes a queue with its messages; its consumers are cancelled.</summary>
    public async Task DeleteQueueAsync(string virtualHost, string queue) =>
        (await _http.DeleteAsync($"queues/{Uri.EscapeDataString(virtualHost)}/{Uri.EscapeDataString(queue)}")).EnsureSuccessStatusCode();

    /// <summary>Declares a durable classic queue: a service's endpoint of that name, which declares a quorum queue, is refused.</summary>
    public async Task DeclareClassicQueueAsync(string virtualHost, string queue) =>
        (await _http.PutAsJsonAsync($"queues/{Uri.EscapeDataString(virtualHost)}/{Uri.EscapeDataString(queue)}", new { durable = true, auto_delete = false, arguments = new { } }))
            .EnsureSuccessStatusCode();

    /// <summary>A queue as the broker describes it, or null when it does not exist.</summary>
    public async Task<QueueInfo?> GetQueueAsync(string virtualHost, string queue)
    {
        var response = await _http.GetAsync($"queues/{Uri.EscapeDataString(virtualHost)}/{Uri.EscapeDataString(queue)}");
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<QueueInfo>();
    }

    /// <summary>
    /// Moves every message of <paramref name="from"/> into <paramref name="to"/> as the management UI's "Move messages"
    /// does (the shovel plugin): a dynamic shovel that deletes itself once it moved what the queue held.
    /// </summary>
    public async Task MoveMessagesAsync(string virtualHost, string from, string to)
    {
        var source = $"amqp:///{Uri.EscapeDataString(virtualHost)}";
        var name = $"Move from {from}";
        (await _http.PutAsJsonAsync($"parameters/shovel/{Uri.EscapeDataString(virtualHost)}/{Uri.EscapeDataString(name)}", new
        {
            component = "shovel",
            vhost = virtualHost,
            name,
            value = new Dictionary<string, object>
            {
                ["src-uri"] = source,
                ["src-queue"] = from,
                ["src-protocol"] = "amqp091",
                ["src-delete-after"] = "queue-length",
                ["dest-uri"] = source,
                ["dest-queue"] = to,
                ["dest-protocol"] = "amqp091",
                ["ack-mode"] = "on-confirm",
            },
        })).EnsureSuccessStatusCode();
    }

    /// <summary>Closes, as the management UI's "Force close" does, every connection into <paramref name="virtualHost"/> its client named <paramref name="clientName"/>; returns how many.</summary>
    public async Task<int> CloseConnectionsAsync(string virtualHost, string clientName)
    {
        var connections = await _http.GetFromJsonAsync<List<ConnectionInfo>>($"vhosts/{Uri.EscapeDataString(virtualHost)}/connections") ?? [];
        var named = connections.Where(c => c.ClientProperties?.ConnectionName == clientName).ToList();
        foreach (var connection in named)
        {
            (await _http.DeleteAsync($"connections/{Uri.EscapeDataString(connection.Name)}")).EnsureSuccessStatusCode();
        }

        return named.Count;
    }

    /// <summary>GETs <paramref name="path"/> of the management API (<c>vhosts/…</c>, <c>queues/…</c>).</summary>
    public async Task<JsonNode> GetAsync(string path) =>
        await _http.GetFromJsonAsync<JsonNode>(path) ?? throw new InvalidOperationException($"The management API answered {path} with null.");

    /// <summary>Publishes <paramref name="payload"/> to <paramref name="queue"/> of <paramref name="virtualHost"/> through the default exchange.</summary>
    public async Task PublishAsync(string virtualHost, string queue, string payload) =>
        (await _http.PostAsJsonAsync(
            $"exchanges/{Uri.EscapeDataString(virtualHost)}/amq.default/publish",
            new { properties = new { }, routing_key = queue, payload, payload_encoding = "string" })).EnsureSuccessStatusCode();

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();

    private sealed record ConnectionInfo(
        [property: JsonPropertyName("name")] string Name,
        [property: JsonPropertyName("client_properties")] ClientProperties? ClientProperties);

    private sealed record ClientProperties([property: JsonPropertyName("connection_name")] string? ConnectionName);

    /// <summary>The parts of the management API's queue object the tests look at.</summary>
    /// <param name="Name">The queue's name.</param>
    /// <param name="Type">classic, quorum or stream.</param>
    /// <param name="Messages">Messages in the queue (ready and unacknowledged); the API fills it in shortly after a change.</param>
    public sealed record QueueInfo(
        [property: JsonPropertyName("name")] string Name,
        [property: JsonPropertyName("type")] string Type,
        [property: JsonPropertyName("messages")] int? Messages);
}
