using OrdersMail.MailSandbox.Tests.Support;
using OrdersMail.MailSandbox.Webhooks;

namespace OrdersMail.MailSandbox.Tests.Core;

/// <summary>
/// The sandbox's signer (StandardWebhooks) against Svix's official test vectors (docs/webhook-signatures.md §5),
/// and against the verifier the services use.
/// </summary>
public sealed class SvixSignature_Specs
{
    private const string V1Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private const string V1Id = "msg_p5jXN8AQM9LWM0D4loKWxJek";

    public static TheoryData<string, string, long, string, string> Vectors => new()
    {
        { V1Secret, V1Id, 1614265330, "{\"test\": 2432232314}", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=" },
        { "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD", "msg_27UH4WbU6Z5A5EzD8u03UvzRbpk", 1649367553, "{\"email\":\"test@example.com\",\"username\":\"test_user\"}", "v1,tZ1I4/hDygAJgO5TYxiSd6Sd0kDW6hPenDe+bTa3Kkw=" },
        { V1Secret, V1Id, 1614265330, new string('a', 1_048_576), "v1,txpEUxqWZJ5nteTnymUVa+7C4NHpBeXJ6CsBAW0c3/A=" },
        { V1Secret, V1Id, 1614265330, new string('a', 262_144), "v1,Mw4Pe2WgApuT7NSqnSq0PQPV9gbLdggCl9B865x5Xh0=" },
        { V1Secret, V1Id, 1614265330, new string('a', 262_143), "v1,NTItnqyWMoFhk2Bbe5V/BMdcFRWgcSQaTgqLHX7FC7c=" },
    };

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Should_reproduce_the_official_vectors(string secret, string id, long timestamp, string body, string expected) =>
        Assert.Equal(expected, SvixSignature.Sign(secret, id, timestamp, body));

    [Fact]
    public void Should_reproduce_the_AgentMail_delivered_vector()
    {
        const string body = """{"type":"event","event_type":"message.delivered","event_id":"evt_2Vd1","delivery":{"inbox_id":"cust-42-orders@agentmail.to","thread_id":"6f1d2c3b-8a41-4f0e-9c55-0b7e2a9d1e44","message_id":"<reply-1@agentmail.to>","timestamp":"2026-09-01T10:06:00.000Z","recipients":["jane@acme.example"]}}""";

        Assert.Equal("v1,g0HY0PBG5YnVVqzLqaVcShT/HYWr1mQCVq0hjCTQ910=", SvixSignature.Sign(V1Secret, "msg_2VdTestDelivery01", 1788257160, body));
    }

    [Fact]
    public void Should_accept_a_secret_without_its_prefix() =>
        Assert.Equal(SvixSignature.Sign(V1Secret, V1Id, 1614265330, "{}"), SvixSignature.Sign(V1Secret["whsec_".Length..], V1Id, 1614265330, "{}"));

    [Theory]
    [InlineData("")]
    [InlineData("whsec_")]
    public void Should_refuse_to_sign_with_an_empty_secret(string secret) =>
        Assert.ThrowsAny<ArgumentException>(() => SvixSignature.Sign(secret, V1Id, 1614265330, "{}"));

    [Fact]
    public void Should_sign_what_the_services_verifier_accepts_and_only_under_that_secret()
    {
        const string body = """{"type":"email.sent"}""";
        var secret = SvixSignature.NewSecret();
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var signature = SvixSignature.Sign(secret, V1Id, timestamp, body);
        var seconds = timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture);

        Assert.True(SvixCheck.IsValid(secret, V1Id, seconds, body, signature));
        Assert.False(SvixCheck.IsValid(SvixSignature.NewSecret(), V1Id, seconds, body, signature));
        Assert.False(SvixCheck.IsValid(secret, V1Id, seconds, """{"type":"email.bounced"}""", signature));
    }

    [Fact]
    public void Should_issue_secrets_of_24_random_bytes_with_the_whsec_prefix()
    {
        var first = SvixSignature.NewSecret();
        var second = SvixSignature.NewSecret();

        Assert.StartsWith("whsec_", first, StringComparison.Ordinal);
        Assert.Equal(24, Convert.FromBase64String(first["whsec_".Length..]).Length);
        Assert.NotEqual(first, second);
    }
}
