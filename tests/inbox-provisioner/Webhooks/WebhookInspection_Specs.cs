using OrdersMail.InboxProvisioner.Steps;
using OrdersMail.Integrations.AgentMail;

namespace OrdersMail.InboxProvisioner.Tests.Webhooks;

/// <summary>Comparing what AgentMail stores with what was asked for.</summary>
public sealed class WebhookInspection_Specs
{
    private const string Inbox = "jane@agentmail.to";
    private const string Url = "https://router.example/webhooks/agentmail";
    private static readonly string[] Events = ["message.received", "message.sent", "message.delivered", "message.bounced"];

    /// <summary>Exactly what was asked for.</summary>
    [Fact]
    public void Should_match_a_webhook_stored_as_asked() =>
        Assert.True(WebhookInspection.Of(Stored(), Inbox, Url, Events).Matches);

    /// <summary>Event types in another order still match; the inbox id's case does not matter.</summary>
    [Fact]
    public void Should_match_regardless_of_order_and_case() =>
        Assert.True(WebhookInspection.Of(Stored() with { EventTypes = [.. Events.Reverse()], InboxIds = ["JANE@agentmail.to"] }, Inbox, Url, Events).Matches);

    /// <summary>No inbox and no pod: org-wide, to be deleted at once.</summary>
    [Fact]
    public void Should_flag_an_org_wide_webhook()
    {
        var inspection = WebhookInspection.Of(Stored() with { InboxIds = [] }, Inbox, Url, Events);

        Assert.True(inspection.OrgWide);
        Assert.True(inspection.NeedsRecreate);
        Assert.Contains("org-wide", Assert.Single(inspection.Findings), StringComparison.Ordinal);
    }

    /// <summary>Another inbox, an extra inbox, or a pod in scope: mis-scoped, re-created.</summary>
    [Theory]
    [InlineData("other@agentmail.to", null)]
    [InlineData("jane@agentmail.to,other@agentmail.to", null)]
    [InlineData("jane@agentmail.to", "pod_1")]
    public void Should_flag_a_mis_scoped_webhook(string inboxIds, string? podId)
    {
        var stored = Stored() with { InboxIds = inboxIds.Split(','), PodIds = podId is null ? [] : [podId] };

        var inspection = WebhookInspection.Of(stored, Inbox, Url, Events);

        Assert.False(inspection.OrgWide);
        Assert.True(inspection.NeedsRecreate);
        Assert.Contains("not to jane@agentmail.to alone", Assert.Single(inspection.Findings), StringComparison.Ordinal);
    }

    /// <summary>A missing or extra event type is patched in place.</summary>
    [Fact]
    public void Should_flag_missing_and_extra_event_types_as_patchable()
    {
        var inspection = WebhookInspection.Of(Stored() with { EventTypes = ["message.received", "message.sent", "message.delivered", "message.opened"] }, Inbox, Url, Events);

        Assert.False(inspection.NeedsRecreate);
        Assert.Equal(2, inspection.Findings.Count);
        Assert.Contains(inspection.Findings, f => f.Contains("lacks event types message.bounced", StringComparison.Ordinal));
        Assert.Contains(inspection.Findings, f => f.Contains("unasked-for event types message.opened", StringComparison.Ordinal));
    }

    /// <summary>Another url, or disabled: only re-creating fixes it (AgentMail has no PATCH for either).</summary>
    [Fact]
    public void Should_recreate_for_a_wrong_url_or_a_disabled_webhook()
    {
        Assert.True(WebhookInspection.Of(Stored() with { Url = "https://elsewhere.example/" }, Inbox, Url, Events).NeedsRecreate);
        Assert.True(WebhookInspection.Of(Stored() with { Enabled = false }, Inbox, Url, Events).NeedsRecreate);
    }

    /// <summary>Gone altogether.</summary>
    [Fact]
    public void Should_recreate_a_webhook_that_no_longer_exists()
    {
        var inspection = WebhookInspection.Of(null, Inbox, Url, Events);

        Assert.True(inspection.NeedsRecreate);
        Assert.False(inspection.Matches);
    }

    private static AgentMailWebhook Stored() =>
        new("ep_1", Url, Events, [Inbox], [], true, "inbox-user_1-webhook-0", DateTimeOffset.UtcNow, DateTimeOffset.UtcNow);
}
