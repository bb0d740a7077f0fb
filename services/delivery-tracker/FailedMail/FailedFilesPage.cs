namespace OrdersMail.DeliveryTracker.FailedMail;

/// <summary>A page of <c>GET /outbox/failed</c>: files in <c>failed/</c>, newest first, and where the next page starts.</summary>
/// <param name="Files">The page's files.</param>
/// <param name="NextAfter">The <c>after</c> that asks for the next page (this page's last file); null on the last page.</param>
public sealed record FailedFilesPage(IReadOnlyList<FailedFileView> Files, string? NextAfter);
