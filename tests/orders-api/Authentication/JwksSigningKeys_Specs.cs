using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using OrdersMail.OrdersApi.Authentication;

namespace OrdersMail.OrdersApi.Tests.Authentication;

/// <summary>
/// The JWKS cache on its own, with an in-memory JWKS endpoint and a clock the specs move: cached for the configured
/// duration, one refetch for a kid it does not know (Clerk rotated its key) but never a fetch per made-up kid, and a
/// failed fetch refusing tokens rather than failing the request.
/// </summary>
public sealed class JwksSigningKeys_Specs : IDisposable
{
    private readonly TestSigningKey _current = new("ins_current");
    private readonly TestSigningKey _rotated = new("ins_rotated");
    private readonly StubJwksEndpoint _endpoint = new();
    private readonly ManualClock _clock = ManualClock.At(1_700_000_000);
    private readonly JwksSigningKeys _keys;

    public JwksSigningKeys_Specs()
    {
        _endpoint.Body = TestSigningKey.JwksOf(_current);
        var options = new ClerkSessionOptions { JwksUrl = StubJwksEndpoint.Url, JwksCacheDuration = TimeSpan.FromMinutes(5) };
        _keys = new JwksSigningKeys(options, _endpoint, _clock, NullLogger<JwksSigningKeys>.Instance);
    }

    [Fact]
    public async Task When_a_known_kid_is_looked_up_twice_Should_fetch_the_jwks_once()
    {
        var first = await _keys.FindAsync(_current.Kid, CancellationToken.None);
        _clock.Advance(TimeSpan.FromMinutes(4));
        var second = await _keys.FindAsync(_current.Kid, CancellationToken.None);

        Assert.NotNull(first.Key);
        Assert.NotNull(second.Key);
        Assert.Equal(1, _endpoint.Fetches);
    }

    [Fact]
    public async Task When_the_cache_duration_has_passed_Should_fetch_the_jwks_again()
    {
        await _keys.FindAsync(_current.Kid, CancellationToken.None);
        _clock.Advance(TimeSpan.FromMinutes(5));

        var lookup = await _keys.FindAsync(_current.Kid, CancellationToken.None);

        Assert.NotNull(lookup.Key);
        Assert.Equal(2, _endpoint.Fetches);
    }

    [Fact]
    public async Task When_the_key_was_rotated_since_the_last_fetch_Should_refetch_once_and_find_the_new_kid()
    {
        await _keys.FindAsync(_current.Kid, CancellationToken.None);
        _endpoint.Body = TestSigningKey.JwksOf(_current, _rotated);
        _clock.Advance(JwksSigningKeys.UnknownKidRefetchInterval);

        var lookup = await _keys.FindAsync(_rotated.Kid, CancellationToken.None);

        Assert.NotNull(lookup.Key);
        Assert.Equal(2, _endpoint.Fetches);
    }

    [Fact]
    public async Task When_a_kid_is_unknown_even_after_the_refetch_Should_refuse_it_as_unknown()
    {
        await _keys.FindAsync(_current.Kid, CancellationToken.None);
        _clock.Advance(JwksSigningKeys.UnknownKidRefetchInterval);

        var lookup = await _keys.FindAsync("ins_nobody", CancellationToken.None);

        Assert.Same(SessionTokenRejection.UnknownKey, lookup.Rejection);
        Assert.Equal(2, _endpoint.Fetches);
    }

    [Fact]
    public async Task When_many_unknown_kids_arrive_Should_refetch_at_most_once_per_interval()
    {
        await _keys.FindAsync(_current.Kid, CancellationToken.None);
        _clock.Advance(JwksSigningKeys.UnknownKidRefetchInterval);

        for (var i = 0; i < 50; i++)
        {
            var lookup = await _keys.FindAsync($"ins_made_up_{i}", CancellationToken.None);
            Assert.Same(SessionTokenRejection.UnknownKey, lookup.Rejection);
            _clock.Advance(TimeSpan.FromMilliseconds(500));
        }

        // 25 s of made-up kids: the first one refetched, the rest were answered from the cache.
        Assert.Equal(2, _endpoint.Fetches);
        Assert.NotNull((await _keys.FindAsync(_current.Kid, CancellationToken.None)).Key);
    }

    [Fact]
    public async Task When_many_requests_look_up_at_once_Should_fetch_the_jwks_once()
    {
        _endpoint.Delay = TimeSpan.FromMilliseconds(200);

        var lookups = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => _keys.FindAsync(_current.Kid, CancellationToken.None).AsTask()));

        Assert.All(lookups, lookup => Assert.NotNull(lookup.Key));
        Assert.Equal(1, _endpoint.Fetches);
    }

    [Theory]
    [InlineData(HttpStatusCode.NotFound)]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    public async Task When_the_jwks_cannot_be_fetched_Should_answer_that_the_keys_are_unavailable(HttpStatusCode status)
    {
        _endpoint.FailWith = status;

        var lookup = await _keys.FindAsync(_current.Kid, CancellationToken.None);

        Assert.Same(SessionTokenRejection.KeysUnavailable, lookup.Rejection);
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

        var lookup = await _keys.FindAsync(_current.Kid, CancellationToken.None);

        Assert.Same(SessionTokenRejection.KeysUnavailable, lookup.Rejection);
    }

    [Fact]
    public async Task When_a_fetch_failed_Should_not_fetch_again_before_the_retry_interval_then_recover()
    {
        _endpoint.FailWith = HttpStatusCode.BadGateway;
        await _keys.FindAsync(_current.Kid, CancellationToken.None);
        _endpoint.FailWith = null;

        var duringOutage = await _keys.FindAsync(_current.Kid, CancellationToken.None);
        _clock.Advance(JwksSigningKeys.FailedFetchRetryInterval);
        var afterwards = await _keys.FindAsync(_current.Kid, CancellationToken.None);

        Assert.Same(SessionTokenRejection.KeysUnavailable, duringOutage.Rejection);
        Assert.NotNull(afterwards.Key);
        Assert.Equal(2, _endpoint.Fetches);
    }

    [Fact]
    public async Task When_a_refetch_for_an_unknown_kid_fails_Should_keep_verifying_with_the_cached_keys()
    {
        await _keys.FindAsync(_current.Kid, CancellationToken.None);
        _clock.Advance(JwksSigningKeys.UnknownKidRefetchInterval);
        _endpoint.FailWith = HttpStatusCode.InternalServerError;

        var unknown = await _keys.FindAsync(_rotated.Kid, CancellationToken.None);
        var known = await _keys.FindAsync(_current.Kid, CancellationToken.None);

        Assert.Same(SessionTokenRejection.KeysUnavailable, unknown.Rejection);
        Assert.NotNull(known.Key);
    }

    [Fact]
    public async Task When_the_token_names_no_kid_Should_refuse_it_without_fetching()
    {
        var lookup = await _keys.FindAsync(null, CancellationToken.None);

        Assert.Same(SessionTokenRejection.UnknownKey, lookup.Rejection);
        Assert.Equal(0, _endpoint.Fetches);
    }

    public void Dispose()
    {
        _keys.Dispose();
        _endpoint.Dispose();
        _current.Dispose();
        _rotated.Dispose();
    }
}
