using System.Buffers;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace OrdersMail.OrdersApi.Http;

/// <summary>
/// Reads a request body as JSON, never more than <see cref="HttpOptions.MaxRequestBodyBytes"/> of it: a declared
/// length over the limit is refused unread, a chunked body as soon as it passes it. The server's own failures while
/// reading (its limit, a body cut short) are answered here as the client's fault they are, not left to become 500s.
/// </summary>
public sealed class JsonRequestBody(IOptions<HttpOptions> options)
{
    private const int ChunkBytes = 16 * 1024;

    /// <summary>The body, or why there is none; the caller disposes it.</summary>
    public async Task<JsonBodyRead> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var max = options.Value.MaxRequestBodyBytes;
        if (request.ContentLength > max)
        {
            return JsonBodyRead.OverLimit(max);
        }

        var body = new ArrayBufferWriter<byte>();
        try
        {
            while (true)
            {
                var read = await request.Body.ReadAsync(body.GetMemory(ChunkBytes), cancellationToken);
                if (read == 0)
                {
                    break;
                }

                body.Advance(read);
                if (body.WrittenCount > max)
                {
                    return JsonBodyRead.OverLimit(max);
                }
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return JsonBodyRead.OverLimit(max);
        }
        catch (BadHttpRequestException e)
        {
            return JsonBodyRead.Malformed(e.Message);
        }

        try
        {
            return JsonBodyRead.Read(JsonDocument.Parse(body.WrittenMemory));
        }
        catch (JsonException e)
        {
            return JsonBodyRead.Malformed(e.Message);
        }
    }
}
