using OrdersMail.OrdersApi.Agent;

namespace OrdersMail.OrdersApi.Tests.Agent;

/// <summary>The reply's email id, derived from its order and the customer's Message-ID.</summary>
public sealed class AgentReplyIds_Specs
{
    [Theory]
    // Ids replies already have (stored in rows and outbox files, sent as Idempotency-Keys): derived before
    // NameBasedGuid was shared, and checked against Python's uuid.uuid5 of "{order}\n{message id}".
    [InlineData("0b8f4f5e-3c2a-4d1e-9f00-1a2b3c4d5e6f", "<CAF=abc123@mail.gmail.com>", "879ea793-aee2-5f23-bfc0-55b8e0646643")]
    [InlineData("7c9e6679-7425-40de-944b-e07fc1f90ae7", "<réponse-ü@exämple.fr>", "447aac8b-171f-5d84-a382-a61d40a5e816")]
    [InlineData("7c9e6679-7425-40de-944b-e07fc1f90ae7", "", "68940bea-ac44-5e29-86da-cb3d3b02e984")]
    public void Should_keep_the_ids_replies_already_have(string order, string messageId, string id) =>
        Assert.Equal(new Guid(id), AgentReplyIds.For(new Guid(order), messageId));
}
