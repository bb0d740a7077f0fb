using System.Buffers;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace OrdersMail.OrdersApi.Http;

/// <summary>
/// Reads a request body as JSON, never more than <see cref="HttpOptions.MaxRequestBodyBytes"/> of it: a declared
/// length over the limit is refused unread, a chunked body as soon as it passes it. Kestrel's other refusals while
/// reading (a chunk size that is not hex, a body arriving too slowly) are left to the building blocks' handler, which
/// answers each with Kestrel's own status (400, 408) as a problem: a 408 tells a client its retry may succeed, where a
/// 400 "not JSON" would tell it to give up an order it could have placed.
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
