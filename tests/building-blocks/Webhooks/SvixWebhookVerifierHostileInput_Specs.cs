using System.Text;
using OrdersMail.BuildingBlocks.Webhooks;
using OrdersMail.Testing;
using StandardWebhooks;
using static OrdersMail.BuildingBlocks.Tests.Webhooks.SvixVectors;

namespace OrdersMail.BuildingBlocks.Tests.Webhooks;

/// <summary>Bytes and headers nobody honest sends: refused with a reason, never an exception.</summary>
public sealed class SvixWebhookVerifierHostileInput_Specs
{
    private readonly SvixWebhookVerifier _verifier = new(Secret, ManualClock.At(Timestamp));

    public static TheoryData<byte[]> NotUtf8 => new(
        [0xFF],
        [0x7B, 0x22, 0x61, 0x22, 0x3A, 0x22, 0xC3, 0x22, 0x7D],
        [0xC0, 0xAF],
        [0xED, 0xA0, 0x80],
        [0xF4, 0x90, 0x80, 0x80],
        [.. Utf8("{\"test\": "), 0xE2, 0x82, .. Utf8("}")]);

    [Theory]
    [MemberData(nameof(NotUtf8))]
    public void When_theBody_is_not_UTF8_Should_refuse_it_even_if_its_mangled_text_was_signed(byte[] body)
    {
        // What a lenient decoder would verify instead: the body with U+FFFD where the bad bytes were.
        var mangled = Encoding.UTF8.GetString(body);
        var signedMangled = new StandardWebhook(Secret).Sign(Id, DateTimeOffset.FromUnixTimeSeconds(Timestamp), mangled);

        Assert.Equal(WebhookRefusal.BodyNotUtf8, _verifier.Verify(body, Headers(signature: signedMangled)).Refusal);
    }

    [Fact]
    public void When_theBody_starts_with_a_byte_order_mark_Should_verify_those_bytes_not_strip_them()
    {
        byte[] body = [0xEF, 0xBB, 0xBF, .. Utf8(Body)];

        Assert.Equal(WebhookRefusal.NoMatchingSignature, _verifier.Verify(body, Headers()).Refusal);
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("v1,!!!not*base64%%")]
    [InlineData("v1,,,,")]
    [InlineData(",")]
    [InlineData("   ")]
    [InlineData("v1")]
    [InlineData("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=\u0000")]
    [InlineData("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OÉ=")]
    [InlineData("V1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")]
    public void When_theSignature_is_garbage_Should_refuse_it(string header) =>
        Assert.Equal(WebhookRefusal.NoMatchingSignature, _verifier.Verify(Utf8(Body), Headers(signature: header)).Refusal);

    [Fact]
    public void When_theSignature_header_is_huge_Should_refuse_it()
    {
        var header = string.Join(' ', Enumerable.Repeat(WrongSignature, 20_000)) + new string('A', 1_000_000);

        Assert.Equal(WebhookRefusal.NoMatchingSignature, _verifier.Verify(Utf8(Body), Headers(signature: header)).Refusal);
    }

    [Fact]
    public void When_theId_is_huge_or_has_no_UTF8_form_Should_refuse_it()
    {
        Assert.Equal(WebhookRefusal.NoMatchingSignature, _verifier.Verify(Utf8(Body), Headers(id: new string('m', 1_000_000))).Refusal);
        Assert.Equal(WebhookRefusal.NoMatchingSignature, _verifier.Verify(Utf8(Body), Headers(id: "msg_\uD800")).Refusal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("whsec_")]
    [InlineData("whsec_not base64!")]
    public void Should_refuse_to_be_built_without_a_usable_secret(string secret) =>
        Assert.ThrowsAny<ArgumentException>(() => new SvixWebhookVerifier(secret));
}
