using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OrdersMail.MailSandbox.Tests.Support;

namespace OrdersMail.MailSandbox.Tests.Resend;

/// <summary>The Resend controls under <c>/sandbox/resend</c>: webhook endpoints, designated recipients, reset.</summary>
public sealed class ResendControl_Specs(UnthrottledSandbox sandbox) : IClassFixture<UnthrottledSandbox>
{
    private readonly SandboxFactory _factory = sandbox.Factory;

    [Fact]
    public async Task When_a_webhook_endpoint_is_added_Should_answer_with_its_signing_secret_and_list_it_until_deleted()
    {
        using var control = _factory.CreateClient();

        var created = await _factory.AddWebhookAsync("http://127.0.0.1:9/hooks");
        var id = created["id"]!.GetValue<string>();
        var fetched = await control.GetFromJsonAsync<JsonObject>($"/sandbox/resend/webhooks/{id}");
        var listed = await control.GetFromJsonAsync<JsonObject>("/sandbox/resend/webhooks");
        using var deleted = await control.DeleteAsync($"/sandbox/resend/webhooks/{id}");
        using var gone = await control.GetAsync($"/sandbox/resend/webhooks/{id}");

        Assert.True(Guid.TryParse(id, out _));
        var secret = created["signing_secret"]!.GetValue<string>();
        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        Assert.Equal(24, Convert.FromBase64String(secret["whsec_".Length..]).Length);
        Assert.Equal("http://127.0.0.1:9/hooks", created["url"]!.GetValue<string>());
        Assert.Contains("email.sent", created["events"]!.AsArray().Select(e => e!.GetValue<string>()));
        Assert.Contains("email.bounced", created["events"]!.AsArray().Select(e => e!.GetValue<string>()));
        Assert.Contains("contact.created", created["events"]!.AsArray().Select(e => e!.GetValue<string>()));
        Assert.Equal(secret, fetched!["signing_secret"]!.GetValue<string>());
        Assert.Contains(id, listed!["data"]!.AsArray().Select(e => e!["id"]!.GetValue<string>()));
        Assert.Equal(204, (int)deleted.StatusCode);
        Assert.Equal(404, (int)gone.StatusCode);
    }

    [Fact]
    public async Task When_a_webhook_endpoint_lists_events_Should_keep_just_those()
    {
        var created = await _factory.AddWebhookAsync("http://127.0.0.1:9/hooks", "email.delivered", "email.bounced");

        Assert.Equal(["email.delivered", "email.bounced"], created["events"]!.AsArray().Select(e => e!.GetValue<string>()));
    }

    [Theory]
    [InlineData("""{"url": "not a url"}""")]
    [InlineData("""{"url": "ftp://127.0.0.1/hooks"}""")]
    [InlineData("""{"url": "http://127.0.0.1/hooks", "events": ["email.exploded"]}""")]
    [InlineData("""{"url": "http://127.0.0.1/hooks", "events": []}""")]
    public async Task When_a_webhook_endpoint_is_malformed_Should_answer_400(string json)
    {
        using var control = _factory.CreateClient();

        using var response = await control.PostAsync("/sandbox/resend/webhooks", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(400, (int)response.StatusCode);
        Assert.NotNull((await response.JsonAsync())["error"]);
    }

    [Theory]
    [InlineData("jane@customer.example", "exploded")]
    [InlineData("Jane <jane@customer.example>", "bounced")]
    [InlineData("jane", "bounced")]
    public async Task When_a_designation_is_malformed_Should_answer_400(string address, string outcome)
    {
        using var control = _factory.CreateClient();

        using var response = await control.PostAsJsonAsync("/sandbox/resend/recipients", new { address, outcome });

        Assert.Equal(400, (int)response.StatusCode);
    }

    [Fact]
    public async Task When_recipients_are_designated_Should_list_them_until_cleared()
    {
        using var control = _factory.CreateClient();
        await _factory.DesignateAsync("listed@customer.example", "complained");

        var listed = await control.GetFromJsonAsync<JsonObject>("/sandbox/resend/recipients");
        using var cleared = await control.DeleteAsync("/sandbox/resend/recipients");
        var afterClearing = await control.GetFromJsonAsync<JsonObject>("/sandbox/resend/recipients");

        Assert.Contains(listed!["data"]!.AsArray(), r => r!["address"]!.GetValue<string>() == "listed@customer.example" && r["outcome"]!.GetValue<string>() == "complained");
        Assert.Equal(204, (int)cleared.StatusCode);
        Assert.Empty(afterClearing!["data"]!.AsArray());
    }

    [Fact]
    public async Task When_the_sandbox_is_reset_Should_forget_emails_endpoints_designations_and_idempotency_keys()
    {
        await using var factory = new SandboxFactory();
        using var control = factory.CreateClient();
        using var client = factory.ResendWithOwnKey();
        await factory.AddWebhookAsync("http://127.0.0.1:9/hooks");
        await factory.DesignateAsync("gone@customer.example", "bounced");
        var body = ResendCalls.Email();
        var id = await client.SendEmailIdAsync(body, "reset-me");

        using var reset = await control.PostAsync("/sandbox/reset", null);
        using var email = await client.GetAsync($"/resend/emails/{id}");
        var endpoints = await control.GetFromJsonAsync<JsonObject>("/sandbox/resend/webhooks");
        var designations = await control.GetFromJsonAsync<JsonObject>("/sandbox/resend/recipients");
        var resent = await client.SendEmailIdAsync(body, "reset-me");

        Assert.Equal(204, (int)reset.StatusCode);
        Assert.Equal(404, (int)email.StatusCode);
        Assert.Empty(endpoints!["data"]!.AsArray());
        Assert.Empty(designations!["data"]!.AsArray());
        Assert.NotEqual(id, resent);
    }
}
