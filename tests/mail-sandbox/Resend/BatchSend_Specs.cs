using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OrdersMail.MailSandbox.Tests.Support;

namespace OrdersMail.MailSandbox.Tests.Resend;

/// <summary><c>POST /resend/emails/batch</c> (docs/resend.md §1, §2): strict validation, ids in order, one key for the whole batch.</summary>
public sealed class BatchSend_Specs(UnthrottledSandbox sandbox) : IClassFixture<UnthrottledSandbox>
{
    private readonly SandboxFactory _factory = sandbox.Factory;

    [Fact]
    public async Task When_a_batch_is_sent_Should_answer_each_emails_id_in_the_requests_order_and_keep_each_readable()
    {
        using var client = _factory.ResendWithOwnKey();
        var emails = ResendCalls.Emails(3);

        var ids = await client.SendBatchIdsAsync(emails);

        Assert.Equal(3, ids.Distinct().Count());
        for (var i = 0; i < ids.Count; i++)
        {
            var stored = await client.GetFromJsonAsync<JsonObject>($"/resend/emails/{ids[i]}");
            Assert.Equal(emails[i]!["subject"]!.GetValue<string>(), stored!["subject"]!.GetValue<string>());
            Assert.Equal("delivered", stored["last_event"]!.GetValue<string>());
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(101)]
    public async Task When_a_batch_holds_no_email_or_more_than_100_Should_answer_422_and_send_nothing(int count)
    {
        using var client = _factory.ResendWithOwnKey();
        var emails = ResendCalls.Emails(count);

        using var response = await client.SendBatchAsync(emails);

        await response.ShouldBeResendErrorAsync(422, "invalid_parameter");
        await ShouldHaveSentNoneOfAsync(emails);
    }

    [Theory]
    [InlineData("attachments", "[{\"filename\":\"a.txt\",\"content\":\"aGk=\"}]")]
    [InlineData("scheduled_at", "\"in 1 min\"")]
    public async Task When_an_email_of_a_batch_has_attachments_or_a_schedule_Should_answer_422_and_send_nothing(string field, string value)
    {
        using var client = _factory.ResendWithOwnKey();
        var emails = ResendCalls.Emails(3);
        emails[1]![field] = JsonNode.Parse(value);

        using var response = await client.SendBatchAsync(emails);

        await response.ShouldBeResendErrorAsync(422, "invalid_parameter");
        await ShouldHaveSentNoneOfAsync(emails);
    }

    [Fact]
    public async Task When_one_email_of_a_batch_is_invalid_Should_refuse_the_whole_batch_as_a_single_send_would_refuse_it()
    {
        using var client = _factory.ResendWithOwnKey();
        var emails = ResendCalls.Emails(3);
        emails[2]!["reply_to"] = "not an address";

        using var response = await client.SendBatchAsync(emails);

        await response.ShouldBeResendErrorAsync(400, "validation_error");
        await ShouldHaveSentNoneOfAsync(emails);
    }

    [Fact]
    public async Task When_a_batch_is_retried_with_the_same_key_and_payload_Should_replay_its_ids_and_send_each_email_once()
    {
        using var client = _factory.ResendWithOwnKey();
        var key = $"batch/{Guid.NewGuid():N}";
        var emails = ResendCalls.Emails(4);

        var first = await client.SendBatchIdsAsync(emails, key);
        var again = await client.SendBatchIdsAsync(emails, key);

        Assert.Equal(first, again);
        var subjects = emails.Select(e => e!["subject"]!.GetValue<string>()).ToHashSet();
        Assert.Equal(4, (await _factory.AcceptedEmailsAsync()).Count(e => subjects.Contains(e!["subject"]!.GetValue<string>())));
    }

    [Fact]
    public async Task When_the_same_key_comes_with_other_members_Should_answer_409_invalid_idempotent_request()
    {
        using var client = _factory.ResendWithOwnKey();
        var key = Guid.NewGuid().ToString();
        await client.SendBatchIdsAsync(ResendCalls.Emails(2), key);

        using var response = await client.SendBatchAsync(ResendCalls.Emails(2), key);

        await response.ShouldBeResendErrorAsync(409, "invalid_idempotent_request");
    }

    [Fact]
    public async Task When_the_first_batch_is_still_in_flight_Should_answer_409_concurrent_idempotent_requests_then_replay()
    {
        using var client = _factory.ResendWithOwnKey();
        var key = Guid.NewGuid().ToString();
        var emails = ResendCalls.Emails(2);
        await _factory.AddFaultAsync(new { api = "resend", operation = "emails.batch", latency_ms = 1500, times = 1 });

        var slow = client.SendBatchIdsAsync(emails, key);
        await Task.Delay(300);
        using var concurrent = await client.SendBatchAsync(emails, key);
        var first = await slow;
        var retried = await client.SendBatchIdsAsync(emails, key);

        await concurrent.ShouldBeResendErrorAsync(409, "concurrent_idempotent_requests");
        Assert.Equal(first, retried);
    }

    private async Task ShouldHaveSentNoneOfAsync(JsonArray emails)
    {
        var subjects = emails.Select(e => e!["subject"]!.GetValue<string>()).ToHashSet();
        Assert.DoesNotContain(await _factory.AcceptedEmailsAsync(), e => subjects.Contains(e!["subject"]!.GetValue<string>()));
    }
}
