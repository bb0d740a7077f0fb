using System.Globalization;
using System.Text;
using OrdersMail.OrdersApi.Orders;

namespace OrdersMail.OrdersApi.Agent;

/// <summary>
/// The reply written from templates, needing no model: for the verified sender, an answer to their intent built from the
/// order's real data; for anyone else, a polite answer that names nothing of the order. Requests the agent cannot carry
/// out are said to be passed on, never done, and a person is said to read a message only when it was handed to one.
/// </summary>
public sealed class RuleBasedReplyComposer : IReplyComposer
{
    /// <summary>The composer's name in <c>agent_replies</c>.</summary>
    public const string Name = "rules";

    /// <inheritdoc />
    public Task<ComposedReply> ComposeAsync(ReplyRequest request, CancellationToken cancellationToken) => Task.FromResult(Compose(request));

    /// <summary>The reply to <paramref name="request"/>.</summary>
    public static ComposedReply Compose(ReplyRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new ComposedReply(request.Facts is { } facts ? ForCustomer(request.Intent, request.HandedOff, facts) : ForStranger(), Name);
    }

    private static string ForStranger() =>
        """
        Hello,

        Thank you for your message. For your security we only discuss an order with the email address it was placed
        from, and this message came from another address, so I cannot share any details of the order here.

        If this is your order, please write to us again from the address you ordered with. A member of our team will
        also look at your message.

        Kind regards,
        OrdersMail customer service
        """;

    private static string ForCustomer(Intent intent, bool handedOff, OrderFacts facts)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"Hello {facts.CustomerName ?? "there"},\n\n");
        text.Append(CultureInfo.InvariantCulture, $"Thank you for your message about order {facts.OrderRef}.\n\n");
        text.Append(Answer(intent, handedOff, facts)).Append("\n\n");
        text.Append(OrderSummary(facts)).Append('\n');
        text.Append("What happens next: ").Append(NextSteps(intent, handedOff)).Append("\n\n");
        text.Append("Kind regards,\nOrdersMail customer service\n");
        return text.ToString();
    }

    private static string Answer(Intent intent, bool handedOff, OrderFacts facts) => intent switch
    {
        Intent.WhereIsMyOrder => $"Your order is {facts.Status}: we have it and are preparing it. {ConfirmationWording.Sentence(facts.ConfirmationState)}",
        Intent.Cancel =>
            "You asked us to cancel this order. I cannot cancel orders myself, so I have passed your request to our team; "
            + "nothing is cancelled until they confirm it to you by email.",
        Intent.ChangeAddress =>
            "You asked to change the delivery address. I cannot change addresses myself, so I have passed your request to "
            + "our team; the address stays as it is until they confirm the change to you by email.",
        Intent.ReturnOrRefund =>
            "You asked about a return or a refund. I cannot start returns or refunds myself, so I have passed your request "
            + "to our team, who will email you the next steps.",
        Intent.Problem =>
            "I am sorry something went wrong with your order. I cannot put it right myself, so I have passed your request "
            + "to our team, who will look into it and write to you.",
        _ when handedOff =>
            "I could not tell what your message asks, so I have passed it to our team, who will read it and write to you "
            + "in this thread. Here is where your order stands.",

        // Nobody was asked to read it: saying the team would read it was a promise no one kept.
        _ => "Your message is kept with your order. If you need something done, such as cancelling the order or "
            + "changing its delivery address, reply and say so, and I will pass it to our team. Here is where your order stands.",
    };

    // Only what the system does: no email is sent when an order ships, so none is promised.
    private static string NextSteps(Intent intent, bool handedOff) =>
        intent.NeedsAction() ? "a member of our team will handle your request and write to you in this thread."
        : handedOff ? "a member of our team will read your message and write to you in this thread."
        : "nothing is needed from you. You can reply to this email at any time.";

    private static string OrderSummary(OrderFacts facts)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"Order {facts.OrderRef} ({facts.Status})\n");
        foreach (var item in facts.Items)
        {
            text.Append(CultureInfo.InvariantCulture, $"  {item.Quantity} x {item.Name} at {MoneyText.Of(item.UnitPrice, facts.Currency)}\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"  Total: {MoneyText.Of(facts.Total, facts.Currency)}\n");
        text.Append(CultureInfo.InvariantCulture, $"  Confirmation email: {ConfirmationWording.Status(facts.ConfirmationState)}\n");
        if (facts.ReplyAddress is { } reply)
        {
            text.Append(CultureInfo.InvariantCulture, $"  Your order's reply address: {reply}\n");
        }

        return text.ToString();
    }
}
