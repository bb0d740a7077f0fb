using OrdersMail.BuildingBlocks.Webhooks;

namespace OrdersMail.BuildingBlocks.Tests.Webhooks;

/// <summary>The id limits both webhook ingresses share, counted in UTF-8 bytes as the indexes store the ids.</summary>
public sealed class WebhookIdLimits_Specs
{
    [Fact]
    public void Should_accept_ids_at_their_limits_and_missing_ones() =>
        Assert.Null(WebhookIdLimits.TooLong(
            ("svix-id", new string('m', WebhookIdLimits.IdBytes), WebhookIdLimits.IdBytes),
            ("message_id", new string('<', WebhookIdLimits.MessageIdBytes), WebhookIdLimits.MessageIdBytes),
            ("thread_id", null, WebhookIdLimits.IdBytes)));

    [Fact]
    public void Should_name_the_first_field_over_its_limit_in_bytes_not_characters() =>
        Assert.Equal(
            "event_id is longer than 256 bytes (UTF-8)",
            WebhookIdLimits.TooLong(
                ("svix-id", "msg_1", WebhookIdLimits.IdBytes),
                ("event_id", new string('é', 129), WebhookIdLimits.IdBytes),
                ("thread_id", new string('t', 300), WebhookIdLimits.IdBytes)));
}
