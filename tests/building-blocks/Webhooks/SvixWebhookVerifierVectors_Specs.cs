using OrdersMail.BuildingBlocks.Webhooks;
using OrdersMail.Testing;
using static OrdersMail.BuildingBlocks.Tests.Webhooks.SvixVectors;

namespace OrdersMail.BuildingBlocks.Tests.Webhooks;

/// <summary>The verifier against Svix's official test vectors, with the clock pinned at each vector's timestamp.</summary>
public sealed class SvixWebhookVerifierVectors_Specs
{
    private readonly SvixWebhookVerifier _verifier = new(Secret, ManualClock.At(Timestamp));

    public static TheoryData<string, string, long, string, string> Vectors => new()
    {
        { Secret, Id, Timestamp, Body, Signature },
        { "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD", "msg_27UH4WbU6Z5A5EzD8u03UvzRbpk", 1649367553, "{\"email\":\"test@example.com\",\"username\":\"test_user\"}", "v1,tZ1I4/hDygAJgO5TYxiSd6Sd0kDW6hPenDe+bTa3Kkw=" },
        { Secret, Id, Timestamp, new string('a', 1_048_576), "v1,txpEUxqWZJ5nteTnymUVa+7C4NHpBeXJ6CsBAW0c3/A=" },
        { Secret, Id, Timestamp, new string('a', 262_144), "v1,Mw4Pe2WgApuT7NSqnSq0PQPV9gbLdggCl9B865x5Xh0=" },
        { Secret, Id, Timestamp, new string('a', 262_143), "v1,NTItnqyWMoFhk2Bbe5V/BMdcFRWgcSQaTgqLHX7FC7c=" },
    };

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Should_accept_the_official_vectors(string secret, string id, long timestamp, string body, string signature)
    {
        var verifier = new SvixWebhookVerifier(secret, ManualClock.At(timestamp));

        var result = verifier.Verify(Utf8(body), Headers(id, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture), signature));

        Assert.True(result.IsVerified, result.ToString());
        Assert.Equal(id, result.MessageId);
        Assert.Null(result.Refusal);
    }

    [Theory]
    [InlineData($"{WrongSignature} v2,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= {Signature} {WrongSignature}")]
    [InlineData($"{AsymmetricEntry} {Signature}")]
    [InlineData($"{Signature} {AsymmetricEntry}")]
    [InlineData($"{WrongSignature} {AsymmetricEntry} {Signature}")]
    [InlineData($"v1, {Signature}")]
    [InlineData($"{WrongSignature}  {Signature}")]
    public void Should_accept_a_header_where_any_v1_entry_matches_skipping_other_versions(string header) =>
        Assert.True(_verifier.Verify(Utf8(Body), Headers(signature: header)).IsVerified);

    [Fact]
    public void Should_accept_a_secret_without_its_prefix() =>
        Assert.True(new SvixWebhookVerifier(Secret["whsec_".Length..], ManualClock.At(Timestamp)).Verify(Utf8(Body), Headers()).IsVerified);

    [Fact]
    public void Should_match_header_names_in_any_case()
    {
        var headers = new Microsoft.AspNetCore.Http.HeaderDictionary
        {
            ["Svix-Id"] = Id,
            ["SVIX-TIMESTAMP"] = Timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["svix-Signature"] = Signature,
        };

        Assert.True(_verifier.Verify(Utf8(Body), headers).IsVerified);
    }

    [Theory]
    [InlineData(WrongSignature)]
    [InlineData("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLawdd")]
    [InlineData("v1,")]
    [InlineData("v1,g0hM9SsE")]
    [InlineData("v2,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")]
    [InlineData("v1a,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")]
    [InlineData(AsymmetricEntry)]
    public void Should_refuse_the_official_negative_vectors(string header) =>
        Assert.Equal(WebhookRefusal.NoMatchingSignature, _verifier.Verify(Utf8(Body), Headers(signature: header)).Refusal);
}
