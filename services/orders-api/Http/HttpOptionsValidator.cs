using Microsoft.Extensions.Options;

namespace OrdersMail.OrdersApi.Http;

/// <summary>Refuses to start with a body limit Kestrel would override or a cursor key too short or not base64.</summary>
public sealed class HttpOptionsValidator : IValidateOptions<HttpOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, HttpOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.MaxRequestBodyBytes is < 1 or > HttpOptions.KestrelMaxRequestBodyBytes)
        {
            failures.Add($"{HttpOptions.Section}:MaxRequestBodyBytes must be from 1 to {HttpOptions.KestrelMaxRequestBodyBytes} (Kestrel's own limit).");
        }

        if (options.CursorKey is { } key && (!TryDecode(key, out var bytes) || bytes.Length < HttpOptions.MinCursorKeyBytes))
        {
            failures.Add($"{HttpOptions.Section}:CursorKey must be base64 of at least {HttpOptions.MinCursorKeyBytes} bytes.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>The key's bytes; false when it is not base64.</summary>
    public static bool TryDecode(string key, out byte[] bytes)
    {
        bytes = new byte[key.Length];
        if (Convert.TryFromBase64String(key, bytes, out var written))
        {
            bytes = bytes[..written];
            return true;
        }

        return false;
    }
}
