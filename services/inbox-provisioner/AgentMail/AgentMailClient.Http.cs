using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace OrdersMail.InboxProvisioner.AgentMail;

/// <summary>The client's HTTP plumbing: paths, JSON bodies, and turning answers into results or exceptions.</summary>
public sealed partial class AgentMailClient
{
    /// <summary>The page size of list calls (AgentMail's largest).</summary>
    private const int PageSize = 100;

    private static readonly MediaTypeHeaderValue JsonMediaType = new("application/json");

    // Path parameters are percent-encoded as the SDKs send them: a@agentmail.to becomes a%40agentmail.to.
    private static string InboxPath(string inboxId) => $"v0/inboxes/{Uri.EscapeDataString(Required(inboxId))}";

    private static string WebhookPath(string webhookId) => $"v0/webhooks/{Uri.EscapeDataString(Required(webhookId))}";

    private static string Required(string id, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(id))] string? name = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id, name);
        return id;
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string operation, object? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        request.Options.Set(AgentMailOperations.RequestOption, operation);
        if (body is not null)
        {
            // Bytes, not a stream: a retry sends the same content again.
            request.Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, body.GetType(), AgentMailJson.Options));
            request.Content.Headers.ContentType = JsonMediaType;
        }

        return await http.SendAsync(request, cancellationToken);
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, string operation, CancellationToken cancellationToken)
        where T : class
    {
        await ThrowIfRefusedAsync(response, operation, cancellationToken);
        return await response.Content.ReadFromJsonAsync<T>(AgentMailJson.Options, cancellationToken)
            ?? throw new JsonException($"AgentMail {operation} answered {(int)response.StatusCode} without a body.");
    }

    private static async Task<T?> ReadUnlessNotFoundAsync<T>(HttpResponseMessage response, string operation, CancellationToken cancellationToken)
        where T : class =>
        response.StatusCode == HttpStatusCode.NotFound ? null : await ReadAsync<T>(response, operation, cancellationToken);

    private static async Task<bool> DeletedAsync(HttpResponseMessage response, string operation, CancellationToken cancellationToken)
    {
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }

        await ThrowIfRefusedAsync(response, operation, cancellationToken);
        return true;
    }

    private static async Task ThrowIfRefusedAsync(HttpResponseMessage response, string operation, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var status = (int)response.StatusCode;
        var error = await ReadErrorAsync(response, cancellationToken);
        var code = error?.Code is { } known ? $" {known}" : "";
        var what = error?.Message ?? response.ReasonPhrase ?? "no error body";
        throw new AgentMailException(status, error?.Name, error?.Code, $"AgentMail {operation} answered {status}{code}: {what}", error?.Suggestions);
    }

    private static async Task<ErrorResponse?> ReadErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            return await response.Content.ReadFromJsonAsync<ErrorResponse>(AgentMailJson.Options, cancellationToken);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
