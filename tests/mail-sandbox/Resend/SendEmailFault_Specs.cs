using System.Text;
using OrdersMail.MailSandbox.Tests.Support;

namespace OrdersMail.MailSandbox.Tests.Resend;

/// <summary>Fault rules on <c>emails.send</c> answer in Resend's error shape, or alter its success, and pass once used up.</summary>
public sealed class SendEmailFault_Specs
{
    [Fact]
    public async Task When_emails_send_fails_once_with_503_Should_answer_503_with_retry_after_then_send()
    {
        await using var factory = new SandboxFactory();
        using var client = factory.ResendWithOwnKey();
        await factory.AddFaultAsync(new { api = "resend", operation = "emails.send", error_status = 503, retry_after_seconds = 2, times = 1 });

        using var failed = await client.SendEmailAsync(ResendCalls.Email());
        using var retried = await client.SendEmailAsync(ResendCalls.Email());

        await failed.ShouldBeResendErrorAsync(503, "service_unavailable");
        Assert.Equal(TimeSpan.FromSeconds(2), failed.Headers.RetryAfter?.Delta);
        Assert.Equal(200, (int)retried.StatusCode);
        Assert.Single(await factory.AcceptedEmailsAsync());
    }

    [Fact]
    public async Task When_a_429_names_a_quota_Should_answer_that_error_name_with_retry_after_and_send_nothing()
    {
        await using var factory = new SandboxFactory();
        using var client = factory.ResendWithOwnKey();
        await factory.AddFaultAsync(new { api = "resend", operation = "emails.send", error_status = 429, error_name = "daily_quota_exceeded", retry_after_seconds = 0, times = 1 });

        using var refused = await client.SendEmailAsync(ResendCalls.Email());

        await refused.ShouldBeResendErrorAsync(429, "daily_quota_exceeded");
        Assert.Equal(TimeSpan.Zero, refused.Headers.RetryAfter?.Delta);
        Assert.Empty(await factory.AcceptedEmailsAsync());
    }

    [Theory]
    [InlineData("Wed, 21 Oct 2026 07:28:00 GMT")]
    [InlineData("after lunch")]
    public async Task When_a_429_gives_a_Retry_After_text_Should_send_it_as_given(string retryAfter)
    {
        await using var factory = new SandboxFactory();
        using var client = factory.ResendWithOwnKey();
        await factory.AddFaultAsync(new { api = "resend", operation = "emails.send", error_status = 429, error_name = "daily_quota_exceeded", retry_after = retryAfter, times = 1 });

        using var refused = await client.SendEmailAsync(ResendCalls.Email());

        await refused.ShouldBeResendErrorAsync(429, "daily_quota_exceeded");
        Assert.Equal(retryAfter, refused.Headers.NonValidated["Retry-After"].ToString());
        Assert.Empty(await factory.AcceptedEmailsAsync());
    }

    [Fact]
    public async Task When_emails_send_is_answered_altered_Should_send_and_answer_its_json_less_the_member_under_the_charset()
    {
        await using var factory = new SandboxFactory();
        using var client = factory.ResendWithOwnKey();
        await factory.AddFaultAsync(new { api = "resend", operation = "emails.send", omit_member = "id", answer_charset = "x-unknown", times = 1 });

        using var altered = await client.SendEmailAsync(ResendCalls.Email());

        Assert.Equal(200, (int)altered.StatusCode);
        Assert.Equal("x-unknown", altered.Content.Headers.ContentType?.CharSet);
        Assert.Equal("{}"u8.ToArray(), await altered.Content.ReadAsByteArrayAsync());
        Assert.Single(await factory.AcceptedEmailsAsync());
    }

    [Fact]
    public async Task When_emails_send_fails_under_a_charset_Should_answer_the_status_and_Resends_error_under_the_charset_and_send_nothing()
    {
        await using var factory = new SandboxFactory();
        using var client = factory.ResendWithOwnKey();
        await factory.AddFaultAsync(new { api = "resend", operation = "emails.send", error_status = 403, answer_charset = "x-unknown", times = 1 });

        using var refused = await client.SendEmailAsync(ResendCalls.Email());

        Assert.Equal(403, (int)refused.StatusCode);
        Assert.Equal("x-unknown", refused.Content.Headers.ContentType?.CharSet);
        Assert.Contains("\"invalid_api_key\"", Encoding.UTF8.GetString(await refused.Content.ReadAsByteArrayAsync()), StringComparison.Ordinal);
        Assert.Empty(await factory.AcceptedEmailsAsync());
    }
}
