namespace OrdersMail.OrdersApi.Http;

/// <summary>orders-api's HTTP settings, under <c>OrdersApi</c> (<c>ORDERSMAIL_OrdersApi__...</c>).</summary>
public sealed class HttpOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "OrdersApi";

    /// <summary>
    /// The default body limit, 256 KiB. The largest valid order is 100 lines of a 64-character SKU and a 200-character
    /// name plus the customer's 254-character address and 200-character name; with every character written as a
    /// <c>\uXXXX</c> escape (6 bytes, the most JSON spends on one UTF-16 unit) and the punctuation and numbers of each
    /// line, that is about 175 KB, so no real order comes near it.
    /// </summary>
    public const long DefaultMaxRequestBodyBytes = 256 * 1024;

    /// <summary>Kestrel's own limit; ours must sit below it, or Kestrel would refuse first with its generic answer.</summary>
    public const long KestrelMaxRequestBodyBytes = 30_000_000;

    /// <summary>The shortest cursor key: HMAC-SHA256 is only as strong as a key of its block's half, 32 bytes.</summary>
    public const int MinCursorKeyBytes = 32;

    /// <summary>The largest request body read, in bytes (<c>OrdersApi:MaxRequestBodyBytes</c>); a larger one is answered 413.</summary>
    public long MaxRequestBodyBytes { get; set; } = DefaultMaxRequestBodyBytes;

    /// <summary>
    /// The key that signs page cursors, base64, at least 32 bytes (<c>OrdersApi:CursorKey</c>). Every replica must share
    /// it. Unset, each process draws a random key: cursors then stop working at a restart and across replicas
    /// (a client asked for a cursor it holds gets 400 and starts from the first page).
    /// </summary>
    public string? CursorKey { get; set; }
}
