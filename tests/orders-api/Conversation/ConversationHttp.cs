using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace OrdersMail.OrdersApi.Tests.Conversation;

/// <summary>The conversation endpoints' URLs and answers, as the specs read them.</summary>
internal static class ConversationHttp
{
    public static string Messages(Guid orderId, string query = "") => $"/api/orders/{orderId}/messages{query}";

    public static string Message(Guid orderId, Guid messageId, string action = "") =>
        $"/api/orders/{orderId}/messages/{messageId}{(action.Length > 0 ? "/" + action : "")}";

    /// <summary>A list of labels for a request body (a params array, so specs can write them inline).</summary>
    public static string[] Labels(params string[] labels) => labels;

    public static Guid IdOf(JsonElement message) => message.GetProperty("id").GetGuid();

    public static IReadOnlyList<string> LabelsOf(JsonElement message) =>
        message.GetProperty("labels").EnumerateArray().Select(l => l.GetString()!).ToList();

    public static Task<HttpResponseMessage> PatchAsync(HttpClient client, string url, object body) => client.PatchAsJsonAsync(url, body);

    public static Task<HttpResponseMessage> PatchRawAsync(HttpClient client, string url, string json) =>
        client.PatchAsync(url, new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

    /// <summary>The body of a 200 answer.</summary>
    public static async Task<JsonElement> OkAsync(HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}: {text}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>The body of a problem+json answer with <paramref name="status"/>.</summary>
    public static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        ArgumentNullException.ThrowIfNull(response);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}, not {(int)status}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(text).RootElement.Clone();
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        return problem;
    }

    /// <summary>A 400 problem with an error under <paramref name="key"/>; that error's text.</summary>
    public static async Task<string> InvalidAsync(HttpResponseMessage response, string key)
    {
        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty(key, out var messages), $"The problem names no {key}: {problem}");
        return string.Join(" ", messages.EnumerateArray().Select(m => m.GetString()));
    }
}
