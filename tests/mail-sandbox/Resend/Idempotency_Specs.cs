using System.Text.Json.Nodes;
using OrdersMail.MailSandbox.Tests.Support;

namespace OrdersMail.MailSandbox.Tests.Resend;

/// <summary><c>Idempotency-Key</c> on <c>POST /resend/emails</c> (docs/resend.md §2).</summary>
public sealed class Idempotency_Specs(UnthrottledSandbox sandbox) : IClassFixture<UnthrottledSandbox>
{
    private readonly SandboxFactory _factory = sandbox.Factory;

    [Fact]
    public async Task When_a_send_is_retried_with_the_same_key_and_payload_Should_replay_the_id_and_send_once()
    {
        using var client = _factory.ResendWithOwnKey();
        var key = $"welcome-user/{Guid.NewGuid():N}";
        var body = ResendCalls.Email();
        var reordered = new JsonObject(body.Reverse().Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone())));

        var first = await client.SendEmailIdAsync(body, key);
        var again = await client.SendEmailIdAsync(body, key);
        var reorderedAgain = await client.SendEmailIdAsync(reordered, key);

        Assert.Equal(first, again);
        Assert.Equal(first, reorderedAgain);
        Assert.Single(await _factory.AcceptedEmailsAsync(), e => e!["subject"]!.GetValue<string>() == body["subject"]!.GetValue<string>());
    }

    [Fact]
    public async Task When_the_same_key_comes_with_a_different_payload_Should_answer_409_invalid_idempotent_request()
    {
        using var client = _factory.ResendWithOwnKey();
        var key = Guid.NewGuid().ToString();
        await client.SendEmailIdAsync(ResendCalls.Email(), key);

        using var response = await client.SendEmailAsync(ResendCalls.Email(), key);

        await response.ShouldBeResendErrorAsync(409, "invalid_idempotent_request");
    }

    [Fact]
    public async Task When_the_first_request_is_still_in_flight_Should_answer_409_concurrent_idempotent_requests_then_replay()
    {
        using var client = _factory.ResendWithOwnKey();
        var key = Guid.NewGuid().ToString();
        var body = ResendCalls.Email();
        await _factory.AddFaultAsync(new { api = "resend", operation = "emails.send", latency_ms = 1500, times = 1 });

        var slow = client.SendEmailIdAsync(body, key);
        await Task.Delay(300);
        using var concurrent = await client.SendEmailAsync(body, key);
        var first = await slow;
        var retried = await client.SendEmailIdAsync(body, key);

        await concurrent.ShouldBeResendErrorAsync(409, "concurrent_idempotent_requests");
        Assert.Equal(first, retried);
    }

    [Fact]
    public async Task When_the_key_is_longer_than_256_characters_Should_answer_400_invalid_idempotency_key()
    {
        using var client = _factory.ResendWithOwnKey();

        using var response = await client.SendEmailAsync(ResendCalls.Email(), new string('k', 257));

        await response.ShouldBeResendErrorAsync(400, "invalid_idempotency_key");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(256)]
    public async Task When_the_key_is_1_to_256_characters_Should_accept_it(int length)
    {
        using var client = _factory.ResendWithOwnKey();

        using var response = await client.SendEmailAsync(ResendCalls.Email(), Guid.NewGuid().ToString("N")[..Math.Min(length, 32)].PadRight(length, 'k'));

        Assert.Equal(200, (int)response.StatusCode);
    }

    [Fact]
    public async Task When_another_api_key_uses_the_same_idempotency_key_Should_send_again()
    {
        using var first = _factory.ResendWithOwnKey();
        using var second = _factory.ResendWithOwnKey();
        var key = Guid.NewGuid().ToString();
        var body = ResendCalls.Email();

        var firstId = await first.SendEmailIdAsync(body, key);
        var secondId = await second.SendEmailIdAsync(body, key);

        Assert.NotEqual(firstId, secondId);
    }

    [Fact]
    public async Task When_a_request_with_the_key_failed_Should_not_remember_it()
    {
        using var client = _factory.ResendWithOwnKey();
        var key = Guid.NewGuid().ToString();
        var invalid = ResendCalls.Email();
        invalid.Remove("to");

        using var refused = await client.SendEmailAsync(invalid, key);
        using var sent = await client.SendEmailAsync(ResendCalls.Email(), key);

        Assert.Equal(422, (int)refused.StatusCode);
        Assert.Equal(200, (int)sent.StatusCode);
    }
}
