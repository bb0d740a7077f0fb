using System.Text.Json.Nodes;
using OrdersMail.OrdersApi.Authentication;
using static OrdersMail.OrdersApi.Tests.Authentication.PinnedValidator;

namespace OrdersMail.OrdersApi.Tests.Authentication;

/// <summary>
/// The validator's claim checks on its own, with a key of the specs' own and a clock they pin: the skew boundaries
/// to the millisecond, the checks the sandbox cannot mint a token for (iat in the future, non-string sub, no sid,
/// ...), and Clerk's own test vector.
/// </summary>
public sealed class SessionTokenValidator_Specs : IDisposable
{
    private readonly PinnedValidator _pinned = new();

    [Fact]
    public async Task When_the_token_is_good_Should_sign_in_its_sub_and_sid_under_their_jwt_names()
    {
        var validation = await _pinned.ValidateAsync(_pinned.Key.Sign(Claims()));

        Assert.True(validation.Succeeded);
        Assert.True(validation.User.Identity!.IsAuthenticated);
        Assert.Equal("Clerk", validation.User.Identity.AuthenticationType);
        Assert.Equal("user_specs", validation.User.FindFirst("sub")!.Value);
        Assert.Equal("sess_specs", validation.User.FindFirst("sid")!.Value);
        Assert.Equal("user_specs", validation.User.Identity.Name);
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

        var validation = await _pinned.ValidateAsync(token);

        Assert.Equal(accepted, validation.Succeeded);
        Assert.Equal(accepted ? null : SessionTokenRejection.Expired, validation.Rejection);
    }

    [Theory]
    [InlineData(5, true)]
    [InlineData(6, false)]
    public async Task When_nbf_is_ahead_of_now_Should_accept_only_within_the_skew(long secondsAhead, bool accepted)
    {
        var validation = await _pinned.ValidateAsync(_pinned.Key.Sign(Claims(nbf: Now + secondsAhead)));

        Assert.Equal(accepted ? null : SessionTokenRejection.NotYetValid, validation.Rejection);
    }

    [Theory]
    [InlineData(5, true)]
    [InlineData(6, false)]
    [InlineData(30, false)]
    public async Task When_iat_is_ahead_of_now_Should_accept_only_within_the_skew(long secondsAhead, bool accepted)
    {
        var validation = await _pinned.ValidateAsync(_pinned.Key.Sign(Claims(iat: Now + secondsAhead, nbf: Now)));

        Assert.Equal(accepted ? null : SessionTokenRejection.IssuedInFuture, validation.Rejection);
    }

    [Fact]
    public async Task When_exp_is_missing_Should_refuse_the_token()
    {
        var claims = Claims();
        claims.Remove("exp");

        Assert.Equal(SessionTokenRejection.MissingExpiry, (await _pinned.ValidateAsync(_pinned.Key.Sign(claims))).Rejection);
    }

    [Theory]
    [InlineData("exp", "\"1700000060\"")]
    [InlineData("exp", "1700000060.5")]
    [InlineData("exp", "null")]
    [InlineData("nbf", "\"soon\"")]
    [InlineData("iat", "true")]
    public async Task When_a_time_claim_is_not_whole_seconds_Should_refuse_the_token(string claim, string json)
    {
        var claims = Claims();
        claims[claim] = JsonNode.Parse(json);

        var expected = claim == "exp" ? SessionTokenRejection.MissingExpiry : SessionTokenRejection.MalformedTime;
        Assert.Equal(expected, (await _pinned.ValidateAsync(_pinned.Key.Sign(claims))).Rejection);
    }

    [Theory]
    [InlineData("https://clerk.orders.test/")]
    [InlineData("https://CLERK.orders.test")]
    [InlineData("https://evil.example")]
    public async Task When_iss_is_not_exactly_the_issuer_Should_refuse_the_token(string iss)
    {
        var validation = await _pinned.ValidateAsync(_pinned.Key.Sign(Claims(iss: iss)));

        Assert.Equal(SessionTokenRejection.WrongIssuer, validation.Rejection);
    }

    [Fact]
    public async Task When_iss_is_missing_Should_refuse_the_token()
    {
        var claims = Claims();
        claims.Remove("iss");

        Assert.Equal(SessionTokenRejection.WrongIssuer, (await _pinned.ValidateAsync(_pinned.Key.Sign(claims))).Rejection);
    }

    [Fact]
    public async Task When_azp_is_absent_Should_accept_the_token_as_clerks_sdk_does()
    {
        var claims = Claims();
        claims.Remove("azp");

        Assert.True((await _pinned.ValidateAsync(_pinned.Key.Sign(claims))).Succeeded);
    }

    [Theory]
    [InlineData("\"https://evil.example\"")]
    [InlineData("\"http://localhost:3000/\"")]
    [InlineData("\"\"")]
    [InlineData("3000")]
    [InlineData("null")]
    public async Task When_azp_is_not_an_authorized_party_Should_refuse_the_token(string azp)
    {
        var claims = Claims();
        claims["azp"] = JsonNode.Parse(azp);

        Assert.Equal(SessionTokenRejection.UnauthorizedParty, (await _pinned.ValidateAsync(_pinned.Key.Sign(claims))).Rejection);
    }

    [Theory]
    [InlineData("42")]
    [InlineData("\"\"")]
    [InlineData("null")]
    [InlineData("[\"user_specs\"]")]
    public async Task When_sub_is_not_a_string_Should_refuse_the_token(string sub)
    {
        var claims = Claims();
        claims["sub"] = JsonNode.Parse(sub);

        Assert.Equal(SessionTokenRejection.MissingSubject, (await _pinned.ValidateAsync(_pinned.Key.Sign(claims))).Rejection);
    }

    [Fact]
    public async Task When_sid_is_missing_Should_refuse_the_token()
    {
        var claims = Claims();
        claims.Remove("sid");

        Assert.Equal(SessionTokenRejection.MissingSession, (await _pinned.ValidateAsync(_pinned.Key.Sign(claims))).Rejection);
    }

    [Theory]
    [InlineData("pending", false)]
    [InlineData("active", true)]
    public async Task When_the_session_status_is_given_Should_refuse_only_pending_sessions(string sts, bool accepted)
    {
        var validation = await _pinned.ValidateAsync(_pinned.Key.Sign(Claims(sts: sts)));

        Assert.Equal(accepted ? null : SessionTokenRejection.PendingSession, validation.Rejection);
    }

    [Theory]
    [InlineData(Now, true)]
    [InlineData(Now + 64, true)]
    [InlineData(Now + 66, false)]
    public async Task When_clerks_own_test_vector_is_verified_Should_agree_with_clerks_sdk(long now, bool accepted)
    {
        var options = new ClerkSessionOptions { Issuer = ClerkVector.Issuer };
        options.AuthorizedParties.Add(WebApp);
        var validator = new SessionTokenValidator(options, new PinnedSigningKey(RsaVerificationKey.FromPem(ClerkVector.PublicKeyPem)), ManualClock.At(now));

        var validation = await validator.ValidateAsync(ClerkVector.Token, "Clerk", CancellationToken.None);

        Assert.Equal(accepted ? null : SessionTokenRejection.Expired, validation.Rejection);
        Assert.Equal(accepted ? "user_test123" : null, validation.User?.FindFirst("sub")?.Value);
    }

    public void Dispose() => _pinned.Dispose();
}
