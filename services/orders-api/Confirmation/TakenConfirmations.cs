namespace OrdersMail.OrdersApi.Confirmation;

/// <summary>What one sweep took of the claims left unwritten: the confirmations to write again, and the claims given up.</summary>
/// <param name="Orders">The claims taken for one more attempt, ready to write.</param>
/// <param name="GivenUp">The claims whose attempts were spent, now given up.</param>
public sealed record TakenConfirmations(IReadOnlyList<ConfirmationOrder> Orders, IReadOnlyList<GivenUpConfirmation> GivenUp);

/// <summary>A claim given up after its last attempt: its confirmation is never written by the sweeper.</summary>
/// <param name="OrderId">The order.</param>
/// <param name="EmailId">The confirmation's email id.</param>
/// <param name="Attempts">The sweeper's attempts spent on it.</param>
public sealed record GivenUpConfirmation(Guid OrderId, Guid EmailId, int Attempts);
