using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.Options;
using OrdersMail.Contracts.Provisioning;
using OrdersMail.InboxProvisioner.Customers;
using OrdersMail.InboxProvisioner.Operations;
using OrdersMail.InboxProvisioner.Saga;
using OrdersMail.InboxProvisioner.Steps.Reconcile;
using OrdersMail.InboxProvisioner.Steps.Webhook;
using OrdersMail.Integrations.AgentMail;

namespace OrdersMail.InboxProvisioner.Steps.Inbox;

/// <summary>
/// The inbox step: under the customer's lease, records the order, creates the customer's one inbox (deterministic
/// client_id, of their inbox generation) or re-stamps the existing one, so that its <c>metadata.order_ref</c> is the customer's newest order,
/// then, under the same lease, makes sure of the inbox's webhook (<see cref="InboxWebhookSubscription"/>): a webhook
/// read back as asked for rides on the answer and the saga goes Ready on it; one that differs goes to the reconcile
/// step; one that could not be created is left to the webhook step.
/// An AgentMail outage on the inbox, an answer that cannot be read, or a refusal for the account (a bad key, a missing
/// permission) on any of its calls defers the step (<see cref="StepDeferral"/>); a refusal of the request itself fails the step.
/// </summary>
public sealed partial class EnsureCustomerInboxConsumer(
    CustomerInboxes customers,
    AgentMailClient agentMail,
    InboxWebhookSubscription webhooks,
    StepsTaken stepsTaken,
    ProvisioningTelemetry telemetry,
    AccountRefusalLog refusals,
    IOptions<ProvisioningOptions> options,
    ILogger<EnsureCustomerInboxConsumer> logger) : IConsumer<EnsureCustomerInbox>
{
    /// <summary>The metadata key holding the customer's newest order reference.</summary>
    public const string OrderRefKey = "order_ref";

    /// <summary>The metadata key holding the customer's user id.</summary>
    public const string UserIdKey = "user_id";

    /// <inheritdoc />
    public async Task Consume(ConsumeContext<EnsureCustomerInbox> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var order = context.Message;
        await stepsTaken.RecordAsync(order.OrderId, ProvisioningStates.CreatingInbox, context.CancellationToken);
        await StepDeferral.RunAsync(context, logger, telemetry, refusals, ProvisioningSteps.Inbox, "inbox create", order.OrderId, order.Run, order.OrderRef, () => EnsureAndAnswerAsync(context, order));
    }

    // The answer is published once the customer's lease is given back, as the other steps' are: a broker slow to
    // confirm it (or blocking publishers) would hold the lease, renewed, and every other step of the customer with it.
    private async Task EnsureAndAnswerAsync(ConsumeContext context, EnsureCustomerInbox order)
    {
        var answer = await EnsureUnderLeaseAsync(order, context.CancellationToken);
        await context.Publish(answer, answer.GetType(), context.CancellationToken);
    }

    // What the step writes stays written if it fails later: recording the order is idempotent and only ever moves the
    // customer's newest order forward, and an inbox id saved is one that exists at AgentMail (its retry then stamps it
    // instead of replaying the create).
    private async Task<object> EnsureUnderLeaseAsync(EnsureCustomerInbox order, CancellationToken cancellationToken)
    {
        CustomerInboxEnsured ensured;
        await using (var customer = await customers.LeaseRecordingAsync(order, cancellationToken))
        {
            var row = customer.Row ?? throw new InvalidOperationException($"Order {order.OrderId} was not recorded with its customer's lease.");
            try
            {
                (ensured, row) = await EnsureAsync(customer, row, order, cancellationToken);
            }
            catch (Exception e) when (e is AgentMailException { IsAccountRefusal: false } or UsernamesExhaustedException)
            {
                // Definitive: the order stays recorded, the step fails with the reason. A refusal for the account is not
                // this order's, and goes on to the deferral.
                var reason = e is AgentMailException ? $"AgentMail refused the inbox: {e.Message}" : e.Message;
                return new ProvisioningStepFailed(order.OrderId, ProvisioningSteps.Inbox, reason, order.Run, ProvisioningFailureKinds.InboxRefused);
            }

            ensured = await WithWebhookAsync(customer, row, ensured, order.OrderRef, cancellationToken);

            // The stamp is only the newest if no other step of the customer had a turn since this one recorded the
            // order: a lease lost meanwhile (not renewed in time) may have let a newer stamp land before this older
            // one, so the release throws, the step is retried and stamps again from what is recorded now.
            await customer.ReleaseAsync(cancellationToken);
        }

        return ensured;
    }

    // The customer's inbox is the one AgentMail keeps under their client_id, asked for on every order, not the one
    // their row names: an inbox deleted outside the provisioner (AgentMail's console, its API) leaves the row naming an
    // address AgentMail may since have given to another customer, and stamping it would route that customer's mail to
    // this customer's order. The create (idempotent by client_id) answers the inbox stored under it, or creates the
    // customer a new one when it is gone; either is saved when it is not the row's. A repeat customer's order pays one
    // AgentMail call more for it than trusting the row did.
    // AgentMail does not say what a create answers once the inbox stored under its client_id was deleted; at worst it is
    // that inbox, and its stamp then answers 404. An inbox AgentMail then confirms gone is forgotten under a new
    // generation and the customer's inbox asked for once more, under the new generation's client_id, which nothing was
    // ever created under. Answers the row as it now is, for the webhook that follows.
    private async Task<(CustomerInboxEnsured Ensured, CustomerInbox Row)> EnsureAsync(CustomerLease customer, CustomerInbox row, EnsureCustomerInbox order, CancellationToken cancellationToken)
    {
        var retired = false;
        while (true)
        {
            var inbox = await CreateAsync(order, row, cancellationToken);
            try
            {
                return (await SaveAndStampAsync(customer, row, inbox, order, cancellationToken), row);
            }
            catch (AgentMailException e) when (e.StatusCode == StatusCodes.Status404NotFound && !retired)
            {
                if (await agentMail.GetInboxAsync(inbox.InboxId, cancellationToken) is not null)
                {
                    throw;
                }

                LogInboxReplayedGone(logger, inbox.InboxId, order.UserId, row.InboxGeneration);
                await customer.ForgetInboxAsync(cancellationToken);
                row = await customer.ReadAsync(cancellationToken) ?? throw new InvalidOperationException($"Customer {order.UserId}'s row is gone under their lease.");
                retired = true;
            }
        }
    }

    private async Task<CustomerInboxEnsured> SaveAndStampAsync(CustomerLease customer, CustomerInbox row, AgentMailInbox inbox, EnsureCustomerInbox order, CancellationToken cancellationToken)
    {
        var created = !string.Equals(inbox.InboxId, row.InboxId, StringComparison.OrdinalIgnoreCase);
        if (created)
        {
            await customer.SaveInboxAsync(inbox.InboxId, inbox.Email, cancellationToken);
        }

        // A replayed create returns the inbox as first stored (an older order's stamp), and an existing inbox
        // always needs the new stamp: PATCH merges, so only order_ref and user_id change. The same PATCH renames an
        // inbox an older build named after the customer (its sender name on every answer), so it is put right at the
        // customer's next order.
        var displayName = options.Value.InboxDisplayName;
        var renamed = string.Equals(inbox.DisplayName, displayName, StringComparison.Ordinal) ? null : displayName;
        if (StampOf(inbox) != row.NewestOrderRef || renamed is not null)
        {
            inbox = await agentMail.UpdateInboxAsync(
                inbox.InboxId,
                new Dictionary<string, string?> { [OrderRefKey] = row.NewestOrderRef, [UserIdKey] = order.UserId },
                renamed,
                cancellationToken);
        }

        // A PATCH answers the inbox as merged, so another order_ref is not AgentMail's answer as documented: like an
        // answer that cannot be read, the step is deferred and asked again (StepDeferral), not retried at once by the bus.
        var stamped = StampOf(inbox);
        if (stamped != row.NewestOrderRef)
        {
            throw new JsonException($"AgentMail answered the stamp of inbox {inbox.InboxId} with order_ref '{stamped}', not '{row.NewestOrderRef}'.");
        }

        return new CustomerInboxEnsured(order.OrderId, inbox.InboxId, inbox.Email, created, stamped, Run: order.Run);
    }

    // The webhook straight after the inbox, under the same lease: one step, one lease turn and one saga transition
    // per order instead of two, and two messages fewer. A webhook that exists but whose read-back differed or failed
    // rides on the answer unverified, for the reconcile step. One that could not be created (an outage, a refusal, an
    // answer that cannot be read) goes unmentioned, so the saga asks the webhook step, which owns that deferral or failure.
    // A refusal for the account is not left: the whole step is deferred (its retry replays the create by client_id), so
    // a step that finishes is one AgentMail took every call of, which ends the outage's log (AccountRefusalLog), and a
    // key short of the webhook's permission alone is logged once, not once per order.
    private async Task<CustomerInboxEnsured> WithWebhookAsync(CustomerLease customer, CustomerInbox row, CustomerInboxEnsured ensured, string orderRef, CancellationToken cancellationToken)
    {
        using var activity = telemetry.StartStep("webhook subscribe", ensured.OrderId, orderRef);
        string reason;
        try
        {
            switch (await webhooks.SubscribeAsync(customer, row, ensured.OrderId, ensured.Run, ensured.InboxId, cancellationToken))
            {
                case InboxWebhookVerified verified:
                    return ensured with { WebhookId = verified.WebhookId, WebhookCreated = verified.Created ?? false, WebhookVerified = true };
                case InboxWebhookSubscribed subscribed:
                    return ensured with { WebhookId = subscribed.WebhookId, WebhookCreated = subscribed.Created };
                case ProvisioningStepFailed failed:
                    reason = failed.Reason;
                    break;
                case var other:
                    throw new InvalidOperationException($"Unexpected webhook outcome {other.GetType().Name}.");
            }
        }
        catch (AgentMailUnavailableException e)
        {
            reason = $"AgentMail is unavailable: {e.Message}";
        }
        catch (JsonException e)
        {
            reason = $"AgentMail's answer could not be read: {e.Message}";
        }

        LogWebhookLeft(logger, ensured.InboxId, reason);
        return ensured;
    }

    private async Task<AgentMailInbox> CreateAsync(EnsureCustomerInbox order, CustomerInbox row, CancellationToken cancellationToken)
    {
        var limits = options.Value;
        var clientId = InboxNaming.InboxClientId(order.UserId, row.InboxGeneration);
        var metadata = new Dictionary<string, string> { [OrderRefKey] = row.NewestOrderRef, [UserIdKey] = order.UserId };
        var candidates = new Queue<string>(InboxNaming.Usernames(order.CustomerEmail, order.UserId));
        var tried = new List<string>();
        while (candidates.TryDequeue(out var username) && tried.Count < limits.MaxUsernameAttempts)
        {
            tried.Add(username);
            try
            {
                return await agentMail.CreateInboxAsync(
                    new CreateInbox(username, limits.InboxDisplayName, clientId, metadata),
                    cancellationToken);
            }
            catch (AgentMailException e) when (e.IsTaken)
            {
                LogUsernameTaken(logger, username, order.UserId);
                foreach (var suggestion in e.Suggestions.Where(s => InboxNaming.IsValidUsername(s) && !tried.Contains(s)))
                {
                    candidates.Enqueue(suggestion);
                }
            }
        }

        throw new UsernamesExhaustedException($"Every username tried for the customer's inbox was taken: {string.Join(", ", tried)}.");
    }

    private static string? StampOf(AgentMailInbox inbox) =>
        inbox.Metadata is { } metadata && metadata.TryGetValue(OrderRefKey, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    [LoggerMessage(Level = LogLevel.Information, Message = "The webhook of inbox {InboxId} is left to the webhook step: {Reason}")]
    private static partial void LogWebhookLeft(ILogger logger, string inboxId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "AgentMail answered the create of customer {UserId}'s inbox of generation {Generation} with inbox {InboxId}, which it no longer has; it is forgotten and a new one asked for under the next generation")]
    private static partial void LogInboxReplayedGone(ILogger logger, string inboxId, string userId, int generation);

    [LoggerMessage(Level = LogLevel.Information, Message = "Inbox username {Username} is taken; trying another for customer {UserId}")]
    private static partial void LogUsernameTaken(ILogger logger, string username, string userId);
}
