namespace OrdersMail.InboxProvisioner.Customers;

/// <summary>
/// The customer's lease stayed another step's for longer than the wait allowed
/// (<see cref="ProvisioningOptions.LockTimeout"/>). A step defers on it (<see cref="Steps.StepDeferral"/>) instead of
/// letting the bus retry it: it is a <see cref="TimeoutException"/>, which the bus takes for a database outage and
/// retries for minutes in place, holding one of the step endpoint's few consumer slots while another customer's step
/// is slow at AgentMail. Callers outside the steps (the webhook watch, ops' teardown) treat it as the timeout it is.
/// </summary>
public sealed class CustomerLeaseBusyException(string message) : TimeoutException(message);
