using System.Text;
using OrdersMail.BuildingBlocks.Webhooks;
using OrdersMail.Contracts.Outbound;
using OrdersMail.DeliveryTracker.Delivery;
using OrdersMail.DeliveryTracker.Relay;

namespace OrdersMail.DeliveryTracker.Tests.Delivery;

/// <summary>Reading Resend's webhook bodies (docs/resend.md §5).</summary>
public sealed class ResendEventParser_Specs
{
    // The docs' example, as Resend prints it (type first) and with its two timestamp formats.
    private const string DocsDelivered =
        """{"type":"email.delivered","created_at":"2024-02-22T23:41:12.126Z","data":{"broadcast_id":"8b146471-e88e-4322-86af-016cd36fd216","created_at":"2024-02-22T23:41:11.894719+00:00","email_id":"56761188-7520-42d8-8898-ff6fc54ce618","from":"Acme <onboarding@resend.dev>","to":["delivered@resend.dev"],"subject":"Sending this example","template_id":"43f68331-0622-4e15-8202-246a0388854b","tags":{"category":"confirm_email"}}}""";

    [Fact]
    public void Should_read_the_docs_example()
    {
        var parsed = Parse(DocsDelivered);

        Assert.Equal(ResendEventKind.Tracked, parsed.Kind);
        Assert.Equal("56761188-7520-42d8-8898-ff6fc54ce618", parsed.EmailId);
        Assert.Equal(DeliveryState.Delivered, parsed.State);
        Assert.Equal(new DateTimeOffset(2024, 2, 22, 23, 41, 12, 126, TimeSpan.Zero), parsed.OccurredAt);
    }

    [Fact]
    public void Should_read_by_name_with_type_last_and_fall_back_to_the_emails_time()
    {
        var parsed = Parse("""{"data":{"created_at":"2024-02-22T23:41:11.894719+00:00","email_id":"e1"},"type":"email.sent"}""");

        Assert.Equal((ResendEventKind.Tracked, DeliveryState.Sent, "e1"), (parsed.Kind, parsed.State, parsed.EmailId));
        Assert.Equal(new DateTimeOffset(2024, 2, 22, 23, 41, 11, TimeSpan.Zero).AddTicks(8947190), parsed.OccurredAt);
    }

    [Theory]
    [InlineData("email.sent", DeliveryState.Sent)]
    [InlineData("email.delivery_delayed", DeliveryState.DeliveryDelayed)]
    [InlineData("email.delivered", DeliveryState.Delivered)]
    [InlineData("email.bounced", DeliveryState.Bounced)]
    [InlineData("email.complained", DeliveryState.Complained)]
    [InlineData("email.failed", DeliveryState.Failed)]
    [InlineData("email.suppressed", DeliveryState.Bounced)]
    public void Should_map_each_delivery_event_to_its_state(string type, DeliveryState state) =>
        Assert.Equal(state, Parse($$"""{"created_at":"2026-01-01T00:00:00Z","data":{"email_id":"e"},"type":"{{type}}"}""").State);

    [Fact]
    public void Should_keep_the_bounce_and_failure_reasons()
    {
        var bounced = Parse("""{"created_at":"2026-01-01T00:00:00Z","data":{"email_id":"e","bounce":{"message":"Mailbox does not exist","type":"Permanent","subType":"General"}},"type":"email.bounced"}""");
        var failed = Parse("""{"created_at":"2026-01-01T00:00:00Z","data":{"email_id":"e","failed":{"reason":"reached_daily_quota"}},"type":"email.failed"}""");

        Assert.Equal("Permanent: Mailbox does not exist", bounced.Detail);
        Assert.Equal("reached_daily_quota", failed.Detail);
    }

    /// <summary>A bounce's type and sub-type, which decide whether the email is to be sent again; a suppression has none.</summary>
    [Theory]
    [InlineData(""","bounce":{"message":"Mailbox full","type":"Transient","subType":"MailboxFull"}""", "Transient", "MailboxFull", true)]
    [InlineData(""","bounce":{"type":"Undetermined"}""", "Undetermined", null, true)]
    [InlineData(""","bounce":{"type":"Permanent","subType":"General"}""", "Permanent", "General", false)]
    [InlineData(""","bounce":{"type":"permanent"}""", "permanent", null, false)]
    public void Should_read_the_bounce_type_and_whether_it_is_soft(string bounce, string bounceType, string? subType, bool soft)
    {
        var parsed = Parse($$"""{"created_at":"2026-01-01T00:00:00Z","data":{"email_id":"e"{{bounce}}},"type":"email.bounced"}""");

        Assert.Equal(new BounceKind(bounceType, subType), parsed.Bounce);
        Assert.Equal(soft, parsed.Bounce!.IsSoft);
    }

    [Theory]
    [InlineData("email.bounced", "")]
    [InlineData("email.bounced", ""","bounce":{"message":"no type"}""")]
    [InlineData("email.suppressed", ""","suppressed":{"message":"Recipient is on the suppression list","type":"Suppressed","reason":"previous_bounce"}""")]
    public void Should_read_no_bounce_type_when_none_is_given(string type, string extra) =>
        Assert.Null(Parse($$"""{"created_at":"2026-01-01T00:00:00Z","data":{"email_id":"e"{{extra}}},"type":"{{type}}"}""").Bounce);

    /// <summary>Resend did not send it (the address is suppressed after an earlier bounce): a bounce saying why, or that it was suppressed.</summary>
    [Theory]
    [InlineData(""","suppressed":{"message":"Recipient is on the suppression list","type":"Suppressed","reason":"previous_bounce"}""", "Suppressed: previous_bounce: Recipient is on the suppression list")]
    [InlineData("", "Suppressed")]
    public void Should_read_a_suppressed_email_as_a_bounce_saying_why(string suppressed, string detail)
    {
        var parsed = Parse($$"""{"created_at":"2026-01-01T00:00:00Z","data":{"email_id":"e"{{suppressed}}},"type":"email.suppressed"}""");

        Assert.Equal((ResendEventKind.Tracked, DeliveryState.Bounced, detail), (parsed.Kind, parsed.State, parsed.Detail));
    }

    /// <summary>A JavaScript sender that cuts a message inside an emoji escapes half of it: the bounce stands, with what can be read of why.</summary>
    [Fact]
    public void Should_keep_a_bounce_whose_message_holds_half_a_surrogate_pair_without_that_message()
    {
        var bounced = Parse("""{"created_at":"2026-01-01T00:00:00Z","data":{"email_id":"e","bounce":{"message":"Mailbox full \ud83d","type":"Permanent"}},"type":"email.bounced"}""");

        Assert.Equal((ResendEventKind.Tracked, DeliveryState.Bounced, "e"), (bounced.Kind, bounced.State, bounced.EmailId));
        Assert.Equal("Permanent", bounced.Detail);
    }

    /// <summary>Resend's other documented events, which an endpoint subscribed to everything receives: Svix would retry a refusal for a day.</summary>
    [Theory]
    [InlineData("email.opened")]
    [InlineData("email.clicked")]
    [InlineData("contact.created")]
    [InlineData("contact.topics.updated")]
    [InlineData("domain.updated")]
    [InlineData("suppression.added")]
    [InlineData("topic.deleted")]
    public void Should_acknowledge_documented_events_that_say_nothing_about_delivery(string type) =>
        Assert.Equal(ResendEventKind.Ignored, Parse($$"""{"created_at":"2026-01-01T00:00:00Z","data":{"email_id":"e"},"type":"{{type}}"}""").Kind);

    [Theory]
    [InlineData("""{"created_at":"2026-01-01T00:00:00Z","data":{"email_id":"e"},"type":"email.teleported"}""")]
    [InlineData("""{"created_at":"2026-01-01T00:00:00Z","data":{"email_id":"e"},"type":"contact.teleported"}""")]
    [InlineData("""{"created_at":"2026-01-01T00:00:00Z","data":{"email_id":"e"}}""")]
    [InlineData("""{"created_at":"2026-01-01T00:00:00Z","data":{},"type":"email.sent"}""")]
    [InlineData("""{"created_at":"2026-01-01T00:00:00Z","data":{"email_id":7},"type":"email.sent"}""")]
    [InlineData("""{"created_at":"yesterday","data":{"email_id":"e"},"type":"email.sent"}""")]
    [InlineData("""{"created_at":"2026-01-01T00:00:00Z","data":{"email_id":"e\ud83d"},"type":"email.sent"}""")]
    [InlineData("""{"created_at":"2026-01-01T00:00:00Z","data":{"email_id":"e"},"type":"email.sent\udc00"}""")]
    [InlineData("""{"created_at":"2026-01-01\ud800","data":{"email_id":"e"},"type":"email.sent"}""")]
    [InlineData("""["email.sent"]""")]
    [InlineData("""{"type":"email.sent",""")]
    [InlineData("")]
    public void Should_refuse_what_it_cannot_read(string body) =>
        Assert.Equal(ResendEventKind.Invalid, Parse(body).Kind);

    /// <summary>The relay's tag, echoed as Resend's events carry tags (an object); anything else is another sender's.</summary>
    [Theory]
    [InlineData("""{"sent_by":"ordersmail","category":"confirm"}""", true)]
    [InlineData("""[{"name":"sent_by","value":"ordersmail"}]""", false)]
    [InlineData("""{"sent_by":"newsletter"}""", false)]
    [InlineData("""{"category":"confirm_email"}""", false)]
    [InlineData("\"sent_by\"", false)]
    [InlineData(null, false)]
    public void Should_tell_the_relays_emails_by_its_tag(string? tags, bool sentByRelay) =>
        Assert.Equal(
            sentByRelay,
            Parse($$"""{"created_at":"2026-01-01T00:00:00Z","data":{"email_id":"e"{{(tags is null ? "" : $",\"tags\":{tags}")}}},"type":"email.delivered"}""").SentByRelay);

    /// <summary>
    /// Deployments sharing one Resend account tag their sends with values of their own: only this deployment's is
    /// ours, the default deployment's included when it is not this one's.
    /// </summary>
    [Theory]
    [InlineData("ordersmail-staging", true)]
    [InlineData(RelayTag.DefaultValue, false)]
    [InlineData("ordersmail-Staging", false)]
    public void Should_take_only_this_deployments_tag_value_as_its_own(string value, bool sentByRelay) =>
        Assert.Equal(
            sentByRelay,
            Parse($$$"""{"created_at":"2026-01-01T00:00:00Z","data":{"email_id":"e","tags":{"sent_by":"{{{value}}}"}},"type":"email.delivered"}""", "ordersmail-staging").SentByRelay);

    /// <summary>Counted in UTF-8 bytes, as the index stores it: 129 two-byte letters are too long, 256 ASCII ones are not.</summary>
    [Theory]
    [InlineData('e', WebhookIdLimits.IdBytes, ResendEventKind.Tracked)]
    [InlineData('e', WebhookIdLimits.IdBytes + 1, ResendEventKind.Invalid)]
    [InlineData('é', (WebhookIdLimits.IdBytes / 2) + 1, ResendEventKind.Invalid)]
    public void Should_refuse_an_email_id_too_long_to_index(char letter, int length, ResendEventKind kind) =>
        Assert.Equal(
            kind,
            Parse($$"""{"created_at":"2026-01-01T00:00:00Z","data":{"email_id":"{{new string(letter, length)}}"},"type":"email.sent"}""").Kind);

    private static ResendEvent Parse(string body, string senderTag = RelayTag.DefaultValue) => ResendEventParser.Parse(Encoding.UTF8.GetBytes(body), senderTag);
}
