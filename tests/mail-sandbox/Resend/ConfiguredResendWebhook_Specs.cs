using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OrdersMail.MailSandbox.Tests.Support;

namespace OrdersMail.MailSandbox.Tests.Resend;

/// <summary>
/// Resend endpoints given in configuration (docker-compose, where no script can register one and hand its secret
/// on), and the control API's list of sent emails with the headers a recipient's mail client shows.
/// </summary>
public sealed class ConfiguredResendWebhook_Specs : IDisposable
{
    private const string Secret = "whsec_/OKSdyfhgAtzh9O6eUlAu94qhqAXtYe6";

    private readonly SandboxFactory _factory = new();

    public ConfiguredResendWebhook_Specs()
    {
        _factory.Settings["MailSandbox:ResendWebhooks:0:Url"] = "http://delivery-tracker:5400/webhooks/resend";
        _factory.Settings["MailSandbox:ResendWebhooks:0:SigningSecret"] = Secret;
    }

    [Fact]
    public async Task When_an_endpoint_is_configured_Should_have_it_from_the_start_with_that_secret_for_every_event()
    {
        using var control = _factory.CreateClient();

        var listed = (await control.GetFromJsonAsync<JsonObject>("/sandbox/resend/webhooks"))!["data"]!.AsArray();

        var endpoint = Assert.Single(listed)!;
        Assert.Equal("http://delivery-tracker:5400/webhooks/resend", endpoint["url"]!.GetValue<string>());
        Assert.Equal(Secret, endpoint["signing_secret"]!.GetValue<string>());
        Assert.Contains("email.delivered", endpoint["events"]!.AsArray().Select(e => e!.GetValue<string>()));
        Assert.Contains("email.complained", endpoint["events"]!.AsArray().Select(e => e!.GetValue<string>()));
    }

    [Fact]
    public async Task When_an_email_was_sent_with_headers_Should_list_them_as_its_recipient_sees_them()
    {
        using var resend = _factory.ResendWithOwnKey();
        using var control = _factory.CreateClient();
        var email = ResendCalls.Email();
        email["headers"] = new JsonObject { ["Message-ID"] = "<confirmation-1@orders.example>" };

        var id = await resend.SendEmailIdAsync(email);
        var listed = (await control.GetFromJsonAsync<JsonObject>("/sandbox/resend/emails"))!["data"]!.AsArray();

        var sent = Assert.Single(listed, e => e!["id"]!.GetValue<string>() == id)!;
        Assert.Equal("<confirmation-1@orders.example>", sent["headers"]!["Message-ID"]!.GetValue<string>());
    }

    public void Dispose() => _factory.Dispose();
}
