using System.Diagnostics;
using System.Text.Json.Nodes;

namespace OrdersMail.Journey;

/// <summary>
/// One customer's whole journey through a running OrdersMail, each step waited for and proven by what a person
/// would look at: the order placed, its inbox provisioned, the inbox's webhook read back, the confirmation delivered
/// with the inbox as Reply-To, the customer's reply verified and routed, and the agent's answer delivered in the
/// customer's thread. A step that does not happen in time fails the journey with its name, why, and the service whose
/// log explains it.
/// </summary>
public sealed class CustomerJourney(HttpClient http, JourneySettings settings, Action<JourneyStep> report)
{
    private readonly JourneyApi _api = new(http, settings);
    private readonly Stopwatch _clock = new();
    private readonly List<JourneyStep> _steps = [];

    /// <summary>Plays the journey for a new customer; throws <see cref="JourneyStepFailedException"/> at the first step that does not happen.</summary>
    public async Task<JourneyOutcome> RunAsync(CancellationToken cancellation)
    {
        _clock.Restart();
        var run = Guid.NewGuid().ToString("N")[..8];
        var userId = $"user_journey_{run}";
        var customer = $"jane.{run}@customer.example";
        var traceId = ActivityTraceId.CreateRandom();

        var order = await StepAsync("order placed", "orders-api", async () =>
        {
            await _api.SignInAsync(userId, cancellation);
            var placed = await _api.PlaceOrderAsync(
                new
                {
                    customer_email = customer,
                    customer_name = "Jane Journey",
                    currency = "EUR",
                    items = new object[]
                    {
                        new { sku = "SKU-WIDGET", name = "Widget", quantity = 2, unit_price = 19.99m },
                        new { sku = "SKU-GADGET", name = "Gadget", quantity = 1, unit_price = 5.50m },
                    },
                },
                $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01",
                cancellation);
            return (placed, $"{Text(placed, "order_ref")} for {customer}");
        });
        var orderId = order["id"]!.GetValue<Guid>();
        var orderRef = Text(order, "order_ref");

        var inbox = await StepAsync("inbox provisioned", "inbox-provisioner", async () =>
        {
            var provisioned = await WaitForAsync(
                c => _api.GetOrderAsync(orderId, c),
                o => Text(o["provisioning"], "state") != "pending",
                "the order's provisioning to end",
                cancellation);
            var state = Text(provisioned["provisioning"], "state");
            if (state != "ready")
            {
                throw new InvalidOperationException($"provisioning ended {state}: {provisioned["provisioning"]?["detail"]}");
            }

            var address = Text(provisioned, "reply_address");
            return (address, address);
        });

        await StepAsync("webhook read back and verified", "inbox-provisioner", async () =>
        {
            var webhooks = (await _api.GetInboxWebhooksAsync(inbox, cancellation))?["webhooks"]?.AsArray()
                ?? throw new InvalidOperationException("AgentMail lists no webhooks for the inbox");
            var ours = webhooks.Where(w => Text(w, "url") == settings.InboundRouterWebhook.ToString()).ToList();
            if (ours.Count != 1)
            {
                throw new InvalidOperationException($"{ours.Count} webhooks of the inbox point at {settings.InboundRouterWebhook}, not 1");
            }

            var scope = ours[0]!["inbox_ids"]?.AsArray().Select(i => i?.GetValue<string>()).ToList() ?? [];
            if (scope.Count != 1 || !string.Equals(scope[0], inbox, StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException($"the webhook is scoped to [{string.Join(", ", scope)}], not to the inbox alone");
            }

            return (ours[0]!, $"{Text(ours[0], "webhook_id")} scoped to {inbox} alone");
        });

        var confirmation = await StepAsync("confirmation sent and delivered", "delivery-tracker", async () =>
        {
            await WaitForEmailAsync(orderId, "order_confirmation", cancellation);
            var emails = await WaitForAsync(
                c => _api.GetResendEmailsAsync(c),
                e => ConfirmationOf(e, customer, orderRef) is not null,
                "the sandbox's Resend to hold the confirmation",
                cancellation);
            var sent = ConfirmationOf(emails, customer, orderRef)!;
            var replyTo = sent["reply_to"]?.AsArray().Select(a => a?.GetValue<string>()).ToList() ?? [];
            if (!replyTo.Contains(inbox, StringComparer.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException($"its Reply-To is [{string.Join(", ", replyTo)}], not the customer's inbox {inbox}");
            }

            return (sent, $"delivered through Resend, Reply-To {inbox}");
        });

        var confirmationMessageId = HeaderOf(confirmation, "Message-ID");
        var customerEmail = await StepAsync("the customer writes to the inbox", "mail-sandbox", async () =>
        {
            var sent = await _api.SendCustomerEmailAsync(
                inbox,
                new
                {
                    from = $"Jane Journey <{customer}>",
                    subject = $"Re: {Text(confirmation, "subject")}",
                    text = $"Hello, where is my order {orderRef}? When will it arrive?",
                    in_reply_to = confirmationMessageId,
                    references = confirmationMessageId is null ? null : new[] { confirmationMessageId },
                },
                cancellation);
            return (sent, $"{Text(sent, "message_id")} in reply to {confirmationMessageId ?? "(no Message-ID on the confirmation)"}");
        });
        var customerMessageId = Text(customerEmail, "message_id");

        await StepAsync("verified and routed to the order", "inbound-router", async () =>
        {
            var conversation = await WaitForAsync(
                c => _api.GetConversationAsync(orderId, c),
                page => InboundOf(page, customerMessageId) is not null,
                "the customer's message in the order's conversation",
                cancellation);
            var message = InboundOf(conversation, customerMessageId)!;
            if (message["sender_verified"]?.GetValue<bool>() != true)
            {
                throw new InvalidOperationException("the message is in the conversation but its sender is not verified as the order's customer");
            }

            return (message, $"in {orderRef}'s conversation, sender verified");
        });

        var reply = await StepAsync("the agent's reply sent in the thread and delivered", "delivery-tracker", async () =>
        {
            await WaitForEmailAsync(orderId, "agent_reply", cancellation);
            var messages = await WaitForAsync(
                c => _api.GetInboxMessagesAsync(inbox, c),
                m => ReplyTo(m, customerMessageId) is not null,
                "the agent's reply in the customer's thread",
                cancellation);
            var answer = ReplyTo(messages, customerMessageId)!;
            if (Text(answer, "thread_id") != Text(customerEmail, "thread_id"))
            {
                throw new InvalidOperationException($"the reply is in thread {Text(answer, "thread_id")}, not the customer's {Text(customerEmail, "thread_id")}");
            }

            return (answer, $"{Text(answer, "message_id")} in thread {Text(answer, "thread_id")}, delivered");
        });

        return new JourneyOutcome(orderId, orderRef, userId, inbox, traceId.ToString(), customerMessageId, Text(reply, "message_id"), _steps);
    }

    private async Task<T> StepAsync<T>(string name, string lookAt, Func<Task<(T Result, string Figure)>> step)
    {
        try
        {
            var (result, figure) = await step();
            var done = new JourneyStep(name, figure, _clock.Elapsed);
            _steps.Add(done);
            report(done);
            return result;
        }
        catch (Exception e) when (e is InvalidOperationException or HttpRequestException or TimeoutException or System.Text.Json.JsonException)
        {
            throw new JourneyStepFailedException(name, e.Message, lookAt);
        }
    }

    private async Task WaitForEmailAsync(Guid orderId, string kind, CancellationToken cancellation)
    {
        var order = await WaitForAsync(
            c => _api.GetOrderAsync(orderId, c),
            o => EmailOf(o, kind) is { } email && Text(email, "state") is "delivered" or "bounced" or "complained" or "failed",
            $"the order's {kind} email to reach a final delivery state",
            cancellation);
        var email = EmailOf(order, kind)!;
        if (Text(email, "state") != "delivered")
        {
            throw new InvalidOperationException($"the {kind} email ended {Text(email, "state")}: {email["detail"]}");
        }
    }

    private async Task<JsonObject> WaitForAsync(Func<CancellationToken, Task<JsonObject?>> ask, Func<JsonObject, bool> done, string what, CancellationToken cancellation) =>
        await Poll.UntilAsync(ask, done, settings.StepTimeout, cancellation)
        ?? throw new TimeoutException($"waited {settings.StepTimeout.TotalSeconds:0} s for {what}");

    private static JsonNode? EmailOf(JsonObject order, string kind) =>
        order["emails"]?.AsArray().FirstOrDefault(e => Text(e, "kind") == kind);

    private static JsonNode? ConfirmationOf(JsonObject emails, string customer, string orderRef) =>
        emails["data"]?.AsArray().FirstOrDefault(e =>
            e?["to"]?.AsArray().Any(t => string.Equals(t?.GetValue<string>(), customer, StringComparison.OrdinalIgnoreCase)) == true
            && Text(e, "subject").Contains(orderRef, StringComparison.Ordinal));

    private static JsonNode? InboundOf(JsonObject page, string messageId) =>
        page["messages"]?.AsArray().FirstOrDefault(m => Text(m, "message_id") == messageId && Text(m, "direction") == "inbound");

    private static JsonNode? ReplyTo(JsonObject list, string messageId) =>
        list["messages"]?.AsArray().FirstOrDefault(m => Text(m, "in_reply_to") == messageId);

    private static string? HeaderOf(JsonNode email, string name) =>
        email["headers"]?.AsObject().FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value?.GetValue<string>();

    private static string Text(JsonNode? node, string property) => node?[property]?.GetValue<string>() ?? string.Empty;
}
