using System.Net;
using System.Text.Json.Nodes;
using OrdersMail.OrdersApi.Authentication;

namespace OrdersMail.OrdersApi.Tests.Authentication;

/// <summary><c>GET /api/me</c> with a token where the specs put it, and what a refusal must look like.</summary>
public static class MeRequests
{
    /// <summary>The route that answers who the caller is.</summary>
    public const string Path = "/api/me";

    /// <summary>Sends <c>GET /api/me</c> with the <c>Authorization</c> header and <c>__session</c> cookie given, as given.</summary>
    public static async Task<HttpResponseMessage> GetAsync(HttpClient client, string? authorization = null, string? sessionCookie = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Path);
        if (authorization is not null)
        {
            Assert.True(request.Headers.TryAddWithoutValidation("Authorization", authorization));
        }

        if (sessionCookie is not null)
        {
            Assert.True(request.Headers.TryAddWithoutValidation("Cookie", $"{SessionTokenSource.SessionCookie}={sessionCookie}"));
        }

        return await client.SendAsync(request);
    }

    /// <summary>Sends <paramref name="token"/> as <c>Authorization: Bearer</c>.</summary>
    public static Task<HttpResponseMessage> GetWithBearerAsync(HttpClient client, string token) => GetAsync(client, $"Bearer {token}");

    /// <summary>The 200 body of <c>/api/me</c>: (user_id, session_id).</summary>
    public static async Task<(string UserId, string SessionId)> AssertSignedInAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {body}");
        var json = JsonNode.Parse(body)!.AsObject();
        return (json["user_id"]!.GetValue<string>(), json["session_id"]!.GetValue<string>());
    }

    /// <summary>
    /// The 503 problem+json of <see cref="SessionTokenRejection.KeysUnavailable"/>: <c>Retry-After</c> and its
    /// <c>reason</c>, and no <c>WWW-Authenticate</c>, which would tell the web app to sign in again with a token refused the
    /// same way.
    /// </summary>
    public static async Task AssertKeysUnavailableAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"{(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(TimeSpan.FromSeconds(KeysUnavailableAnswer.RetryAfterSeconds), response.Headers.RetryAfter?.Delta);
        Assert.Empty(response.Headers.WwwAuthenticate);

        var problem = JsonNode.Parse(body)!.AsObject();
        Assert.Equal(503, problem["status"]!.GetValue<int>());
        Assert.Equal(SessionTokenRejection.KeysUnavailable.Detail, problem["detail"]!.GetValue<string>());
        Assert.Equal(SessionTokenRejection.KeysUnavailable.Code, problem[SessionTokenRejection.ReasonExtension]!.GetValue<string>());
    }

    /// <summary>
    /// A 401 problem+json titled Unauthorized whose <c>detail</c> and <c>reason</c> name <paramref name="rejection"/>,
    /// with <c>WWW-Authenticate: Bearer</c> saying the same (bare when there was no token at all).
    /// </summary>
    public static async Task AssertRefusedAsync(HttpResponseMessage response, SessionTokenRejection rejection)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);

        var problem = JsonNode.Parse(body)!.AsObject();
        Assert.Equal(401, problem["status"]!.GetValue<int>());
        Assert.Equal("Unauthorized", problem["title"]!.GetValue<string>());
        Assert.Equal(rejection.Detail, problem["detail"]!.GetValue<string>());
        Assert.Equal(rejection.Code, problem[SessionTokenRejection.ReasonExtension]!.GetValue<string>());

        var challenge = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.Equal(
            rejection == SessionTokenRejection.NoToken ? "Bearer" : $"Bearer error=\"invalid_token\", error_description=\"{rejection.Detail}\"",
            challenge.ToString());
    }
}
