namespace OrdersMail.InboxProvisioner.Operations;

/// <summary>A customer's provisioning sagas, newest first as <see cref="ProvisioningReader.ForCustomerAsync"/> reads them.</summary>
/// <param name="UserId">The customer.</param>
/// <param name="Sagas">One per order.</param>
public sealed record CustomerSagas(string UserId, IReadOnlyList<ProvisioningView> Sagas);
