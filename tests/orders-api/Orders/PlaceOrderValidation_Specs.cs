using System.Text.Json;
using System.Text.Json.Nodes;
using OrdersMail.BuildingBlocks.MailOutbox;
using OrdersMail.OrdersApi.Orders;

namespace OrdersMail.OrdersApi.Tests.Orders;

public sealed class PlaceOrderValidation_Specs
{
    [Fact]
    public void When_the_body_is_valid_Should_give_the_normalised_order_and_its_total()
    {
        var valid = PlaceOrderValidation.TryValidate(OrderRequests.Element(OrderRequests.Body()), out var request, out var errors);

        Assert.True(valid, string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(", ", e.Value)}")));
        Assert.NotNull(request);
        Assert.Equal("jane@example.com", request.CustomerEmail);
        Assert.Equal("EUR", request.Currency);
        Assert.Equal(2, request.Items.Count);
        Assert.Equal(45m, request.Total);
    }

    [Fact]
    public void When_every_field_is_wrong_Should_name_each_one_by_its_path()
    {
        var body = JsonNode.Parse("""
            {
              "customer_email": "not an address",
              "customer_name": 42,
              "currency": "eur",
              "items": [
                { "sku": "A", "name": "Fine", "quantity": 1, "unit_price": 1 },
                { "name": " ", "quantity": 0, "unit_price": -1 },
                { "sku": 7, "name": "Typed wrong", "quantity": "two", "unit_price": "1.00" },
                { "sku": "B", "name": "Fraction", "quantity": 1.5, "unit_price": 0.00001 },
                "not an object"
              ]
            }
            """)!;

        var valid = PlaceOrderValidation.TryValidate(OrderRequests.Element(body), out _, out var errors);

        Assert.False(valid);
        Assert.Equal(
            [
                "currency", "customer_email", "customer_name",
                "items[1].name", "items[1].quantity", "items[1].sku", "items[1].unit_price",
                "items[2].quantity", "items[2].sku", "items[2].unit_price",
                "items[3].quantity", "items[3].unit_price",
                "items[4]",
            ],
            errors.Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("XYZ")]
    [InlineData("EURO")]
    [InlineData("usd")]
    [InlineData("")]
    public void When_the_currency_is_not_an_ISO_4217_code_Should_refuse_it(string currency)
    {
        var valid = PlaceOrderValidation.TryValidate(OrderRequests.Element(OrderRequests.Body(b => b["currency"] = currency)), out _, out var errors);

        Assert.False(valid);
        Assert.Equal(["currency"], errors.Keys);
    }

    [Theory]
    [InlineData("USD")]
    [InlineData("JPY")]
    [InlineData("CHF")]
    public void When_the_currency_is_an_ISO_4217_code_Should_accept_it(string currency)
    {
        Assert.True(PlaceOrderValidation.TryValidate(OrderRequests.Element(OrderRequests.Body(b => b["currency"] = currency)), out _, out _));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(PlaceOrderValidation.MaxItems + 1)]
    public void When_there_are_no_lines_or_too_many_Should_name_items(int count)
    {
        var lines = new JsonArray([.. Enumerable.Range(0, count).Select(i => (JsonNode)new JsonObject { ["sku"] = $"S{i}", ["name"] = "N", ["quantity"] = 1, ["unit_price"] = 1 })]);

        var valid = PlaceOrderValidation.TryValidate(OrderRequests.Element(OrderRequests.Body(b => b["items"] = lines)), out _, out var errors);

        Assert.False(valid);
        Assert.Equal(["items"], errors.Keys);
    }

    [Fact]
    public void When_required_fields_are_missing_Should_name_each_one()
    {
        var valid = PlaceOrderValidation.TryValidate(OrderRequests.Element(new JsonObject()), out _, out var errors);

        Assert.False(valid);
        Assert.Equal(["currency", "customer_email", "items"], errors.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void When_the_body_is_not_an_object_Should_say_so()
    {
        var valid = PlaceOrderValidation.TryValidate(JsonDocument.Parse("[1, 2]").RootElement, out _, out var errors);

        Assert.False(valid);
        Assert.Equal(["body"], errors.Keys);
    }

    [Theory]
    [InlineData("jane@example")]
    [InlineData("Jane <jane@example.com>")]
    [InlineData(" jane@example.com")]
    [InlineData("jane@@example.com")]
    [InlineData("jane@shop_1.example.com")]
    [InlineData("jane@[192.0.2.1]")]
    [InlineData("\"jane\"@example.com")]
    [InlineData("taro.@docomo.ne.jp")]
    [InlineData(".taro@docomo.ne.jp")]
    [InlineData("ta..ro@docomo.ne.jp")]
    [InlineData("anna@müller_shop.de")]
    public void When_the_email_is_not_a_plain_address_Should_refuse_it(string email)
    {
        var valid = PlaceOrderValidation.TryValidate(OrderRequests.Element(OrderRequests.Body(b => b["customer_email"] = email)), out _, out var errors);

        Assert.False(valid);
        Assert.Equal(["customer_email"], errors.Keys);
    }

    /// <summary>Every address taken is one the relay sends the confirmation to: a domain in punycode, a plus, a subdomain.</summary>
    [Theory]
    [InlineData("anna@xn--mller-kva.de")]
    [InlineData("jane+orders@mail.example.co.uk")]
    public void When_the_email_is_one_the_relay_sends_to_Should_take_it(string email)
    {
        Assert.True(PlaceOrderValidation.TryValidate(OrderRequests.Element(OrderRequests.Body(b => b["customer_email"] = email)), out var request, out _));

        Assert.Equal(email, request.CustomerEmail);
        Assert.True(MailAddresses.IsSendable(request.CustomerEmail));
    }

    /// <summary>An internationalised domain is taken in the punycode form the relay sends to; the sender check matches either.</summary>
    [Fact]
    public void When_the_domain_is_internationalised_Should_take_it_in_punycode()
    {
        Assert.True(PlaceOrderValidation.TryValidate(OrderRequests.Element(OrderRequests.Body(b => b["customer_email"] = "anna@müller.de")), out var request, out _));

        Assert.Equal("anna@xn--mller-kva.de", request.CustomerEmail);
    }

    /// <summary>
    /// A domain typed in capitals, by a full-width input method or with an ideographic full stop is stored in the punycode
    /// a mail client sends to: the runtime's invariant IdnMapping maps none of them, and MÜLLER.DE became
    /// xn--mller-2pa.de, a domain no one owns, so the confirmation bounced.
    /// </summary>
    [Theory]
    [InlineData("Anna@MÜLLER.DE", "Anna@xn--mller-kva.de")]
    [InlineData("anna@Müller.De", "anna@xn--mller-kva.de")]
    [InlineData("anna@müller\u3002de", "anna@xn--mller-kva.de")]
    [InlineData("jane@\uFF45\uFF58\uFF41\uFF4D\uFF50\uFF4C\uFF45.com", "jane@example.com")]
    [InlineData("jane@\uFF25\uFF38\uFF21\uFF2D\uFF30\uFF2C\uFF25\uFF0E\uFF23\uFF2F\uFF2D", "jane@example.com")]
    public void When_the_domain_is_typed_in_capitals_or_full_width_Should_store_the_punycode_mail_is_sent_to(string email, string stored)
    {
        Assert.True(PlaceOrderValidation.TryValidate(OrderRequests.Element(OrderRequests.Body(b => b["customer_email"] = email)), out var request, out var errors), string.Join("; ", errors.SelectMany(e => e.Value)));

        Assert.Equal(stored, request.CustomerEmail);
    }

    /// <summary>
    /// A domain pasted decomposed (ü as u and a combining diaeresis) cannot be composed under invariant globalization:
    /// it is refused saying so, where it was stored as xn--muller-xyd.de, a domain no one owns.
    /// </summary>
    [Fact]
    public void When_the_domain_holds_a_combining_accent_Should_refuse_it_asking_to_retype_the_domain()
    {
        var valid = PlaceOrderValidation.TryValidate(OrderRequests.Element(OrderRequests.Body(b => b["customer_email"] = "anna@mu\u0308ller.de")), out _, out var errors);

        Assert.False(valid);
        Assert.Contains("retype the domain", Assert.Single(errors["customer_email"]), StringComparison.Ordinal);
    }

    /// <summary>The providers deliver to no non-ASCII local part (no SMTPUTF8): an accented or full-width one is refused with that reason.</summary>
    [Theory]
    [InlineData("josé@example.com")]
    [InlineData("\uFF4A\uFF41\uFF4E\uFF45@example.com")]
    public void When_the_local_part_is_not_ascii_Should_refuse_it_saying_why(string email)
    {
        var valid = PlaceOrderValidation.TryValidate(OrderRequests.Element(OrderRequests.Body(b => b["customer_email"] = email)), out _, out var errors);

        Assert.False(valid);
        Assert.Contains("ASCII", Assert.Single(errors["customer_email"]), StringComparison.Ordinal);
    }

    [Fact]
    public void When_the_customer_name_is_blank_Should_treat_it_as_not_given()
    {
        Assert.True(PlaceOrderValidation.TryValidate(OrderRequests.Element(OrderRequests.Body(b => b["customer_name"] = "  ")), out var request, out _));

        Assert.Null(request.CustomerName);
    }

    [Fact]
    public void When_two_bodies_spell_the_same_order_differently_Should_give_them_one_fingerprint()
    {
        var plain = OrderRequests.Element(OrderRequests.Body());
        var spelledOtherwise = JsonDocument.Parse("""
            {
              "items": [
                { "unit_price": 12.50, "quantity": 2, "name": "Mug", "sku": "MUG-01" },
                { "unit_price": 20.0000, "quantity": 1, "name": "T-shirt", "sku": "TEE-02" }
              ],
              "currency": "EUR", "customer_name": "Jane Doe", "customer_email": "jane@example.com"
            }
            """).RootElement;
        var otherQuantity = OrderRequests.Element(OrderRequests.Body(b => b["items"]![0]!["quantity"] = 3));

        Assert.True(PlaceOrderValidation.TryValidate(plain, out var first, out _));
        Assert.True(PlaceOrderValidation.TryValidate(spelledOtherwise, out var second, out _));
        Assert.True(PlaceOrderValidation.TryValidate(otherQuantity, out var third, out _));

        Assert.Equal(first.Fingerprint(), second.Fingerprint());
        Assert.NotEqual(first.Fingerprint(), third.Fingerprint());
        Assert.Equal("12.5", second.Items[0].UnitPrice.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}
