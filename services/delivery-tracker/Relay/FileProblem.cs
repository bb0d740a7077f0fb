namespace OrdersMail.DeliveryTracker.Relay;

/// <summary>Why an outbox file cannot be sent, in words a person can act on: the field, the rule it breaks, and what was found.</summary>
/// <param name="Field">The field at fault (<c>to</c>, <c>cc[2]</c>...), or <c>(file)</c> for the file as a whole, or <c>(provider)</c>.</param>
/// <param name="Rule">The rule, e.g. <c>to must be an array of addresses</c>.</param>
/// <param name="Reason">What is wrong with this file, e.g. <c>to must be an array, not a string</c>.</param>
public sealed record FileProblem(string Field, string Rule, string Reason);
