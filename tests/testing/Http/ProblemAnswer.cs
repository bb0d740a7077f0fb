using System.Net;
using System.Text.Json;
using Xunit;

namespace OrdersMail.Testing.Http;

/// <summary>Reads an answer that must be a problem (<c>application/problem+json</c>, RFC 9457).</summary>
public static class ProblemAnswer
{
    /// <summary>Asserts <paramref name="response"/> is a problem with <paramref name="status"/> in its status line and body; returns its <c>detail</c>, which must say something.</summary>
    public static async Task<string> DetailAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        ArgumentNullException.ThrowIfNull(response);
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal((int)status, body.RootElement.GetProperty("status").GetInt32());
        var detail = body.RootElement.GetProperty("detail").GetString();
        Assert.False(string.IsNullOrWhiteSpace(detail));
        return detail;
    }
}
