using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;

namespace OrdersMail.Testing.Http;

/// <summary>
/// A request no HTTP client library will send: a chunked body whose chunk size is not hexadecimal, written on a raw
/// socket to a service listening on Kestrel. What the service answered comes back as an <see cref="HttpResponseMessage"/>,
/// so <see cref="ProblemAnswer"/> reads it like any other.
/// </summary>
public static class MalformedChunkedRequest
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <summary>POSTs to <paramref name="url"/> a JSON body whose first chunk size is <c>ZZ</c>, with <paramref name="headers"/>.</summary>
    public static async Task<HttpResponseMessage> PostAsync(Uri url, IReadOnlyDictionary<string, string>? headers = null)
    {
        ArgumentNullException.ThrowIfNull(url);
        using var timeout = new CancellationTokenSource(Timeout);
        using var client = new TcpClient();
        await client.ConnectAsync(url.Host, url.Port, timeout.Token);
        var stream = client.GetStream();
        var head = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"POST {url.PathAndQuery} HTTP/1.1\r\nHost: {url.Authority}\r\n")
            .Append("Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n");
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            head.Append(CultureInfo.InvariantCulture, $"{name}: {value}\r\n");
        }

        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.Append("\r\nZZ\r\n{}\r\n0\r\n\r\n").ToString()), timeout.Token);
        using var answer = new MemoryStream();
        await stream.CopyToAsync(answer, timeout.Token);
        return Parse(answer.ToArray());
    }

    private static HttpResponseMessage Parse(byte[] raw)
    {
        var text = Encoding.UTF8.GetString(raw);
        var split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (split < 0)
        {
            throw new InvalidOperationException($"Not an HTTP answer: '{text}'");
        }

        var lines = text[..split].Split("\r\n");
        var response = new HttpResponseMessage((HttpStatusCode)int.Parse(lines[0].Split(' ')[1], CultureInfo.InvariantCulture));
        var fields = lines.Skip(1).Select(l => l.Split(':', 2)).ToDictionary(f => f[0].Trim(), f => f[1].Trim(), StringComparer.OrdinalIgnoreCase);
        var body = text[(split + 4)..];
        if (fields.TryGetValue("Transfer-Encoding", out var encoding) && encoding.Contains("chunked", StringComparison.OrdinalIgnoreCase))
        {
            body = Dechunk(body);
        }

        response.Content = new StringContent(body);
        response.Content.Headers.ContentType = fields.TryGetValue("Content-Type", out var type) ? MediaTypeHeaderValue.Parse(type) : null;
        return response;
    }

    private static string Dechunk(string chunked)
    {
        var body = new StringBuilder();
        var at = 0;
        while (true)
        {
            var end = chunked.IndexOf("\r\n", at, StringComparison.Ordinal);
            var size = int.Parse(chunked[at..end], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            if (size == 0)
            {
                return body.ToString();
            }

            body.Append(chunked, end + 2, size);
            at = end + 2 + size + 2;
        }
    }
}
