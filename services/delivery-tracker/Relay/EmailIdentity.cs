using OrdersMail.BuildingBlocks.Ids;

namespace OrdersMail.DeliveryTracker.Relay;

/// <summary>
/// An email's identity: the file's <c>email_id</c> when it has one, else a name-based UUID (RFC 9562 version 5)
/// of its file name, so the same file always gets the same id, and with it the same <c>Idempotency-Key</c>.
/// </summary>
public static class EmailIdentity
{
    // The namespace of the name-based ids: fixed, so an id derived today is the id derived after any restart.
    private static readonly Guid FileNamespace = new("6f1c2a4e-5b7d-4e0a-9a51-3c8d2f4b7e10");

    // The namespace of the ids of emails sent again: fixed, so asking again for the same failed email names the same copy.
    private static readonly Guid SendAgainNamespace = new("0b8e3f52-7c41-4d9a-b6e3-5a2f9c7d1e48");

    /// <summary>The id of the email in <paramref name="fileName"/> with <paramref name="declared"/> as its <c>email_id</c>.</summary>
    public static Guid Of(string fileName, Guid? declared) => declared ?? FromName(fileName);

    /// <summary>The <c>Idempotency-Key</c> of the email's send (both providers take 1–256 of <c>A-Z a-z 0-9 - . _ ~</c>).</summary>
    public static string IdempotencyKey(Guid emailId) => $"ordersmail-email-{emailId:N}";

    /// <summary>
    /// The id of the copy of failed email <paramref name="emailId"/> that ops send again: always the same copy for
    /// the same email, so a second ask meets the first copy's row instead of sending twice.
    /// </summary>
    public static Guid SendAgainOf(Guid emailId) => NameBasedGuid.Create(SendAgainNamespace, emailId.ToString("N"));

    private static Guid FromName(string fileName) => NameBasedGuid.Create(FileNamespace, fileName);
}
