using System.ComponentModel.DataAnnotations;

namespace OrdersMail.OrdersApi.Agent;

/// <summary>
/// The bound on the agent's automatic answers (section <c>Agent:AnswerLimit</c>): at most <see cref="MaxAnswers"/>
/// messages from one sender on one order are answered within <see cref="Window"/>, and at most
/// <see cref="MaxStrangerAnswers"/> from senders other than the order's address, all of them together; past either a
/// message is recorded and labelled for review, unanswered. An auto-responder that answers every reply, with no header
/// saying so, is then answered a few times, not for ever, and so is an outsider writing to the order's inbox from ever
/// new addresses. A sender is its address with the local part's <c>+tag</c> left out (<c>x+1@gmail.com</c> is
/// <c>x@gmail.com</c>).
/// </summary>
public sealed class AnswerLimitOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Agent:AnswerLimit";

    /// <summary>How many messages from one sender on one order the agent answers within <see cref="Window"/>.</summary>
    [Range(1, 1000)]
    public int MaxAnswers { get; set; } = 5;

    /// <summary>
    /// How many messages from senders other than the order's address the agent answers on one order within
    /// <see cref="Window"/>, all such senders together. Each such answer is mail from our domain to an address no one
    /// verified (a model call too, when one is configured), so it is bounded per order whatever the addresses; 10 lets
    /// two people besides the customer (a partner, a colleague, the customer's other address) have every answer one
    /// sender gets (<see cref="MaxAnswers"/>, 5) before a person takes over.
    /// </summary>
    [Range(1, 1000)]
    public int MaxStrangerAnswers { get; set; } = 10;

    /// <summary>
    /// How far back the answers are counted; at most 30 days, the claims migration 0014 gave their senders to.
    /// </summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromHours(24);
}
