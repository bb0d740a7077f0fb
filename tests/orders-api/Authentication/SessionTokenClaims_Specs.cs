using System.Text.Json.Nodes;
using OrdersMail.OrdersApi.Authentication;
using OrdersMail.Testing;
using static OrdersMail.OrdersApi.Tests.Authentication.PinnedClerkFixture;

namespace OrdersMail.OrdersApi.Tests.Authentication;

/// <summary>
/// The claim checks through orders-api's JwtBearer scheme, with a key of the specs' own and a clock they pin: the
/// skew boundaries to the millisecond, the checks the sandbox cannot mint a token for (iat in the future, non-string
/// sub, no sid, ...), and Clerk's own test vector.
/// </summary>
public sealed class SessionTokenClaims_Specs : IClassFixture<PinnedClerkFixture>
{
    private readonly PinnedClerkFixture _pinned;

    public SessionTokenClaims_Specs(PinnedClerkFixture pinned)
    {
        _pinned = pinned;
        _pinned.Clock.Reset(Now);
    }

    [Fact]
    public async Task When_the_token_is_good_Should_sign_in_its_sub_and_sid_under_their_jwt_names()
    {
        var validation = await _pinned.AuthenticateAsync(_pinned.Key.Sign(Claims()));

        Assert.True(validation.Succeeded);
        Assert.True(validation.Principal.Identity!.IsAuthenticated);
        Assert.Equal("Clerk", validation.Principal.Identity.AuthenticationType);
        Assert.Equal("user_specs", validation.Principal.FindFirst("sub")!.Value);
        Assert.Equal("sess_specs", validation.Principal.FindFirst("sid")!.Value);
        Assert.Equal("user_specs", validation.Principal.Identity.Name);
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(4, true)]
    [InlineData(4.999, true)]
    [InlineData(5, false)]
    [InlineData(6, false)]
    public async Task When_now_is_past_exp_Should_accept_only_within_the_5_s_skew(double secondsPastExp, bool accepted)
    {
        var token = _pinned.Key.Sign(Claims(exp: Now));
        _pinned.Clock.Advance(TimeSpan.FromSeconds(secondsPastExp));

        var rejection = await _pinned.RefusalAsync(token);

        Assert.Equal(accepted, rejection is null);
        Assert.Equal(accepted ? null : SessionTokenRejection.Expired, rejection);
    }

    [Theory]
    [InlineData(5, true)]
    [InlineData(6, false)]
    public async Task When_nbf_is_ahead_of_now_Should_accept_only_within_the_skew(long secondsAhead, bool accepted)
    {
        var rejection = await _pinned.RefusalAsync(_pinned.Key.Sign(Claims(nbf: Now + secondsAhead)));

        Assert.Equal(accepted ? null : SessionTokenRejection.NotYetValid, rejection);
    }

    [Theory]
    [InlineData(5, true)]
    [InlineData(6, false)]
    [InlineData(30, false)]
    public async Task When_iat_is_ahead_of_now_Should_accept_only_within_the_skew(long secondsAhead, bool accepted)
    {
        var rejection = await _pinned.RefusalAsync(_pinned.Key.Sign(Claims(iat: Now + secondsAhead, nbf: Now)));

        Assert.Equal(accepted ? null : SessionTokenRejection.IssuedInFuture, rejection);
    }

    [Fact]
    public async Task When_exp_is_missing_Should_refuse_the_token()
    {
        var claims = Claims();
        claims.Remove("exp");

        Assert.Equal(SessionTokenRejection.MissingExpiry, await _pinned.RefusalAsync(_pinned.Key.Sign(claims)));
    }

    [Theory]
    [InlineData("exp", "\"1700000060\"")]
    [InlineData("exp", "1700000060.5")]
    [InlineData("nbf", "\"1699999990\"")]
    [InlineData("iat", "1700000000.5")]
    public async Task When_a_time_claim_is_not_whole_seconds_Should_refuse_the_token(string claim, string json)
    {
        var claims = Claims();
        claims[claim] = JsonNode.Parse(json);

        var expected = claim == "exp" ? SessionTokenRejection.MissingExpiry : SessionTokenRejection.MalformedTime;
        Assert.Equal(expected, await _pinned.RefusalAsync(_pinned.Key.Sign(claims)));
    }

    // IdentityModel reads the registered claims with their JSON types when it reads the token, before the signature
    // is checked, and refuses a token whose exp, nbf or iat is no number, whose azp is no string or whose sub is
    // neither: such a token is malformed JSON to it, so these are refused as malformed_json.
    [Theory]
    [InlineData("exp", "null")]
    [InlineData("nbf", "\"soon\"")]
    [InlineData("iat", "true")]
    [InlineData("azp", "3000")]
    [InlineData("sub", "[\"user_specs\"]")]
    public async Task When_a_registered_claim_has_a_json_type_identitymodel_cannot_read_Should_refuse_the_token_as_malformed_json(string claim, string json)
    {
        var claims = Claims();
        claims[claim] = JsonNode.Parse(json);

        Assert.Equal(SessionTokenRejection.MalformedJson, await _pinned.RefusalAsync(_pinned.Key.Sign(claims)));
    }

    [Theory]
    [InlineData("https://clerk.orders.test/")]
    [InlineData("https://CLERK.orders.test")]
    [InlineData("https://evil.example")]
    public async Task When_iss_is_not_exactly_the_issuer_Should_refuse_the_token(string iss)
    {
        var rejection = await _pinned.RefusalAsync(_pinned.Key.Sign(Claims(iss: iss)));

        Assert.Equal(SessionTokenRejection.WrongIssuer, rejection);
    }

    [Fact]
    public async Task When_iss_is_missing_Should_refuse_the_token()
    {
        var claims = Claims();
        claims.Remove("iss");

        Assert.Equal(SessionTokenRejection.WrongIssuer, await _pinned.RefusalAsync(_pinned.Key.Sign(claims)));
    }

    [Fact]
    public async Task When_azp_is_absent_Should_accept_the_token_as_clerks_sdk_does()
    {
        var claims = Claims();
        claims.Remove("azp");

        Assert.Null(await _pinned.RefusalAsync(_pinned.Key.Sign(claims)));
    }

    [Theory]
    [InlineData("\"https://evil.example\"")]
    [InlineData("\"http://localhost:3000/\"")]
    [InlineData("\"\"")]
    [InlineData("null")]
    public async Task When_azp_is_not_an_authorized_party_Should_refuse_the_token(string azp)
    {
        var claims = Claims();
        claims["azp"] = JsonNode.Parse(azp);

        Assert.Equal(SessionTokenRejection.UnauthorizedParty, await _pinned.RefusalAsync(_pinned.Key.Sign(claims)));
    }

    [Theory]
    [InlineData("42")]
    [InlineData("\"\"")]
    [InlineData("null")]
    public async Task When_sub_is_not_a_string_Should_refuse_the_token(string sub)
    {
        var claims = Claims();
        claims["sub"] = JsonNode.Parse(sub);

        Assert.Equal(SessionTokenRejection.MissingSubject, await _pinned.RefusalAsync(_pinned.Key.Sign(claims)));
    }

    [Fact]
    public async Task When_sid_is_missing_Should_refuse_the_token()
    {
        var claims = Claims();
        claims.Remove("sid");

        Assert.Equal(SessionTokenRejection.MissingSession, await _pinned.RefusalAsync(_pinned.Key.Sign(claims)));
    }

    [Theory]
    [InlineData("pending", false)]
    [InlineData("active", true)]
    public async Task When_the_session_status_is_given_Should_refuse_only_pending_sessions(string sts, bool accepted)
    {
        var rejection = await _pinned.RefusalAsync(_pinned.Key.Sign(Claims(sts: sts)));

        Assert.Equal(accepted ? null : SessionTokenRejection.PendingSession, rejection);
    }

    [Theory]
    [InlineData(Now, true)]
    [InlineData(Now + 64, true)]
    [InlineData(Now + 66, false)]
    public async Task When_clerks_own_test_vector_is_verified_Should_agree_with_clerks_sdk(long now, bool accepted)
    {
        await using var api = _pinned.Orders.WithClerk(
            new()
            {
                ["Clerk:PublicKeyPem"] = ClerkVector.PublicKeyPem,
                ["Clerk:JwksUrl"] = ClosedPort.JwksUrl(),
                ["Clerk:Issuer"] = ClerkVector.Issuer,
            },
            ManualClock.At(now));

        using var client = api.CreateClient();

        var response = await MeRequests.GetWithBearerAsync(client, ClerkVector.Token);

        if (accepted)
        {
            Assert.Equal("user_test123", (await MeRequests.AssertSignedInAsync(response)).UserId);
        }
        else
        {
            await MeRequests.AssertRefusedAsync(response, SessionTokenRejection.Expired);
        }
    }
}
