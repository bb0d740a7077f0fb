using OrdersMail.InboxProvisioner.Customers;

namespace OrdersMail.InboxProvisioner.Tests.Customers;

/// <summary>Deterministic client_ids and readable, valid usernames.</summary>
public sealed class InboxNaming_Specs
{
    /// <summary>A Clerk user id is a valid client_id as it is.</summary>
    [Fact]
    public void Should_derive_the_inbox_client_id_from_the_user_id() =>
        Assert.Equal("inbox-user_2abcXYZ", InboxNaming.InboxClientId("user_2abcXYZ", 0));

    /// <summary>
    /// An inbox after deleted ones is asked for under a client_id of its generation, never a deleted one's nor another
    /// customer's; the first generation's is the one every inbox had before generations.
    /// </summary>
    [Fact]
    public void Should_give_each_inbox_generation_its_own_client_id()
    {
        Assert.Equal("inbox1-user_2abcXYZ", InboxNaming.InboxClientId("user_2abcXYZ", 1));
        Assert.Equal("inbox12-user_2abcXYZ", InboxNaming.InboxClientId("user_2abcXYZ", 12));
        Assert.NotEqual(InboxNaming.InboxClientId("1-x", 0), InboxNaming.InboxClientId("x", 1));
        Assert.NotEqual(InboxNaming.InboxClientId("2-x", 1), InboxNaming.InboxClientId("x", 12));
        Assert.StartsWith("inbox1-h-", InboxNaming.InboxClientId("jane@acme.example", 1), StringComparison.Ordinal);
        Assert.NotEqual(InboxNaming.WebhookClientId("user_1", 0, 0), InboxNaming.WebhookClientId("user_1", 1, 0));
        Assert.Equal("inbox-user_1-webhook-2", InboxNaming.WebhookClientId("user_1", 0, 2));
    }

    /// <summary>Characters a client_id may not carry (<c>@</c>) are hashed away, deterministically.</summary>
    [Fact]
    public void Should_hash_a_user_id_a_client_id_may_not_carry()
    {
        var id = InboxNaming.InboxClientId("jane@acme.example", 0);

        Assert.StartsWith("inbox-h-", id, StringComparison.Ordinal);
        Assert.DoesNotContain("@", id, StringComparison.Ordinal);
        Assert.Equal(id, InboxNaming.InboxClientId("jane@acme.example", 0));
        Assert.NotEqual(id, InboxNaming.InboxClientId("john@acme.example", 0));
    }

    /// <summary>Each webhook generation gets its own client_id.</summary>
    [Fact]
    public void Should_give_each_webhook_generation_its_own_client_id() =>
        Assert.NotEqual(InboxNaming.WebhookClientId("user_1", 0, 0), InboxNaming.WebhookClientId("user_1", 0, 1));

    /// <summary>Usernames come from the address, cleaned to AgentMail's rules, then with a per-customer suffix.</summary>
    [Theory]
    [InlineData("Jane.Buyer@acme.example", "jane.buyer")]
    [InlineData("jane+orders@acme.example", "jane-orders")]
    [InlineData("..jane..buyer__@x.example", "jane.buyer")]
    [InlineData("ünïcödé@x.example", "n-c-d")]
    [InlineData("+++@x.example", "customer")]
    public void Should_derive_a_readable_valid_username(string email, string expected)
    {
        var usernames = InboxNaming.Usernames(email, "user_1");

        Assert.Equal(expected, usernames[0]);
        Assert.StartsWith($"{expected}-", usernames[1], StringComparison.Ordinal);
        Assert.All(usernames, u => Assert.True(InboxNaming.IsValidUsername(u), $"'{u}' is not a valid username"));
    }

    /// <summary>A long local part is cut to leave room for the suffix within 64 characters.</summary>
    [Fact]
    public void Should_keep_usernames_within_64_characters()
    {
        var usernames = InboxNaming.Usernames(new string('a', 100) + "@x.example", "user_1");

        Assert.All(usernames, u => Assert.InRange(u.Length, 1, 64));
    }
}
