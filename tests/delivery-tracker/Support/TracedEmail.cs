using System.Diagnostics;
using System.Text.Json.Nodes;

namespace OrdersMail.DeliveryTracker.Tests.Support;

/// <summary>
/// An order confirmation file written, as orders-api writes one, for an order and under a trace of its own: what a
/// relay spec finds the email's log lines and spans by.
/// </summary>
public sealed record TracedEmail(Guid EmailId, Guid OrderId, string OrderRef, ActivityTraceId TraceId, string Name)
{
    /// <summary>A new email of a new order, in a new trace; its file's name starts with <paramref name="run"/>'s timestamp.</summary>
    public static TracedEmail New(string run)
    {
        var emailId = Guid.NewGuid();
        return new TracedEmail(emailId, Guid.NewGuid(), $"OM-{emailId:N}"[..9].ToUpperInvariant(), ActivityTraceId.CreateRandom(), $"20250101T000000000Z-{run}-{emailId:N}.json");
    }

    /// <summary>Its file's content, with <paramref name="subject"/>; <paramref name="change"/> may alter any field.</summary>
    public string Json(string subject, Action<JsonObject>? change = null)
    {
        var email = JsonNode.Parse(RelayFixture.Email(subject, EmailId))!.AsObject();
        email["order_id"] = OrderId.ToString();
        email["order_ref"] = OrderRef;
        email["traceparent"] = $"00-{TraceId}-{ActivitySpanId.CreateRandom()}-01";
        change?.Invoke(email);
        return email.ToJsonString();
    }
}
