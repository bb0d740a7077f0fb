namespace OrdersMail.DeliveryTracker.FailedMail;

/// <summary>One file in <c>failed/</c>, as <c>GET /outbox/failed</c> lists it: its name and what its reason file says.</summary>
/// <param name="File">The failed file's name, as <c>POST /outbox/failed/{file}/send-again</c> takes it.</param>
/// <param name="FailedAt">When the relay gave up on it; null when its reason file is missing or unreadable.</param>
/// <param name="Field">The field at fault, <c>(file)</c> or <c>(provider)</c>.</param>
/// <param name="Rule">The rule it breaks.</param>
/// <param name="Reason">What was wrong with it, or the provider's answer.</param>
/// <param name="EmailId">The email it held, when known (not in reason files written before it was recorded).</param>
/// <param name="OrderId">The order it was about, when known.</param>
public sealed record FailedFileView(string File, DateTimeOffset? FailedAt, string? Field, string? Rule, string? Reason, Guid? EmailId, Guid? OrderId);
