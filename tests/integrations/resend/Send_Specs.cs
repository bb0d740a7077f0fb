using System.Text.Json.Nodes;

namespace OrdersMail.Integrations.Resend.Tests;

/// <summary>A send: what goes on the wire (key, headers, body), what comes back, and what the Idempotency-Key makes of a repeat.</summary>
public sealed class Send_Specs : IAsyncLifetime
{
    private ResendHarness _resend = null!;

    public async Task InitializeAsync() => _resend = await ResendHarness.StartAsync();

    public async Task DisposeAsync() => await _resend.DisposeAsync();

    [Fact]
    public async Task Should_send_with_the_Idempotency_Key_the_api_key_and_the_email_headers_and_return_Resends_id()
    {
        var key = ResendHarness.NewKey();
        var email = ResendHarness.NewEmail() with
        {
            ReplyTo = "jane@agentmail.to",
            Headers = new Dictionary<string, string> { ["Message-ID"] = "<e1@ordersmail.local>", ["In-Reply-To"] = "<original@mail>" },
        };

        var id = await _resend.Client.SendAsync(email, key, default);

        Assert.True(Guid.TryParse(id, out _), $"Resend's id is a UUID: {id}");
        var request = Assert.Single(_resend.Requests.All);
        Assert.Equal((HttpMethod.Post, "/resend/emails"), (request.Method, request.Uri.AbsolutePath));
        Assert.Equal(key, request.Headers["Idempotency-Key"]);
        Assert.Equal("Bearer re_test_key", request.Headers["Authorization"]);
        var body = JsonNode.Parse(request.Body!)!.AsObject();
        Assert.Equal("<e1@ordersmail.local>", body["headers"]!["Message-ID"]!.GetValue<string>());
        Assert.Equal("<original@mail>", body["headers"]!["In-Reply-To"]!.GetValue<string>());
        Assert.Equal("jane@agentmail.to", body["reply_to"]!.GetValue<string>());
        Assert.False(body.ContainsKey("cc"), "an absent list is left out, not sent as null");
        Assert.Equal(1, await _resend.SendsOfAsync(email.Subject));
    }

    [Fact]
    public async Task Should_answer_a_repeat_with_the_same_key_and_body_with_the_first_sends_id_and_send_nothing()
    {
        var key = ResendHarness.NewKey();
        var email = ResendHarness.NewEmail();

        var first = await _resend.Client.SendAsync(email, key, default);
        var repeat = await _resend.Client.SendAsync(email, key, default);

        Assert.Equal(first, repeat);
        Assert.Equal(2, _resend.Requests.All.Count);
        Assert.Equal(1, await _resend.SendsOfAsync(email.Subject));
    }

    [Fact]
    public async Task Should_refuse_a_repeat_with_the_same_key_and_another_body_without_retrying()
    {
        var key = ResendHarness.NewKey();
        await _resend.Client.SendAsync(ResendHarness.NewEmail(), key, default);

        var refused = await Assert.ThrowsAsync<ResendException>(() => _resend.Client.SendAsync(ResendHarness.NewEmail(), key, default));

        Assert.Equal((409, "invalid_idempotent_request"), (refused.StatusCode, refused.Name));
        Assert.Equal(2, _resend.Requests.All.Count);
    }

    [Fact]
    public async Task Should_report_Resends_validation_error_by_name_without_retrying()
    {
        var invalid = ResendHarness.NewEmail() with { To = ["not an address"] };

        var refused = await Assert.ThrowsAsync<ResendException>(() => _resend.Client.SendAsync(invalid, ResendHarness.NewKey(), default));

        Assert.Equal((400, "validation_error"), (refused.StatusCode, refused.Name));
        Assert.Single(_resend.Requests.All);
        Assert.Equal(0, await _resend.SendsOfAsync(invalid.Subject));
    }

    /// <summary>
    /// A refusal labelled with a charset .NET cannot decode: its status still decides, a ResendException as for any
    /// refusal, without the name its body would have given.
    /// </summary>
    [Fact]
    public async Task Should_report_a_refusal_whose_body_cannot_be_decoded_by_its_status_without_retrying()
    {
        await _resend.AddFaultAsync(new { api = "resend", operation = "emails.send", error_status = 403, answer_charset = "x-unknown", times = 1 });
        var email = ResendHarness.NewEmail();

        var refused = await Assert.ThrowsAsync<ResendException>(() => _resend.Client.SendAsync(email, ResendHarness.NewKey(), default));

        Assert.Equal((403, null), (refused.StatusCode, refused.Name));
        Assert.Single(_resend.Requests.All);
        Assert.Equal(0, await _resend.SendsOfAsync(email.Subject));
    }
}
