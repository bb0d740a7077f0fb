using System.Net;
using OrdersMail.OrdersApi.Tests.Support;

namespace OrdersMail.OrdersApi.Tests.Timeline;

/// <summary>
/// The sandbox's local sign-in (<c>GET /sandbox/clerk/sign-in</c>), which the timeline page is opened through: a session
/// token in the <c>__session</c> cookie, then a redirect, only ever to the sandbox's own loopback host.
/// </summary>
public sealed class SandboxSignIn_Specs(OrdersApiFixture fixture) : IClassFixture<OrdersApiFixture>
{
    [Fact]
    public async Task Should_set_a_session_cookie_orders_api_accepts_and_redirect_to_a_loopback_page()
    {
        var target = $"http://127.0.0.1:5100/orders/{Guid.NewGuid()}";
        using var browser = NoRedirects();

        using var response = await browser.GetAsync(SignIn("user_signin", target));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(target, response.Headers.Location?.ToString());
        var cookie = response.Headers.GetValues("Set-Cookie").Single();
        Assert.StartsWith("__session=", cookie, StringComparison.Ordinal);
        Assert.Contains("path=/", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);

        var token = cookie["__session=".Length..cookie.IndexOf(';', StringComparison.Ordinal)];
        using var api = fixture.Api.CreateClient();
        api.DefaultRequestHeaders.Add("Cookie", $"__session={token}");
        Assert.Contains("\"user_signin\"", await api.GetStringAsync("/api/me"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://evil.example/orders/1")]
    [InlineData("//evil.example/orders/1")]
    [InlineData("/orders/1")]
    [InlineData("http://localhost:5100/orders/1")]
    [InlineData("http://127.0.0.1.evil.example/orders/1")]
    [InlineData("http://user@127.0.0.1:5100/orders/1")]
    [InlineData("javascript:alert(1)")]
    [InlineData("")]
    public async Task Should_refuse_a_redirect_anywhere_but_its_own_loopback_host_and_set_no_cookie(string redirect)
    {
        using var browser = NoRedirects();

        using var response = await browser.GetAsync(SignIn("user_signin", redirect));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(response.Headers.Contains("Set-Cookie"));
        Assert.Null(response.Headers.Location);
    }

    [Theory]
    [InlineData("")]
    [InlineData("user 1")]
    [InlineData("user_1\r\nSet-Cookie: x=y")]
    public async Task Should_refuse_a_user_id_that_is_not_one(string userId)
    {
        using var browser = NoRedirects();

        using var response = await browser.GetAsync(SignIn(userId, "http://127.0.0.1:5100/orders/1"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(response.Headers.Contains("Set-Cookie"));
    }

    private Uri SignIn(string userId, string redirect) =>
        new(fixture.Sandbox.BaseUrl, $"sandbox/clerk/sign-in?user_id={Uri.EscapeDataString(userId)}&redirect={Uri.EscapeDataString(redirect)}");

    private static HttpClient NoRedirects() =>
        new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { Timeout = TimeSpan.FromSeconds(15) };
}
