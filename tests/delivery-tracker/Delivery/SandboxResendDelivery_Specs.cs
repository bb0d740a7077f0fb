using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OrdersMail.BuildingBlocks.Delivery;
using OrdersMail.DeliveryTracker.Delivery;
using OrdersMail.DeliveryTracker.Relay;
using OrdersMail.DeliveryTracker.Tests.Support;
using OrdersMail.Testing;

namespace OrdersMail.DeliveryTracker.Tests.Delivery;

/// <summary>Emails sent through the sandbox's Resend, whose Svix deliveries reach the tracker duplicated and newest first.</summary>
public sealed class SandboxResendDelivery_Specs(KestrelTrackerFixture fixture) : IClassFixture<KestrelTrackerFixture>
{
    [Fact]
    public async Task When_the_sandbox_delivers_every_event_twice_and_out_of_order_Should_end_each_email_in_its_outcome()
    {
        await DesignateAsync("bounce-me@example.com", "bounced");
        await DesignateAsync("complain-me@example.com", "complained");
        var fault = await fixture.Sandbox.Http.PostAsJsonAsync(
            "sandbox/faults", new { api = "resend", operation = "webhooks.deliver", duplicate = true, reorder_window_ms = 300 });
        fault.EnsureSuccessStatusCode();

        var outcomes = new Dictionary<string, string>
        {
            ["jane@example.com"] = "delivered",
            ["bounce-me@example.com"] = "bounced",
            ["complain-me@example.com"] = "complained",
        };
        var emails = new Dictionary<Guid, string>();
        foreach (var (to, outcome) in outcomes)
        {
            emails[await fixture.Database.SeedEmailAsync("resend", await SendAsync(to))] = outcome;
        }

        foreach (var (emailId, outcome) in emails)
        {
            await Eventually.Until(() => fixture.Database.StateOfAsync(emailId), s => s.State == outcome, TimeSpan.FromSeconds(20), $"email {emailId} to be {outcome}");
            var changes = await fixture.Database.ChangesOfAsync(emailId);
            Assert.Equal(outcome, DeliveryStates.Name(changes[^1].State));
            Assert.Equal(changes.Select(c => c.State).Distinct().Count(), changes.Count);
        }
    }

    private async Task DesignateAsync(string address, string outcome) =>
        (await fixture.Sandbox.Http.PostAsJsonAsync("sandbox/resend/recipients", new { address, outcome })).EnsureSuccessStatusCode();

    /// <summary>
    /// Sends through the sandbox's Resend as the relay would, with its tag: the sandbox raises the events at once, so they
    /// may reach the tracker before the email is seeded, and only an email tagged as the relay's is kept for later.
    /// Resend's id of the email.
    /// </summary>
    private async Task<string> SendAsync(string to)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "resend/emails")
        {
            Content = JsonContent.Create(new
            {
                from = "Orders <orders@ordersmail.example>",
                to = new[] { to },
                subject = "Your order",
                text = "Thanks.",
                tags = new[] { new { name = RelayTag.Name, value = RelayTag.DefaultValue } },
            }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "re_test_tracker");
        var response = await fixture.Sandbox.Http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
    }
}
