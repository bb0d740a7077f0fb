using System.Net;
using OrdersMail.DeliveryTracker.Tests.Support;
using OrdersMail.Testing.Http;

namespace OrdersMail.DeliveryTracker.Tests.Delivery;

/// <summary>
/// A body Kestrel cannot read (a chunk size that is not hexadecimal) is the sender's mistake: <c>POST /webhooks/resend</c>
/// answers 400 with a problem saying so, not a 500, and records nothing. Only a real socket can send one.
/// </summary>
public sealed class UnreadableWebhookBody_Specs(KestrelTrackerFixture fixture) : IClassFixture<KestrelTrackerFixture>
{
    [Fact]
    public async Task When_a_chunked_body_cannot_be_read_Should_answer_400_with_a_problem_and_record_nothing()
    {
        using var answer = await MalformedChunkedRequest.PostAsync(fixture.WebhookUrl, new Dictionary<string, string> { ["svix-id"] = "msg_unreadable" });

        Assert.Contains("chunk", await ProblemAnswer.DetailAsync(answer, HttpStatusCode.BadRequest), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0, await fixture.Database.CountAsync("resend_webhook_deliveries"));
    }
}
