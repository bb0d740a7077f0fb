using System.Net;
using System.Text.Json;

namespace OrdersMail.Integrations.AgentMail.Tests;

/// <summary>The inbox calls against the sandbox's AgentMail, over real HTTP.</summary>
public sealed class InboxCalls_Specs : IAsyncLifetime
{
    private AgentMailHarness _agentMail = null!;

    public async Task InitializeAsync() => _agentMail = await AgentMailHarness.StartAsync();

    public async Task DisposeAsync() => await _agentMail.DisposeAsync();

    [Fact]
    public async Task Should_create_an_inbox_with_metadata_and_client_id_and_return_the_same_inbox_on_replay()
    {
        var create = AgentMailHarness.NewInbox(metadata: new Dictionary<string, string> { ["customer_id"] = "42", ["tier"] = "gold" });

        var created = await _agentMail.Client.CreateInboxAsync(create, default);
        var replayed = await _agentMail.Client.CreateInboxAsync(create with { DisplayName = "Something Else" }, default);

        Assert.Equal($"{create.Username}@agentmail.to", created.InboxId);
        Assert.Equal(created.InboxId, created.Email);
        Assert.Equal("Acme Orders", created.DisplayName);
        Assert.Equal(create.ClientId, created.ClientId);
        Assert.Equal("42", created.Metadata!["customer_id"].GetString());
        Assert.Equal("gold", created.Metadata["tier"].GetString());
        Assert.Equal(created.InboxId, replayed.InboxId);
        Assert.Equal("Acme Orders", replayed.DisplayName);
        Assert.Equal(created.CreatedAt, replayed.CreatedAt);
    }

    [Fact]
    public async Task Should_report_a_taken_username_as_IsTaken_with_free_suggestions_and_not_retry_it()
    {
        var first = AgentMailHarness.NewInbox();
        await _agentMail.Client.CreateInboxAsync(first, default);

        var taken = await Assert.ThrowsAsync<AgentMailException>(() =>
            _agentMail.Client.CreateInboxAsync(first with { ClientId = $"{first.ClientId}-other" }, default));

        Assert.True(taken.IsTaken);
        Assert.Equal(403, taken.StatusCode);
        Assert.Equal("resource_taken", taken.Code);
        Assert.Equal("IsTakenError", taken.Name);
        Assert.NotEmpty(taken.Suggestions);
        Assert.All(taken.Suggestions, s => Assert.StartsWith(first.Username!, s, StringComparison.Ordinal));
        Assert.Equal(2, _agentMail.Requests.To(HttpMethod.Post, "/v0/inboxes"));
    }

    [Fact]
    public async Task Should_merge_a_metadata_patch_into_the_inbox_metadata()
    {
        var inbox = await _agentMail.Client.CreateInboxAsync(
            AgentMailHarness.NewInbox(metadata: new Dictionary<string, string> { ["customer_id"] = "42", ["tier"] = "gold", ["note"] = "vip" }),
            default);

        var updated = await _agentMail.Client.UpdateInboxAsync(
            inbox.InboxId,
            new Dictionary<string, string?> { ["tier"] = "platinum", ["region"] = "eu", ["note"] = null },
            displayName: null,
            default);

        var metadata = updated.Metadata!.ToDictionary(p => p.Key, p => p.Value.GetString());
        Assert.Equal(new Dictionary<string, string?> { ["customer_id"] = "42", ["tier"] = "platinum", ["region"] = "eu" }, metadata);
        Assert.Equal(metadata, (await _agentMail.Client.GetInboxAsync(inbox.InboxId, default))!.Metadata!.ToDictionary(p => p.Key, p => p.Value.GetString()));
        Assert.Equal(inbox.DisplayName, updated.DisplayName);
    }

    /// <summary>The provisioner renames an inbox an older build named after its customer in the same PATCH that re-stamps it.</summary>
    [Fact]
    public async Task Should_set_the_display_name_and_merge_the_metadata_in_one_patch()
    {
        var inbox = await _agentMail.Client.CreateInboxAsync(
            AgentMailHarness.NewInbox(metadata: new Dictionary<string, string> { ["order_ref"] = "ORD-1" }) with { DisplayName = "Jane Buyer" },
            default);

        var updated = await _agentMail.Client.UpdateInboxAsync(inbox.InboxId, new Dictionary<string, string?> { ["order_ref"] = "ORD-2" }, "Acme Orders", default);

        Assert.Equal("Acme Orders", updated.DisplayName);
        Assert.Equal("ORD-2", updated.Metadata!["order_ref"].GetString());
        Assert.Equal("Acme Orders", (await _agentMail.Client.GetInboxAsync(inbox.InboxId, default))!.DisplayName);
    }

    [Fact]
    public async Task Should_read_an_inbox_by_its_address_percent_encoded_in_the_path()
    {
        var inbox = await _agentMail.Client.CreateInboxAsync(AgentMailHarness.NewInbox(), default);

        var read = await _agentMail.Client.GetInboxAsync(inbox.InboxId, default);

        Assert.Equal(inbox.InboxId, read?.InboxId);
        var sent = _agentMail.Requests.All[^1].Uri.AbsoluteUri;
        Assert.EndsWith($"/agentmail/v0/inboxes/{inbox.InboxId.Replace("@", "%40", StringComparison.Ordinal)}", sent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_answer_null_for_an_inbox_that_does_not_exist()
    {
        Assert.Null(await _agentMail.Client.GetInboxAsync("nobody@agentmail.to", default));
        Assert.Single(_agentMail.Requests.All);
    }

    [Fact]
    public async Task Should_delete_an_inbox_and_answer_false_once_it_is_gone()
    {
        var inbox = await _agentMail.Client.CreateInboxAsync(AgentMailHarness.NewInbox(), default);

        Assert.True(await _agentMail.Client.DeleteInboxAsync(inbox.InboxId, default));
        Assert.Null(await _agentMail.Client.GetInboxAsync(inbox.InboxId, default));
        Assert.False(await _agentMail.Client.DeleteInboxAsync(inbox.InboxId, default));
    }

    [Fact]
    public async Task Should_refuse_a_patch_of_a_missing_inbox_with_a_404_AgentMailException()
    {
        var missing = await Assert.ThrowsAsync<AgentMailException>(() =>
            _agentMail.Client.UpdateInboxAsync("nobody@agentmail.to", new Dictionary<string, string?> { ["a"] = "b" }, displayName: null, default));

        Assert.Equal((int)HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("not_found", missing.Code);
        Assert.False(missing.IsTaken);
    }

    /// <summary>
    /// An answer missing a member AgentMail always sends (an inbox without its address, a page without its list) is not
    /// AgentMail's answer: a JsonException naming the member, which every caller handles as such, not a half-read
    /// record whose null fails later where nothing expects it.
    /// </summary>
    [Theory]
    [InlineData(AgentMailOperations.GetInbox, "email")]
    [InlineData(AgentMailOperations.GetInbox, "created_at")]
    [InlineData(AgentMailOperations.ListInboxes, "inboxes")]
    public async Task Should_throw_a_JsonException_for_an_inbox_answer_missing_a_member_AgentMail_always_sends(string operation, string member)
    {
        var inbox = await _agentMail.Client.CreateInboxAsync(AgentMailHarness.NewInbox(), default);
        await _agentMail.AddFaultAsync(new { api = "agentmail", operation, omit_member = member, times = 1 });

        Func<Task> read = operation == AgentMailOperations.GetInbox
            ? () => _agentMail.Client.GetInboxAsync(inbox.InboxId, default)
            : () => _agentMail.Client.ListInboxesAsync(null, default);

        var unreadable = await Assert.ThrowsAsync<JsonException>(read);

        Assert.Contains(member, unreadable.Message, StringComparison.Ordinal);
    }
}
