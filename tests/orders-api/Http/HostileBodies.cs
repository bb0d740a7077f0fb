using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace OrdersMail.OrdersApi.Tests.Http;

/// <summary>Bodies an attacker sends, byte for byte, and what the answer to them must look like.</summary>
internal static class HostileBodies
{
    /// <summary>The default body limit, 256 KiB.</summary>
    public const int Limit = 256 * 1024;

    /// <summary>JSON text with <paramref name="marker"/> replaced by raw bytes that are not UTF-8 (a lone continuation byte, then 0xFF).</summary>
    public static byte[] WithInvalidUtf8(string json, string marker)
    {
        var at = json.IndexOf(marker, StringComparison.Ordinal);
        return [.. Encoding.UTF8.GetBytes(json[..at]), 0x80, 0xFF, .. Encoding.UTF8.GetBytes(json[(at + marker.Length)..])];
    }

    /// <summary>Arrays nested <paramref name="depth"/> deep.</summary>
    public static string Nested(int depth) => new string('[', depth) + new string(']', depth);

    /// <summary>A JSON body of <paramref name="bytes"/> bytes or more, with a huge string under <paramref name="field"/>.</summary>
    public static string Oversized(int bytes, string field) => $$"""{"{{field}}":"{{new string('x', bytes)}}"}""";

    /// <summary>The body as JSON, with its length declared.</summary>
    public static ByteArrayContent Json(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    /// <summary>The body as JSON without a declared length (chunked on the wire), so only reading it tells how long it is.</summary>
    public static HttpContent Chunked(string body) => new UnknownLength(Encoding.UTF8.GetBytes(body));

    /// <summary>A 413 problem that names the limit.</summary>
    public static async Task AssertTooLargeAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.RequestEntityTooLarge, $"answered {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(text).RootElement;
        Assert.Equal(413, problem.GetProperty("status").GetInt32());
        Assert.Equal(Limit, problem.GetProperty("max_body_bytes").GetInt32());
        Assert.Contains($"{Limit} bytes", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    /// <summary>A 400 validation problem naming <paramref name="field"/>; its messages.</summary>
    public static async Task<string> AssertNamesAsync(HttpResponseMessage response, string field)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"answered {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = JsonDocument.Parse(text).RootElement.GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out var messages), $"the problem does not name {field}: {text}");
        return string.Join(" ", messages.EnumerateArray().Select(m => m.GetString()));
    }

    private sealed class UnknownLength : HttpContent
    {
        private readonly byte[] _body;

        public UnknownLength(byte[] body)
        {
            _body = body;
            Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => stream.WriteAsync(_body).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
