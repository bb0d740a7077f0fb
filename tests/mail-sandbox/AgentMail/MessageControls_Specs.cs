using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OrdersMail.MailSandbox.Tests.Support;

namespace OrdersMail.MailSandbox.Tests.AgentMail;

/// <summary>
/// The bouncing-address controls, and what <c>POST /sandbox/reset</c> does to the message state. Reset wipes the
/// whole sandbox, so these specs have a sandbox of their own.
/// </summary>
public sealed class MessageControls_Specs(SandboxFactory factory) : IClassFixture<SandboxFactory>, IDisposable
{
    private readonly MessageApi _api = new(factory);

    [Fact]
    public async Task When_marking_listing_and_clearing_bouncing_addresses_Should_keep_bare_addresses_until_cleared()
    {
        await _api.MarkBouncingAsync("Gone Away <Gone@Acme.example>", "lost@acme.example");

        var listed = await _api.Control.GetFromJsonAsync<JsonObject>("/sandbox/agentmail/bouncing");
        var invalid = await _api.Control.PostAsJsonAsync("/sandbox/agentmail/bouncing", new { addresses = new List<string> { "nope" } });
        var missing = await _api.Control.PostAsJsonAsync("/sandbox/agentmail/bouncing", new { });
        var cleared = await _api.Control.DeleteAsync("/sandbox/agentmail/bouncing");

        Assert.Equal(["Gone@Acme.example", "lost@acme.example"], listed!["addresses"]!.AsArray().Select(a => (string)a!));
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, cleared.StatusCode);
        Assert.Empty((await _api.Control.GetFromJsonAsync<JsonObject>("/sandbox/agentmail/bouncing"))!["addresses"]!.AsArray());
    }

    [Fact]
    public async Task When_the_sandbox_is_reset_Should_forget_bouncing_addresses_and_idempotency_keys()
    {
        var key = $"send-{Guid.NewGuid():N}";
        var before = await _api.CreateInboxAsync("reset");
        await _api.MarkBouncingAsync("gone@acme.example");
        Assert.Equal(HttpStatusCode.OK, (await _api.PostAsync($"{MessageApi.Messages(before)}/send", """{"to":"jane@acme.example"}""", key)).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await _api.Control.PostAsync("/sandbox/reset", null)).StatusCode);

        var after = await _api.CreateInboxAsync("reset");
        Assert.Empty((await _api.Control.GetFromJsonAsync<JsonObject>("/sandbox/agentmail/bouncing"))!["addresses"]!.AsArray());
        Assert.Equal(HttpStatusCode.OK, (await _api.PostAsync($"{MessageApi.Messages(after)}/send", """{"to":"bob@acme.example"}""", key)).StatusCode);
    }

    public void Dispose() => _api.Dispose();
}
