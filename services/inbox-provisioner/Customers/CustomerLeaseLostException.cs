namespace OrdersMail.InboxProvisioner.Customers;

/// <summary>
/// A step's lease on its customer expired (it was not renewed in time) and may be another step's now: the write it
/// guarded was not made. Thrown so the message is retried, under a new lease, from what the database now holds.
/// </summary>
public sealed class CustomerLeaseLostException(string message) : Exception(message);
