using System.Diagnostics;
using System.Net;
using OrdersMail.MailSandbox.Tests.Support;

namespace OrdersMail.MailSandbox.Tests.Core;

/// <summary>Each request fault does what it says, to the operations it names and no others.</summary>
public sealed class FaultInjection_Specs : IAsyncLifetime
{
    private SandboxFactory Sandbox { get; } = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await Sandbox.DisposeAsync();

    [Fact]
    public async Task A_latency_fault_Should_delay_the_answer_by_at_least_its_latency()
    {
        using var agentMail = Sandbox.AgentMail();
        await Sandbox.AddFaultAsync(new { api = "agentmail", operation = "inboxes.list", latency_ms = 400 });

        var clock = Stopwatch.StartNew();
        var response = await agentMail.GetAsync("/agentmail/v0/inboxes");

        // The sandbox waits with Task.Delay, whose timer runs on the runtime's coarse tick and can fire a few ms before
        // this Stopwatch says 400 ms have passed (CI measured 398): the margin allows for that, not for a missing delay.
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(clock.ElapsedMilliseconds >= 390, $"answered after {clock.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task A_hang_fault_Should_leave_the_client_without_an_answer_until_it_gives_up()
    {
        using var agentMail = Sandbox.AgentMail();
        agentMail.Timeout = TimeSpan.FromSeconds(1);
        await Sandbox.AddFaultAsync(new { api = "agentmail", operation = "inboxes.list", hang = true, times = 1 });

        await Assert.ThrowsAsync<TaskCanceledException>(() => agentMail.GetAsync("/agentmail/v0/inboxes"));

        Assert.Equal(HttpStatusCode.OK, (await agentMail.GetAsync("/agentmail/v0/inboxes")).StatusCode);
    }

    [Fact]
    public async Task A_rule_with_a_skip_Should_let_that_many_matches_through_then_apply_for_its_times()
    {
        using var agentMail = Sandbox.AgentMail();
        await Sandbox.AddFaultAsync(new { api = "agentmail", operation = "inboxes.list", error_status = 503, skip = 2, times = 1 });

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            statuses.Add((await agentMail.GetAsync("/agentmail/v0/inboxes")).StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK], statuses);
    }

    [Fact]
    public async Task An_error_rate_Should_fail_about_that_share_of_the_requests()
    {
        using var clerk = Sandbox.CreateClient();
        await Sandbox.AddFaultAsync(new { api = "clerk", operation = "jwks.get", error_status = 500, error_rate = 0.5 });

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 200; i++)
        {
            statuses.Add((await clerk.GetAsync("/clerk/.well-known/jwks.json")).StatusCode);
        }

        // 200 draws at p = 0.5: outside 60..140 failures is more than five standard deviations away.
        Assert.InRange(statuses.Count(s => s == HttpStatusCode.InternalServerError), 60, 140);
        Assert.All(statuses, s => Assert.True(s is HttpStatusCode.OK or HttpStatusCode.InternalServerError));
    }

    [Fact]
    public async Task A_prefix_rule_Should_hit_the_operations_it_names_and_no_others()
    {
        using var agentMail = Sandbox.AgentMail();
        await Sandbox.AddFaultAsync(new { api = "agentmail", operation = "webhooks.*", error_status = 503, retry_after_seconds = 7 });

        var webhooks = await agentMail.GetAsync("/agentmail/v0/webhooks");
        var inboxes = await agentMail.GetAsync("/agentmail/v0/inboxes");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, webhooks.StatusCode);
        Assert.Equal("7", webhooks.Headers.RetryAfter?.Delta?.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Contains("service_unavailable", await webhooks.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, inboxes.StatusCode);
    }

    [Fact]
    public async Task A_rule_for_one_api_Should_leave_the_others_alone()
    {
        using var resend = Sandbox.Resend();
        await Sandbox.AddFaultAsync(new { api = "agentmail", operation = "*", error_status = 500 });

        var response = await resend.GetAsync($"/resend/emails/{Guid.NewGuid()}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
