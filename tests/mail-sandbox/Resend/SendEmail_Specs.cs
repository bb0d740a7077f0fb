using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using OrdersMail.MailSandbox.Tests.Support;

namespace OrdersMail.MailSandbox.Tests.Resend;

/// <summary><c>POST /resend/emails</c> and <c>GET /resend/emails/{id}</c> (docs/resend.md §1, §4).</summary>
public sealed class SendEmail_Specs(UnthrottledSandbox sandbox) : IClassFixture<UnthrottledSandbox>
{
    private readonly SandboxFactory _factory = sandbox.Factory;

    [Fact]
    public async Task When_an_email_is_sent_Should_answer_200_with_a_uuid_and_serve_it_back()
    {
        using var client = _factory.ResendWithOwnKey();
        var body = ResendCalls.Email();
        body["text"] = "Your order has shipped.";
        body["cc"] = "ops@acme.example";
        body["reply_to"] = new JsonArray("support@acme.example");

        using var sent = await client.SendEmailAsync(body);
        var id = (await sent.JsonAsync())["id"]!.GetValue<string>();
        var email = await client.GetFromJsonAsync<JsonObject>($"/resend/emails/{id}");

        Assert.Equal(200, (int)sent.StatusCode);
        Assert.True(Guid.TryParse(id, out _), id);
        Assert.Equal("email", email!["object"]!.GetValue<string>());
        Assert.Equal(id, email["id"]!.GetValue<string>());
        Assert.Equal("Acme Orders <orders@acme.example>", email["from"]!.GetValue<string>());
        Assert.Equal(["jane@customer.example"], email["to"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.Equal(body["subject"]!.GetValue<string>(), email["subject"]!.GetValue<string>());
        Assert.Equal("<p>Your order has shipped.</p>", email["html"]!.GetValue<string>());
        Assert.Equal("Your order has shipped.", email["text"]!.GetValue<string>());
        Assert.Equal(["ops@acme.example"], email["cc"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.Equal(["support@acme.example"], email["reply_to"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.InRange(DateTimeOffset.Parse(email["created_at"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture), DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow);
        Assert.Equal("delivered", email["last_event"]!.GetValue<string>());
    }

    [Fact]
    public async Task When_to_is_an_array_Should_keep_every_recipient()
    {
        using var client = _factory.ResendWithOwnKey();
        var body = ResendCalls.Email();
        body["to"] = new JsonArray("jane@customer.example", "John Doe <john@customer.example>");

        var id = await client.SendEmailIdAsync(body);
        var email = await client.GetFromJsonAsync<JsonObject>($"/resend/emails/{id}");

        Assert.Equal(["jane@customer.example", "John Doe <john@customer.example>"], email!["to"]!.AsArray().Select(t => t!.GetValue<string>()));
    }

    [Theory]
    [InlineData("orders@acme.example")]
    [InlineData("Acme Orders <orders@acme.example>")]
    [InlineData("\"Acme, Inc.\" <orders@mail.acme.example>")]
    public async Task When_from_is_bare_or_has_a_display_name_Should_accept_it(string from)
    {
        using var client = _factory.ResendWithOwnKey();
        var body = ResendCalls.Email();
        body["from"] = from;

        using var response = await client.SendEmailAsync(body);

        Assert.Equal(200, (int)response.StatusCode);
    }

    [Fact]
    public async Task When_the_api_key_is_missing_Should_answer_401_missing_api_key()
    {
        using var client = _factory.CreateClient();

        using var response = await client.SendEmailAsync(ResendCalls.Email());

        await response.ShouldBeResendErrorAsync(401, "missing_api_key");
    }

    [Theory]
    [InlineData("am_not_a_resend_key")]
    [InlineData("re_")]
    public async Task When_the_api_key_is_not_a_resend_key_Should_answer_403_invalid_api_key(string key)
    {
        using var client = _factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);

        using var response = await client.SendEmailAsync(ResendCalls.Email());

        await response.ShouldBeResendErrorAsync(403, "invalid_api_key");
    }

    [Theory]
    [InlineData("from")]
    [InlineData("to")]
    [InlineData("subject")]
    public async Task When_a_required_field_is_missing_Should_answer_422_missing_required_field(string field)
    {
        using var client = _factory.ResendWithOwnKey();
        var body = ResendCalls.Email();
        body.Remove(field);

        using var response = await client.SendEmailAsync(body);

        var error = await response.ShouldBeResendErrorAsync(422, "missing_required_field");
        Assert.Contains($"`{field}`", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_neither_html_nor_text_is_given_Should_answer_422_missing_required_field()
    {
        using var client = _factory.ResendWithOwnKey();
        var body = ResendCalls.Email();
        body.Remove("html");

        using var response = await client.SendEmailAsync(body);

        await response.ShouldBeResendErrorAsync(422, "missing_required_field");
    }

    [Fact]
    public async Task When_to_is_an_empty_array_Should_answer_422_missing_required_field()
    {
        using var client = _factory.ResendWithOwnKey();
        var body = ResendCalls.Email();
        body["to"] = new JsonArray();

        using var response = await client.SendEmailAsync(body);

        await response.ShouldBeResendErrorAsync(422, "missing_required_field");
    }

    public static TheoryData<string, string> MalformedFields => new()
    {
        { "from", "\"Acme Orders\"" },
        { "from", "\"orders@\"" },
        { "to", "\"not an address\"" },
        { "to", "[\"jane@customer.example\", 42]" },
        { "cc", "\"ops(at)acme.example\"" },
        { "bcc", "[\"<>\"]" },
        { "reply_to", "\"Support <support>\"" },
        { "subject", "42" },
        { "html", "{\"p\": \"hi\"}" },
        { "headers", "{\"X-Order\": 42}" },
        { "tags", "[{\"name\": \"order id\", \"value\": \"42\"}]" },
        { "tags", "[{\"name\": \"order\", \"value\": \"4/2\"}]" },
        { "tags", "[{\"value\": \"42\"}]" },
        { "tags", $"[{{\"name\": \"{new string('a', 257)}\", \"value\": \"42\"}}]" },
    };

    [Theory]
    [MemberData(nameof(MalformedFields))]
    public async Task When_a_field_is_malformed_Should_answer_400_validation_error(string field, string json)
    {
        using var client = _factory.ResendWithOwnKey();
        var body = ResendCalls.Email();
        body[field] = JsonNode.Parse(json);

        using var response = await client.SendEmailAsync(body);

        await response.ShouldBeResendErrorAsync(400, "validation_error");
    }

    [Fact]
    public async Task When_tags_and_headers_are_well_formed_Should_accept_them()
    {
        using var client = _factory.ResendWithOwnKey();
        var body = ResendCalls.Email();
        body["tags"] = JsonNode.Parse($"[{{\"name\": \"order_id\", \"value\": \"ord-42\"}}, {{\"name\": \"{new string('a', 256)}\", \"value\": \"\"}}]");
        body["headers"] = JsonNode.Parse("{\"X-Order\": \"ord-42\"}");

        using var response = await client.SendEmailAsync(body);

        Assert.Equal(200, (int)response.StatusCode);
    }

    [Fact]
    public async Task When_to_has_more_than_50_recipients_Should_answer_400_validation_error()
    {
        using var client = _factory.ResendWithOwnKey();
        var fifty = ResendCalls.Email();
        fifty["to"] = new JsonArray([.. Enumerable.Range(1, 50).Select(i => JsonValue.Create($"r{i}@customer.example"))]);
        var fiftyOne = ResendCalls.Email();
        fiftyOne["to"] = new JsonArray([.. Enumerable.Range(1, 51).Select(i => JsonValue.Create($"r{i}@customer.example"))]);

        using var accepted = await client.SendEmailAsync(fifty);
        using var refused = await client.SendEmailAsync(fiftyOne);

        Assert.Equal(200, (int)accepted.StatusCode);
        await refused.ShouldBeResendErrorAsync(400, "validation_error");
    }

    [Fact]
    public async Task When_an_attachment_has_neither_content_nor_path_Should_answer_422_invalid_attachment()
    {
        using var client = _factory.ResendWithOwnKey();
        var body = ResendCalls.Email();
        body["attachments"] = JsonNode.Parse("[{\"filename\": \"invoice.pdf\"}]");

        using var response = await client.SendEmailAsync(body);

        await response.ShouldBeResendErrorAsync(422, "invalid_attachment");
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1, 2]")]
    [InlineData("")]
    public async Task When_the_body_is_not_a_json_object_Should_answer_400_validation_error(string raw)
    {
        using var client = _factory.ResendWithOwnKey();

        using var response = await client.PostAsync("/resend/emails", new StringContent(raw, Encoding.UTF8, "application/json"));

        await response.ShouldBeResendErrorAsync(400, "validation_error");
    }

    [Fact]
    public async Task When_the_email_is_unknown_Should_answer_404_not_found()
    {
        using var client = _factory.ResendWithOwnKey();

        using var response = await client.GetAsync($"/resend/emails/{Guid.NewGuid()}");

        await response.ShouldBeResendErrorAsync(404, "not_found");
    }

    [Fact]
    public async Task When_the_id_is_not_a_uuid_Should_answer_422_invalid_parameter()
    {
        using var client = _factory.ResendWithOwnKey();

        using var response = await client.GetAsync("/resend/emails/not-a-uuid");

        await response.ShouldBeResendErrorAsync(422, "invalid_parameter");
    }
}
