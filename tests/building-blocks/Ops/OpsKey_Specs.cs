using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OrdersMail.BuildingBlocks.Ops;

namespace OrdersMail.BuildingBlocks.Tests.Ops;

/// <summary>Ops routes answer only the ops key; a service with ops routes does not start without one.</summary>
public sealed class OpsKey_Specs
{
    private const string Key = "ops_spec_0123456789abcdef0123456789abcdef";

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer ")]
    [InlineData("Bearer ops_spec_0123456789abcdef0123456789abcdeX")]
    [InlineData("Basic " + Key)]
    [InlineData(Key)]
    public async Task Should_refuse_a_request_without_the_key_with_a_401_problem_and_not_run_the_route(string? authorization)
    {
        var ran = 0;
        await using var app = await StartAsync(Key, () => ran++);
        using var client = app.GetTestClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/ops/thing");
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        using var answer = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, answer.StatusCode);
        Assert.Equal("application/problem+json", answer.Content.Headers.ContentType?.MediaType);
        Assert.Contains("ops key", (await answer.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("Bearer realm=\"ops\"", answer.Headers.WwwAuthenticate.ToString());
        Assert.Equal(0, ran);
    }

    [Fact]
    public async Task Should_run_the_route_for_the_key()
    {
        var ran = 0;
        await using var app = await StartAsync(Key, () => ran++);
        using var client = app.GetTestClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key);

        using var answer = await client.PostAsync("/ops/thing", null);

        Assert.Equal(HttpStatusCode.NoContent, answer.StatusCode);
        Assert.Equal(1, ran);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("short")]
    [InlineData(" ops_spec_0123456789abcdef0123456789abcdef ")]
    public async Task Should_not_start_without_a_key_of_32_characters(string? key)
    {
        var failure = await Assert.ThrowsAsync<OptionsValidationException>(async () =>
        {
            await using var app = await StartAsync(key, () => { });
        });

        Assert.Contains("ORDERSMAIL_Ops__ApiKey", failure.Message, StringComparison.Ordinal);
    }

    private static async Task<WebApplication> StartAsync(string? key, Action route)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Ops:ApiKey"] = key });
        builder.Services.AddProblemDetails();
        builder.Services.AddOpsAccess();
        var app = builder.Build();
        app.MapGroup("/ops").RequireOpsKey().MapPost("/thing", () =>
        {
            route();
            return TypedResults.NoContent();
        });
        try
        {
            await app.StartAsync();
            return app;
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }
}
