using System.Diagnostics.CodeAnalysis;
using System.Net.Mail;
using System.Text;
using System.Text.Json;
using OrdersMail.BuildingBlocks.MailOutbox;

namespace OrdersMail.OrdersApi.Orders;

/// <summary>
/// Checks a <c>POST /api/orders</c> body field by field and names every field that is wrong, by its JSON path
/// (<c>customer_email</c>, <c>items[1].quantity</c>), wrong JSON types included, so a client fixes all in one go.
/// </summary>
public static class PlaceOrderValidation
{
    /// <summary>The most lines one order may have.</summary>
    public const int MaxItems = 100;

    /// <summary>The longest address (RFC 5321's path limit).</summary>
    public const int MaxEmailLength = 254;

    /// <summary>The longest customer or product name.</summary>
    public const int MaxNameLength = 200;

    /// <summary>The longest SKU.</summary>
    public const int MaxSkuLength = 64;

    /// <summary>Prices and totals are stored as <c>numeric(19,4)</c>: at most 4 decimals, below 10^15.</summary>
    public const int MaxDecimals = 4;

    /// <summary>Prices and totals must be below this (<c>numeric(19,4)</c>); a double, for the OpenAPI document's bound.</summary>
    public const double MoneyLimit = 1e15;

    private const decimal MoneyLimitDecimal = (decimal)MoneyLimit;

    /// <summary>Validates <paramref name="body"/>; on success <paramref name="request"/> is the normalised order.</summary>
    public static bool TryValidate(JsonElement body, [NotNullWhen(true)] out PlaceOrderRequest? request, out Dictionary<string, string[]> errors)
    {
        var problems = new Errors();
        if (body.ValueKind != JsonValueKind.Object)
        {
            problems.Add("body", "must be a JSON object");
            return Fail(problems, out request, out errors);
        }

        var email = CustomerEmail(body, problems);

        var name = OptionalString(body, "customer_name", MaxNameLength, problems);
        var currency = RequiredString(body, "currency", 3, problems);
        if (currency is not null && !Iso4217Currencies.IsKnown(currency))
        {
            problems.Add("currency", "must be an ISO 4217 currency code in upper case, such as EUR");
        }

        var items = Items(body, problems);
        if (items is not null && items.Sum(i => i.Quantity * i.UnitPrice) >= MoneyLimitDecimal)
        {
            problems.Add("items", "the order's total must be below 10^15");
        }

        if (problems.Any)
        {
            return Fail(problems, out request, out errors);
        }

        request = new PlaceOrderRequest(email!, name, currency!, items!);
        errors = [];
        return true;
    }

    private static List<PlaceOrderItem>? Items(JsonElement body, Errors problems)
    {
        if (!body.TryGetProperty("items", out var items) || items.ValueKind == JsonValueKind.Null)
        {
            problems.Add("items", "is required");
            return null;
        }

        if (items.ValueKind != JsonValueKind.Array)
        {
            problems.Add("items", "must be an array of order lines");
            return null;
        }

        var count = items.GetArrayLength();
        if (count is 0 or > MaxItems)
        {
            problems.Add("items", $"must hold between 1 and {MaxItems} lines");
            return null;
        }

        var lines = new List<PlaceOrderItem>(count);
        var index = 0;
        foreach (var item in items.EnumerateArray())
        {
            var path = $"items[{index++}]";
            if (item.ValueKind != JsonValueKind.Object)
            {
                problems.Add(path, "must be an object");
                continue;
            }

            var sku = RequiredString(item, "sku", MaxSkuLength, problems, path);
            var name = RequiredString(item, "name", MaxNameLength, problems, path);
            var quantity = Quantity(item, problems, $"{path}.quantity");
            var unitPrice = UnitPrice(item, problems, $"{path}.unit_price");
            if (sku is not null && name is not null && quantity is { } q && unitPrice is { } p)
            {
                lines.Add(new PlaceOrderItem(sku, name, q, p));
            }
        }

        return lines.Count == count ? lines : null;
    }

    private static int? Quantity(JsonElement item, Errors problems, string path)
    {
        if (!item.TryGetProperty("quantity", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            problems.Add(path, "is required");
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var quantity))
        {
            problems.Add(path, "must be a whole number");
            return null;
        }

        if (quantity <= 0)
        {
            problems.Add(path, "must be at least 1");
            return null;
        }

        return quantity;
    }

    private static decimal? UnitPrice(JsonElement item, Errors problems, string path)
    {
        if (!item.TryGetProperty("unit_price", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            problems.Add(path, "is required");
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDecimal(out var price))
        {
            problems.Add(path, "must be a number");
            return null;
        }

        if (price < 0)
        {
            problems.Add(path, "must not be negative");
            return null;
        }

        if (price.Scale > MaxDecimals && decimal.Round(price, MaxDecimals) != price)
        {
            problems.Add(path, $"must have at most {MaxDecimals} decimals");
            return null;
        }

        if (price >= MoneyLimitDecimal)
        {
            problems.Add(path, "must be below 10^15");
            return null;
        }

        // 10, 10.0 and 10.00 are one price: drop the trailing zeros, so the fingerprint and the view agree.
        return price / 1.0000000000000000000000000000m;
    }

    private static string? RequiredString(JsonElement parent, string property, int maxLength, Errors problems, string? parentPath = null)
    {
        var path = parentPath is null ? property : $"{parentPath}.{property}";
        if (!parent.TryGetProperty(property, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            problems.Add(path, "is required");
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            problems.Add(path, "must be a string");
            return null;
        }

        var text = value.GetString()!;
        if (string.IsNullOrWhiteSpace(text))
        {
            problems.Add(path, "must not be blank");
            return null;
        }

        if (text.Length > maxLength)
        {
            problems.Add(path, $"must be at most {maxLength} characters");
            return null;
        }

        return text;
    }

    private static string? OptionalString(JsonElement parent, string property, int maxLength, Errors problems)
    {
        if (!parent.TryGetProperty(property, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            problems.Add(property, "must be a string");
            return null;
        }

        // A web form's empty field means "not given".
        var text = value.GetString()!.Trim();
        if (text.Length > maxLength)
        {
            problems.Add(property, $"must be at most {maxLength} characters");
            return null;
        }

        return text.Length == 0 ? null : text;
    }

    // An internationalised domain (anna@müller.de) is taken in its punycode form, the one the relay sends to and the
    // sender check matches either spelling of, read as a mail client reads it (MailDomains: MÜLLER.DE is müller.de, a
    // full-width domain is ASCII); one pasted with a combining accent the runtime cannot compose is refused saying so. A
    // local part the providers cannot deliver to (non-ASCII, a full-width letter typed by an input method, a trailing
    // dot) is refused here with the reason, not after the order was placed.
    private static string? CustomerEmail(JsonElement body, Errors problems)
    {
        var email = RequiredString(body, "customer_email", MaxEmailLength, problems);
        if (email is null)
        {
            return null;
        }

        var at = email.LastIndexOf('@');
        if (at > 0 && !Ascii.IsValid(email.AsSpan(..at)))
        {
            problems.Add("customer_email", "must have only ASCII letters, digits and punctuation before the @: mail providers cannot deliver to other characters there");
            return null;
        }

        if (at > 0 && MailDomains.NeedsRetyping(email[(at + 1)..]))
        {
            problems.Add("customer_email", "has an accent typed as a separate mark in its domain, as text copied from some documents has, which cannot be turned into the address mail is sent to: retype the domain, or give its xn-- form");
            return null;
        }

        var ascii = at > 0 ? AsciiDomain(email, at) : email;
        if (ascii is null || ascii.Length > MaxEmailLength || !IsEmailAddress(ascii))
        {
            problems.Add("customer_email", "must be an email address such as jane@example.com");
            return null;
        }

        return ascii;
    }

    private static string? AsciiDomain(string email, int at) =>
        MailDomains.ToAscii(email[(at + 1)..]) is { } domain ? string.Concat(email.AsSpan(..(at + 1)), domain) : null;

    // One the relay will send to (MailAddresses), not only one .NET parses: that takes non-ASCII and bracketed domains
    // and quoted local parts, and the order's confirmation would fail at the relay after the order was placed.
    private static bool IsEmailAddress(string text) =>
        MailAddresses.IsBareSendable(text)
        && MailAddress.TryCreate(text, out var address)
        && address.Address == text
        && address.DisplayName.Length == 0
        && address.Host.Contains('.', StringComparison.Ordinal)
        && !text.Any(char.IsWhiteSpace);

    private static bool Fail(Errors problems, out PlaceOrderRequest? request, out Dictionary<string, string[]> errors)
    {
        request = null;
        errors = problems.ToDictionary();
        return false;
    }

    private sealed class Errors
    {
        private readonly Dictionary<string, List<string>> _byField = new(StringComparer.Ordinal);

        public bool Any => _byField.Count > 0;

        public void Add(string field, string message)
        {
            if (!_byField.TryGetValue(field, out var messages))
            {
                _byField[field] = messages = [];
            }

            messages.Add(message);
        }

        public Dictionary<string, string[]> ToDictionary() => _byField.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);
    }
}
