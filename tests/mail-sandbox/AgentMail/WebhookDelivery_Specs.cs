using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using OrdersMail.MailSandbox.AgentMail;
using OrdersMail.MailSandbox.Tests.Support;
using OrdersMail.Testing.Http;

namespace OrdersMail.MailSandbox.Tests.AgentMail;

/// <summary>
/// Which webhooks an inbox's event reaches, over real HTTP: those scoped to the inbox or its pod and the org-wide
/// ones that want the event type, each signed with its own secret and carrying its write-only custom headers.
/// </summary>
public sealed class WebhookDelivery_Specs(SandboxFactory factory) : IClassFixture<SandboxFactory>, IAsyncLifetime
{
    public Task InitializeAsync() => factory.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task When_an_inbox_raises_an_event_Should_reach_its_scoped_pod_and_org_wide_webhooks_signed_with_their_secrets()
    {
        using var client = factory.AgentMail();
        await using var receiver = await WebhookReceiver.StartAsync();
        var inbox = await client.CreateInboxAsync(new { username = "a" });
        var a = inbox["inbox_id"]!.GetValue<string>();
        var b = await client.CreateInboxIdAsync("b");
        var secrets = new Dictionary<string, string>
        {
            ["/scoped"] = Secret(await client.SendRawAsync(HttpMethod.Post, $"{InboxHttp.V0}/inboxes/{a}/webhooks", $$$"""
                {"url":"{{{receiver.Url("/scoped")}}}","event_types":["message.received"],"headers":{"X-Orders-Token":"t0ken"}}
                """)),
            ["/org"] = Secret(await client.SendAsync(HttpMethod.Post, $"{InboxHttp.V0}/webhooks", new { url = receiver.Url("/org"), event_types = WebhookHttp.Received })),
            ["/pod"] = Secret(await client.SendAsync(HttpMethod.Post, $"{InboxHttp.V0}/webhooks", new { url = receiver.Url("/pod"), event_types = WebhookHttp.Received, pod_ids = new[] { inbox["pod_id"]!.GetValue<string>() } })),
        };
        await client.CreateInboxWebhookAsync(b, new { url = receiver.Url("/other-inbox"), event_types = WebhookHttp.Received });
        await client.SendRawAsync(HttpMethod.Post, $"{InboxHttp.V0}/webhooks", $$"""{"url":"{{receiver.Url("/sent-only")}}","event_types":["message.sent"]}""");

        factory.Services.GetRequiredService<AgentMailEvents>().Raise(a, "message.received", new Dictionary<string, object> { ["message"] = new { inbox_id = a } });

        var deliveries = await receiver.WaitForAsync(3, TimeSpan.FromSeconds(10));
        await Task.Delay(TimeSpan.FromMilliseconds(300));
        Assert.Equal("/org /pod /scoped", string.Join(' ', receiver.Received.Select(d => d.Path).Order(StringComparer.Ordinal)));
        foreach (var delivery in deliveries)
        {
            var h = delivery.Headers;
            Assert.True(SvixCheck.IsValid(secrets[delivery.Path], h["svix-id"], h["svix-timestamp"], delivery.Body, h["svix-signature"]), delivery.Path);
            Assert.Equal("message.received", JsonNode.Parse(delivery.Body)!["event_type"]!.GetValue<string>());
        }

        Assert.Equal("t0ken", deliveries.Single(d => d.Path == "/scoped").Headers["x-orders-token"]);
        Assert.False(deliveries.Single(d => d.Path == "/org").Headers.ContainsKey("x-orders-token"));
    }

    private static string Secret(WireReply created) => created.Json["secret"]!.GetValue<string>();
}
