using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using OrdersMail.MailSandbox.Core;
using OrdersMail.MailSandbox.Tests.Support;
using OrdersMail.MailSandbox.Webhooks;
using OrdersMail.Testing.Http;

namespace OrdersMail.MailSandbox.Tests.Core;

/// <summary>Delivery as Svix does it: signed, retried on a (compressed) schedule, every attempt visible.</summary>
public sealed class WebhookDispatcher_Specs : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private SandboxFactory Sandbox { get; } = new();

    private WebhookReceiver Receiver { get; set; } = null!;

    public async Task InitializeAsync() => Receiver = await WebhookReceiver.StartAsync();

    public async Task DisposeAsync()
    {
        await Receiver.DisposeAsync();
        await Sandbox.DisposeAsync();
    }

    [Fact]
    public async Task Should_sign_each_delivery_so_an_independent_verifier_accepts_it()
    {
        var message = Message("evt-signed");

        Dispatcher.Dispatch(message);

        var delivery = (await Receiver.WaitForAsync(1, Timeout)).Single();
        Assert.Equal(message.Body, delivery.Body);
        Assert.Equal(message.SvixId, delivery.SvixId);
        Assert.StartsWith("application/json", delivery.Headers["content-type"], StringComparison.Ordinal);
        Assert.True(SvixCheck.IsFresh(delivery.Headers["svix-timestamp"]));
        Assert.True(SvixCheck.IsValid(message.Secret, delivery.SvixId, delivery.Headers["svix-timestamp"], delivery.Body, delivery.Headers["svix-signature"]));
        Assert.False(SvixCheck.IsValid(SvixSignature.NewSecret(), delivery.SvixId, delivery.Headers["svix-timestamp"], delivery.Body, delivery.Headers["svix-signature"]));
        Assert.Equal("sandbox", delivery.Headers["x-custom"]);
    }

    [Fact]
    public async Task When_theReceiver_fails_Should_retry_with_the_same_svix_id_until_it_answers_2xx()
    {
        Receiver.Plan(500, 302, 503);
        var message = Message("evt-retried");

        Dispatcher.Dispatch(message);

        var deliveries = await Receiver.WaitForAsync(4, Timeout);
        Assert.All(deliveries, d => Assert.Equal(message.SvixId, d.SvixId));
        Assert.All(deliveries, d => Assert.True(SvixCheck.IsValid(message.Secret, d.SvixId, d.Headers["svix-timestamp"], d.Body, d.Headers["svix-signature"])));

        var attempts = await Eventually(() => Sandbox.AttemptsAsync($"?svix_id={message.SvixId}"), a => a.Count == 4);
        Assert.Equal([500, 302, 503, 200], attempts.Select(a => a!["status_code"]!.GetValue<int>()));
        Assert.Equal([1, 2, 3, 4], attempts.Select(a => a!["attempt"]!.GetValue<int>()));
    }

    [Fact]
    public async Task When_theReceiver_never_answers_2xx_Should_give_up_after_Svixs_eight_attempts()
    {
        Receiver.Plan(Enumerable.Repeat(500, 20).ToArray());
        var message = Message("evt-doomed");

        Dispatcher.Dispatch(message);

        var attempts = await Eventually(() => Sandbox.AttemptsAsync($"?svix_id={message.SvixId}"), a => a.Count == WebhookDispatcher.Schedule.Count);
        await Task.Delay(300);
        Assert.Equal(WebhookDispatcher.Schedule.Count, (await Sandbox.AttemptsAsync($"?svix_id={message.SvixId}")).Count);
        Assert.All(attempts, a => Assert.Equal(500, a!["status_code"]!.GetValue<int>()));
    }

    [Fact]
    public async Task When_nobody_listens_Should_record_the_attempt_with_the_reason()
    {
        var message = Message("evt-nowhere") with { Url = "http://127.0.0.1:9/nobody" };

        Dispatcher.Dispatch(message);

        var attempts = await Eventually(() => Sandbox.AttemptsAsync($"?svix_id={message.SvixId}"), a => a.Count >= 1);
        Assert.Null(attempts[0]!["status_code"]);
        Assert.False(string.IsNullOrEmpty(attempts[0]!["error"]!.GetValue<string>()));
    }

    [Fact]
    public async Task When_the_receiver_takes_no_answer_past_WebhookAttemptTimeout_Should_record_the_attempt_timed_out_and_retry()
    {
        Sandbox.Settings["MailSandbox:WebhookAttemptTimeout"] = "00:00:00.500";
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var message = Message("evt-unanswered") with { Url = $"http://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}/hooks" };

        Dispatcher.Dispatch(message);

        var attempts = await Eventually(() => Sandbox.AttemptsAsync($"?svix_id={message.SvixId}"), a => a.Count >= 2);
        Assert.Equal([1, 2], attempts.Take(2).Select(a => a!["attempt"]!.GetValue<int>()));
        Assert.Null(attempts[0]!["status_code"]);
        Assert.Equal("no answer within 0.5 s", attempts[0]!["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task With_a_duplicate_fault_Should_deliver_each_event_twice_with_one_svix_id()
    {
        await Sandbox.AddFaultAsync(new { api = "agentmail", operation = "webhooks.deliver", duplicate = true });
        var message = Message("evt-twice");

        Dispatcher.Dispatch(message);

        var deliveries = await Receiver.WaitForAsync(2, Timeout);
        Assert.Equal([message.SvixId, message.SvixId], deliveries.Select(d => d.SvixId));
    }

    [Fact]
    public async Task With_a_reorder_fault_Should_deliver_the_events_of_its_window_newest_first()
    {
        await Sandbox.AddFaultAsync(new { api = "agentmail", operation = "webhooks.deliver", reorder_window_ms = 300 });
        var first = Message("evt-first");
        var second = Message("evt-second");
        var third = Message("evt-third");

        Dispatcher.Dispatch(first);
        Dispatcher.Dispatch(second);
        Dispatcher.Dispatch(third);

        var deliveries = await Receiver.WaitForAsync(3, Timeout);
        Assert.Equal([third.SvixId, second.SvixId, first.SvixId], deliveries.Select(d => d.SvixId));
    }

    [Fact]
    public async Task With_a_duplicate_fault_at_an_apply_rate_Should_deliver_that_share_twice_and_count_it()
    {
        var rule = await Sandbox.AddFaultAsync(new { api = "agentmail", operation = "webhooks.deliver", duplicate = true, apply_rate = 0.5 });
        var messages = Enumerable.Range(0, 200).Select(i => Message($"evt-share-{i}")).ToList();

        messages.ForEach(Dispatcher.Dispatch);

        var applied = (await Sandbox.FaultsAsync()).Single(f => f!["id"]!.GetValue<string>() == rule["id"]!.GetValue<string>())!["applied"]!.GetValue<long>();
        var deliveries = await Receiver.WaitForAsync(200 + (int)applied, Timeout);
        var twice = deliveries.GroupBy(d => d.SvixId).Count(g => g.Count() == 2);
        Assert.InRange(applied, 60, 140);
        Assert.Equal(applied, twice);
        Assert.Equal(200, deliveries.Select(d => d.SvixId).Distinct().Count());
    }

    [Fact]
    public async Task With_a_shuffling_reorder_fault_Should_deliver_every_event_of_its_window_once_in_another_order()
    {
        await Sandbox.AddFaultAsync(new { api = "agentmail", operation = "webhooks.deliver", reorder_window_ms = 300, shuffle = true });
        var messages = Enumerable.Range(0, 30).Select(i => Message($"evt-shuffled-{i}")).ToList();

        messages.ForEach(Dispatcher.Dispatch);

        var delivered = (await Receiver.WaitForAsync(30, Timeout)).Select(d => d.SvixId).ToList();
        var sent = messages.Select(m => m.SvixId).ToList();
        Assert.Equal(sent.Order(), delivered.Order());
        Assert.NotEqual(sent, delivered);
        Assert.NotEqual(Enumerable.Reverse(sent), delivered);
    }

    [Fact]
    public async Task On_reset_Should_forget_the_attempts_and_stop_retrying()
    {
        Receiver.Plan(Enumerable.Repeat(500, 20).ToArray());
        Sandbox.Settings["MailSandbox:WebhookRetryCompression"] = "1000";
        var message = Message("evt-reset");
        Dispatcher.Dispatch(message);
        await Receiver.WaitForAsync(2, Timeout);

        using var client = Sandbox.CreateClient();
        (await client.PostAsync("/sandbox/reset", null)).EnsureSuccessStatusCode();
        var seen = Receiver.Received.Count;
        await Task.Delay(TimeSpan.FromSeconds(6));

        Assert.Empty(await Sandbox.AttemptsAsync());
        Assert.Equal(seen, Receiver.Received.Count);
    }

    [Fact]
    public async Task Should_keep_each_APIs_latest_attempts_apart_and_count_every_attempt_made()
    {
        Sandbox.Settings["MailSandbox:KeptWebhookAttempts"] = "3";
        var agentMail = Enumerable.Range(0, 5).Select(i => Message($"evt-kept-{i}")).ToList();
        var resend = Enumerable.Range(0, 6).Select(i => Message($"evt-resend-{i}") with { Api = SandboxApi.Resend }).ToList();

        // One at a time, each recorded before the next, so "the latest three" is a known three.
        for (var i = 0; i < agentMail.Count; i++)
        {
            Dispatcher.Dispatch(agentMail[i]);
            await RecordedAsync("?api=agentmail", i + 1);
        }

        resend.ForEach(Dispatcher.Dispatch);
        await RecordedAsync("?api=resend", resend.Count);

        var keptAgentMail = await Sandbox.AttemptsAsync("?api=agentmail");
        Assert.Equal(agentMail.Skip(2).Select(m => m.SvixId), keptAgentMail.Select(a => a!["svix_id"]!.GetValue<string>()));
        Assert.Equal(5, await Sandbox.RecordedAttemptsAsync("?api=agentmail"));
        Assert.Equal(6, await Sandbox.RecordedAttemptsAsync("?api=resend"));
        Assert.Equal(11, await Sandbox.RecordedAttemptsAsync());
        Assert.Equal(6, (await Sandbox.AttemptsAsync()).Count);
    }

    private WebhookDispatcher Dispatcher => Sandbox.Services.GetRequiredService<WebhookDispatcher>();

    private WebhookMessage Message(string eventId) => new(
        SandboxApi.AgentMail,
        "ep_spec",
        Receiver.Url("/hooks"),
        SvixSignature.NewSecret(),
        Ids.New("msg_"),
        "message.received",
        $$"""{"type":"event","event_type":"message.received","event_id":"{{eventId}}"}""",
        new Dictionary<string, string> { ["X-Custom"] = "sandbox" });

    private async Task RecordedAsync(string query, long count)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (await Sandbox.RecordedAttemptsAsync(query) < count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }
    }

    private static async Task<JsonArray> Eventually(Func<Task<JsonArray>> probe, Func<JsonArray, bool> done)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (true)
        {
            var seen = await probe();
            if (done(seen) || DateTime.UtcNow > deadline)
            {
                return seen;
            }

            await Task.Delay(50);
        }
    }
}
