namespace OrdersMail.DeliveryTracker.Delivery;

/// <summary>Reads a request's raw body, up to a limit, whatever the transport says about its length.</summary>
public static class RequestBody
{
    /// <summary>The body's bytes, or null when it is longer than <paramref name="limit"/>.</summary>
    public static async Task<byte[]?> ReadAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.ContentLength > limit)
        {
            return null;
        }

        // A declared length can be absent (chunked) or wrong, so the read itself stops one byte past the limit.
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
