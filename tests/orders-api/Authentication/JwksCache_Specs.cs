using System.Net;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using OrdersMail.OrdersApi.Authentication;
using OrdersMail.OrdersApi.Tests.Support;
using OrdersMail.Testing;
using OrdersMail.Testing.Tokens;
using static OrdersMail.OrdersApi.Tests.Authentication.PinnedClerkFixture;

namespace OrdersMail.OrdersApi.Tests.Authentication;

/// <summary>
/// The JWKS as orders-api's JwtBearer scheme uses it, through IdentityModel's ConfigurationManager, with an
/// in-memory JWKS endpoint behind the real HTTP client: cached, one refetch for a kid it does not know (Clerk rotated
/// its key) but never a fetch per made-up kid, and a failed fetch answered 503 with Retry-After (reason jwks_unavailable,
/// checked by RefusalAsync) rather than failing the request. Until 2026-12-07 it was a 401 invalid_token, which sent the
/// user to sign in again for a token that may be good, refused the same way: a sign-in loop while Clerk was away.
/// Each spec runs its own host, so each starts with an empty cache.
/// </summary>
public sealed class JwksCache_Specs : IClassFixture<OrdersApiFixture>, IAsyncDisposable
{
    private readonly TestSigningKey _current = new("ins_current");
    private readonly TestSigningKey _rotated = new("ins_rotated");
    private readonly StubJwksEndpoint _endpoint = new();
    private readonly WebApplicationFactory<Program> _api;

    public JwksCache_Specs(OrdersApiFixture fixture)
    {
        _endpoint.Body = TestSigningKey.JwksOf(_current);
        _api = fixture.Api.WithClerk(
            new() { ["Clerk:JwksUrl"] = StubJwksEndpoint.Url.ToString(), ["Clerk:Issuer"] = Issuer, ["Clerk:JwksCacheDuration"] = "00:07:00" },
            ManualClock.At(Now),
            _endpoint);
    }

    [Fact]
    public async Task When_a_known_kid_is_looked_up_twice_Should_fetch_the_jwks_once()
    {
        var first = await RefusalAsync(_api, _current.Sign(Claims()));
        var second = await RefusalAsync(_api, _current.Sign(Claims()));

        Assert.Null(first);
        Assert.Null(second);
        Assert.Equal(1, _endpoint.Fetches);
    }

    [Fact]
    public void When_keys_are_cached_Should_keep_them_for_the_cache_duration_and_refetch_for_unknown_kids_at_the_set_interval()
    {
        // The refetch once the cache duration has passed is IdentityModel's own (its clock cannot be moved from here).
        var jwtBearer = _api.Services.GetRequiredService<IOptionsMonitor<JwtBearerOptions>>().Get(ClerkAuthentication.SchemeName);

        var cache = Assert.IsAssignableFrom<BaseConfigurationManager>(jwtBearer.ConfigurationManager);
        Assert.Equal(TimeSpan.FromMinutes(7), cache.AutomaticRefreshInterval);
        Assert.Equal(ClerkAuthentication.UnknownKidRefetchInterval, cache.RefreshInterval);
    }

    [Fact]
    public async Task When_the_key_was_rotated_since_the_last_fetch_Should_refetch_once_and_find_the_new_kid()
    {
        await RefusalAsync(_api, _current.Sign(Claims()));
        _endpoint.Body = TestSigningKey.JwksOf(_current, _rotated);

        var rejection = await RefusalAsync(_api, _rotated.Sign(Claims()));

        Assert.Null(rejection);
        Assert.Equal(2, _endpoint.Fetches);
    }

    [Fact]
    public async Task When_a_kid_is_unknown_even_after_the_refetch_Should_refuse_it_as_unknown()
    {
        await RefusalAsync(_api, _current.Sign(Claims()));

        var rejection = await RefusalAsync(_api, _rotated.Sign(Claims()));

        Assert.Equal(SessionTokenRejection.UnknownKey, rejection);
        Assert.Equal(2, _endpoint.Fetches);
    }

    [Fact]
    public async Task When_many_unknown_kids_arrive_Should_refetch_at_most_once_per_interval()
    {
        await RefusalAsync(_api, _current.Sign(Claims()));

        for (var i = 0; i < 50; i++)
        {
            var header = _rotated.Header();
            header["kid"] = $"ins_made_up_{i}";
            Assert.Equal(SessionTokenRejection.UnknownKey, await RefusalAsync(_api, Jwt.SignRs256(header, Claims(), _rotated.Rsa)));
        }

        // Well within the refetch interval: the first made-up kid refetched, the rest were answered from the cache.
        Assert.Equal(2, _endpoint.Fetches);
        Assert.Null(await RefusalAsync(_api, _current.Sign(Claims())));
    }

    [Fact]
    public async Task When_many_requests_look_up_at_once_Should_fetch_the_jwks_once()
    {
        _endpoint.Delay = TimeSpan.FromMilliseconds(200);

        var rejections = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => RefusalAsync(_api, _current.Sign(Claims()))));

        Assert.All(rejections, Assert.Null);
        Assert.Equal(1, _endpoint.Fetches);
    }

    [Theory]
    [InlineData(HttpStatusCode.NotFound)]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    public async Task When_the_jwks_cannot_be_fetched_Should_answer_that_the_keys_are_unavailable(HttpStatusCode status)
    {
        _endpoint.FailWith = status;

        Assert.Equal(SessionTokenRejection.KeysUnavailable, await RefusalAsync(_api, _current.Sign(Claims())));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("""{"keys":{}}""")]
    [InlineData("""{"keys":[]}""")]
    [InlineData("""{"keys":[{"kty":"EC","kid":"ins_current","crv":"P-256","x":"AA","y":"AA"}]}""")]
    public async Task When_the_jwks_holds_no_usable_key_Should_answer_that_the_keys_are_unavailable(string body)
    {
        _endpoint.Body = body;

        Assert.Equal(SessionTokenRejection.KeysUnavailable, await RefusalAsync(_api, _current.Sign(Claims())));
    }

    [Fact]
    public async Task When_a_fetch_failed_Should_back_off_rather_than_fetch_per_request_then_recover()
    {
        _endpoint.FailWith = HttpStatusCode.BadGateway;

        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(SessionTokenRejection.KeysUnavailable, await RefusalAsync(_api, _current.Sign(Claims())));
        }

        var fetchesDuringOutage = _endpoint.Fetches;
        _endpoint.FailWith = null;
        await Eventually.Until(
            () => RefusalAsync(_api, _current.Sign(Claims())),
            rejection => rejection is null,
            TimeSpan.FromSeconds(40),
            "a token to verify once the JWKS answers again",
            TimeSpan.FromMilliseconds(250));

        // IdentityModel backs off exponentially (1 s, 2 s, 4 s ..., with jitter) while it has never had the keys.
        Assert.InRange(fetchesDuringOutage, 1, 10);
    }

    [Fact]
    public async Task When_a_refetch_for_an_unknown_kid_fails_Should_keep_verifying_with_the_cached_keys()
    {
        await RefusalAsync(_api, _current.Sign(Claims()));
        _endpoint.FailWith = HttpStatusCode.InternalServerError;

        var unknown = await RefusalAsync(_api, _rotated.Sign(Claims()));
        var known = await RefusalAsync(_api, _current.Sign(Claims()));

        Assert.Equal(SessionTokenRejection.KeysUnavailable, unknown);
        Assert.Null(known);
    }

    [Fact]
    public async Task When_the_token_names_no_kid_Should_refuse_it_without_fetching()
    {
        var header = _current.Header();
        header.Remove("kid");

        var rejection = await RefusalAsync(_api, Jwt.SignRs256(header, Claims(), _current.Rsa));

        Assert.Equal(SessionTokenRejection.UnknownKey, rejection);
        Assert.Equal(0, _endpoint.Fetches);
    }

    public async ValueTask DisposeAsync()
    {
        await _api.DisposeAsync();
        _endpoint.Dispose();
        _current.Dispose();
        _rotated.Dispose();
    }
}
