using System.Text;
using System.Text.Json.Nodes;
using OrdersMail.OrdersApi.Authentication;
using OrdersMail.Testing.Tokens;
using static OrdersMail.OrdersApi.Tests.Authentication.PinnedClerkFixture;

namespace OrdersMail.OrdersApi.Tests.Authentication;

/// <summary>
/// The checks of what a token is before what it claims: its shape, its header, its signature, and machine tokens,
/// through orders-api's JwtBearer scheme. Each token is signed with the specs' own key so that only the one defect
/// can be the reason.
/// </summary>
public sealed class SessionTokenShape_Specs : IClassFixture<PinnedClerkFixture>
{
    private readonly PinnedClerkFixture _pinned;

    public SessionTokenShape_Specs(PinnedClerkFixture pinned)
    {
        _pinned = pinned;
        _pinned.Clock.Reset(Now);
    }

    [Theory]
    [InlineData("""{"alg":"RS256"}""", null)]
    [InlineData("""{"alg":"RS256","typ":"JWT"}""", null)]
    [InlineData("""{"alg":"RS256","typ":"jwt"}""", "wrong_typ")]
    [InlineData("""{"alg":"RS256","typ":"at+jwt"}""", "wrong_typ")]
    [InlineData("""{"alg":"RS256","typ":null}""", "wrong_typ")]
    [InlineData("""{"alg":"RS384"}""", "unsupported_alg")]
    [InlineData("""{"alg":"rs256"}""", "unsupported_alg")]
    [InlineData("""{"typ":"JWT"}""", "unsupported_alg")]
    [InlineData("""{"alg":"RS256","crit":["exp"]}""", "crit")]
    // IdentityModel, the one reader of the header, takes the last of repeated names: this header says none.
    [InlineData("""{"alg":"RS256","alg":"none"}""", "unsupported_alg")]
    [InlineData("""["RS256"]""", "malformed_json")]
    public async Task When_the_header_is_given_Should_accept_only_an_rs256_jwt_header(string header, string? reason)
    {
        var rejection = await _pinned.RefusalAsync(_pinned.SignRaw(Encoding.UTF8.GetBytes(header), Encoding.UTF8.GetBytes(Claims().ToJsonString())));

        Assert.Equal(reason, rejection?.Code);
    }

    [Fact]
    public async Task When_the_payload_is_signed_but_not_json_Should_refuse_it_as_malformed()
    {
        var token = _pinned.SignRaw(Encoding.UTF8.GetBytes(_pinned.Key.Header().ToJsonString()), "not json"u8.ToArray());

        Assert.Equal(SessionTokenRejection.MalformedJson, await _pinned.RefusalAsync(token));
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("abc.def")]
    [InlineData("abc.def.ghi.jkl")]
    [InlineData("abc..ghi")]
    [InlineData(".def.ghi")]
    [InlineData("abc.def.")]
    [InlineData("ab+c.def.ghi")]
    [InlineData("abc=.def.ghi")]
    [InlineData("ab c.def.ghi")]
    [InlineData("abcde.def.ghi")]
    [InlineData("abc.d\u00e9f.ghi")]
    public async Task When_the_token_is_not_three_base64url_segments_Should_refuse_it_as_malformed(string token)
    {
        Assert.Equal(SessionTokenRejection.Malformed, await _pinned.RefusalAsync(token));
    }

    [Fact]
    public async Task When_the_token_is_longer_than_the_limit_Should_refuse_it_unread()
    {
        var claims = Claims();
        claims["padding"] = new string('x', 9000);

        Assert.Equal(SessionTokenRejection.TooLong, await _pinned.RefusalAsync(_pinned.Key.Sign(claims)));
    }

    [Theory]
    [InlineData("mt_2abc")]
    [InlineData("oat_2abc")]
    [InlineData("ak_2abc")]
    public async Task When_the_token_is_a_machine_token_Should_refuse_it(string token)
    {
        Assert.Equal(SessionTokenRejection.MachineToken, await _pinned.RefusalAsync(token));
    }

    [Fact]
    public async Task When_a_claim_was_changed_after_signing_Should_refuse_the_signature()
    {
        var segments = _pinned.Key.Sign(Claims()).Split('.');
        var forged = Jwt.Encode(Claims(sub: "user_admin"));

        var rejection = await _pinned.RefusalAsync($"{segments[0]}.{forged}.{segments[2]}");

        Assert.Equal(SessionTokenRejection.BadSignature, rejection);
    }

    [Fact]
    public async Task When_the_token_is_signed_by_another_key_Should_refuse_the_signature()
    {
        using var other = new TestSigningKey(_pinned.Key.Kid);

        Assert.Equal(SessionTokenRejection.BadSignature, await _pinned.RefusalAsync(other.Sign(Claims())));
    }

    [Fact]
    public async Task When_an_hs256_token_is_keyed_with_the_public_key_pem_Should_refuse_its_algorithm()
    {
        var header = new JsonObject { ["alg"] = "HS256", ["typ"] = "JWT", ["kid"] = _pinned.Key.Kid };
        var token = Jwt.SignHs256(header, Claims(), Encoding.ASCII.GetBytes(_pinned.Key.Rsa.ExportSubjectPublicKeyInfoPem()));

        Assert.Equal(SessionTokenRejection.UnsupportedAlgorithm, await _pinned.RefusalAsync(token));
    }

    [Fact]
    public void When_rejections_are_told_to_callers_Should_each_say_something_else_in_header_safe_ascii()
    {
        var rejections = SessionTokenRejection.All.Append(SessionTokenRejection.Unexpected).ToList();

        Assert.Equal(rejections.Count, rejections.Select(r => r.Detail).Distinct().Count());
        Assert.Equal(rejections.Count, rejections.Select(r => r.Code).Distinct().Count());
        Assert.All(rejections, r => Assert.All(r.Detail, c => Assert.True(c is >= ' ' and <= '~' and not '"' and not '\\', $"{r.Code}: '{c}'")));
    }
}
