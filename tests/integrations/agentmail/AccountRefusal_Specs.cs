namespace OrdersMail.Integrations.AgentMail.Tests;

/// <summary>
/// Which of AgentMail's refusals are the account's (callers wait for ops to put it right) and which the request's
/// (callers fail it), by status and code as docs/agentmail.md §6 lists them. AgentMail answers the organisation's limit
/// and its domain as "403 or 409": taken as the request's at 409, a provisioning step failed at once on every new
/// customer, and a reply was retried as in flight until it failed with a reason saying it may have gone out.
/// </summary>
public sealed class AccountRefusal_Specs
{
    [Theory]
    [InlineData(401, "unknown_api_key")]
    [InlineData(401, null)]
    [InlineData(403, "missing_permission")]
    [InlineData(403, "limit_exceeded")]
    [InlineData(409, "limit_exceeded")]
    [InlineData(403, "domain_not_verified")]
    [InlineData(409, "domain_not_verified")]
    public void Should_take_the_key_and_the_organisations_refusals_for_the_account(int status, string? code) =>
        Assert.True(new AgentMailException(status, null, code, "refused").IsAccountRefusal);

    [Theory]
    [InlineData(403, "message_rejected")]
    [InlineData(403, "resource_taken")]
    [InlineData(409, "conflict")]
    [InlineData(409, "already_exists")]
    [InlineData(409, null)]
    [InlineData(404, "limit_exceeded")]
    [InlineData(400, "validation_error")]
    public void Should_take_the_requests_own_refusals_for_the_request(int status, string? code) =>
        Assert.False(new AgentMailException(status, null, code, "refused").IsAccountRefusal);
}
