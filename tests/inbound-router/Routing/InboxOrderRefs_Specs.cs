using Microsoft.Extensions.Options;
using OrdersMail.InboundRouter.Routing;
using OrdersMail.InboundRouter.Secrets;
using OrdersMail.Integrations.AgentMail;

namespace OrdersMail.InboundRouter.Tests.Routing;

/// <summary>
/// The inbox's order_ref read from AgentMail is reused for a short while instead of being read for every message, and read
/// again at once when the bus says the inbox's order changed; a read that raced that news is never remembered.
/// </summary>
public sealed class InboxOrderRefs_Specs
{
    private readonly CountingAgentMail _agentMail = new();
    private readonly ManualClock _clock = new();
    private readonly InboxOrderRefs _orderRefs;

    public InboxOrderRefs_Specs() =>
        _orderRefs = new InboxOrderRefs(_agentMail, Options.Create(new RoutingOptions { OrderRefCacheFor = TimeSpan.FromSeconds(5) }), _clock);

    [Fact]
    public async Task Should_read_an_inboxs_order_ref_from_agentmail_once_for_many_messages_within_its_lifetime()
    {
        _agentMail.OrderRefs["inbox_a"] = "ORD-1";

        foreach (var _ in Enumerable.Range(0, 10))
        {
            Assert.Equal("ORD-1", (await _orderRefs.GetAsync("inbox_a", CancellationToken.None)).OrderRef);
        }

        Assert.Equal(1, _agentMail.Reads);
    }

    [Fact]
    public async Task Should_read_agentmail_again_once_the_lifetime_is_over()
    {
        _agentMail.OrderRefs["inbox_a"] = "ORD-1";
        await _orderRefs.GetAsync("inbox_a", CancellationToken.None);
        _agentMail.OrderRefs["inbox_a"] = "ORD-2";

        _clock.Advance(TimeSpan.FromSeconds(6));

        Assert.Equal("ORD-2", (await _orderRefs.GetAsync("inbox_a", CancellationToken.None)).OrderRef);
        Assert.Equal(2, _agentMail.Reads);
    }

    [Fact]
    public async Task Should_read_the_new_order_ref_as_soon_as_the_inbox_is_forgotten()
    {
        _agentMail.OrderRefs["inbox_a"] = "ORD-1";
        _agentMail.OrderRefs["inbox_b"] = "ORD-B";
        await _orderRefs.GetAsync("inbox_a", CancellationToken.None);
        await _orderRefs.GetAsync("inbox_b", CancellationToken.None);
        _agentMail.OrderRefs["inbox_a"] = "ORD-2";

        _orderRefs.Forget("inbox_a");

        Assert.Equal("ORD-2", (await _orderRefs.GetAsync("inbox_a", CancellationToken.None)).OrderRef);
        Assert.Equal("ORD-B", (await _orderRefs.GetAsync("inbox_b", CancellationToken.None)).OrderRef);
        Assert.Equal(3, _agentMail.Reads);
    }

    [Fact]
    public async Task Should_not_remember_a_read_that_was_under_way_when_the_inbox_was_forgotten()
    {
        _agentMail.OrderRefs["inbox_a"] = "ORD-1";
        var answer = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _agentMail.Gate = answer.Task;
        var racing = _orderRefs.GetAsync("inbox_a", CancellationToken.None);
        _orderRefs.Forget("inbox_a");
        answer.SetResult();
        Assert.Equal("ORD-1", (await racing).OrderRef);
        _agentMail.Gate = Task.CompletedTask;
        _agentMail.OrderRefs["inbox_a"] = "ORD-2";

        Assert.Equal("ORD-2", (await _orderRefs.GetAsync("inbox_a", CancellationToken.None)).OrderRef);
        Assert.Equal(2, _agentMail.Reads);
    }

    [Fact]
    public async Task Should_ask_again_every_time_for_an_inbox_agentmail_does_not_have_or_that_names_no_order()
    {
        _agentMail.OrderRefs["inbox_empty"] = null;

        Assert.False((await _orderRefs.GetAsync("inbox_gone", CancellationToken.None)).InboxExists);
        Assert.False((await _orderRefs.GetAsync("inbox_gone", CancellationToken.None)).InboxExists);
        Assert.Null((await _orderRefs.GetAsync("inbox_empty", CancellationToken.None)).OrderRef);
        Assert.Null((await _orderRefs.GetAsync("inbox_empty", CancellationToken.None)).OrderRef);

        Assert.Equal(4, _agentMail.Reads);
    }

    private sealed class CountingAgentMail : IAgentMailDirectory
    {
        private int _reads;

        public Dictionary<string, string?> OrderRefs { get; } = new(StringComparer.Ordinal);

        public Task Gate { get; set; } = Task.CompletedTask;

        public int Reads => Volatile.Read(ref _reads);

        public async Task<InboxOrderRef> GetOrderRefAsync(string inboxId, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _reads);
            var known = OrderRefs.TryGetValue(inboxId, out var orderRef);
            await Gate;
            return known ? new InboxOrderRef(true, orderRef) : InboxOrderRef.Missing;
        }

        public Task<string?> FindSecretAsync(string inboxId, string webhookId, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<string?> FindInboxWebhookAsync(string inboxId, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<MessageBody?> GetMessageBodyAsync(string inboxId, string messageId, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<MessagePage?> ListReceivedAsync(string inboxId, DateTimeOffset after, string? pageToken, ReceivedMailClasses include, CancellationToken cancellationToken) => throw new NotSupportedException();
    }

    private sealed class ManualClock : TimeProvider
    {
        private DateTimeOffset _now = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
