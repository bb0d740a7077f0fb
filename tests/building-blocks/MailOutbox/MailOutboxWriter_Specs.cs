using System.Runtime.Versioning;
using System.Text.Json;
using Microsoft.Extensions.Options;
using OrdersMail.BuildingBlocks.MailOutbox;
using OrdersMail.Testing;

namespace OrdersMail.BuildingBlocks.Tests.MailOutbox;

public sealed class MailOutboxWriter_Specs : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 21, 5, 7, 123, TimeSpan.Zero);
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"mail-outbox-{Guid.NewGuid():N}");

    [Fact]
    public async Task Should_write_the_seeds_fields_and_ours_in_snake_case_into_email_under_a_time_prefixed_name()
    {
        var id = Guid.NewGuid();
        var orderId = Guid.NewGuid();
        var name = await Writer().WriteAsync(
            new OutboxEmail
            {
                To = ["jane@example.com"],
                Subject = "Re: Where is my order?",
                Body = "On its way.",
                InReplyTo = "<m1@mail>",
                References = "<m0@mail> <m1@mail>",
                EmailId = id,
                OrderId = orderId,
                Kind = OutboxEmailKinds.AgentReply,
                InboxId = "jane@agentmail.to",
                ReplyToMessageId = "msg_1",
            },
            CancellationToken.None);

        Assert.Equal($"20261201T210507123Z-{id:N}.json", name);
        using var file = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(_root, "email", name)));
        var json = file.RootElement;
        Assert.Equal(JsonValueKind.Array, json.GetProperty("to").ValueKind);
        Assert.Equal("jane@example.com", json.GetProperty("to")[0].GetString());
        Assert.Equal("pending", json.GetProperty("status").GetString());
        Assert.Equal("<m1@mail>", json.GetProperty("in_reply_to").GetString());
        Assert.Equal("<m0@mail> <m1@mail>", json.GetProperty("references").GetString());
        Assert.Equal(JsonValueKind.Array, json.GetProperty("cc").ValueKind);
        Assert.Equal(id, json.GetProperty("email_id").GetGuid());
        Assert.Equal(orderId, json.GetProperty("order_id").GetGuid());
        Assert.Equal("agent_reply", json.GetProperty("kind").GetString());
        Assert.Equal("msg_1", json.GetProperty("reply_to_message_id").GetString());
    }

    [Fact]
    public async Task Should_leave_nothing_in_staging_once_the_file_is_in_email()
    {
        await Writer().WriteAsync(new OutboxEmail { To = ["a@example.com"], Subject = "s", Body = "b", EmailId = Guid.NewGuid() }, CancellationToken.None);

        Assert.Empty(Directory.GetFiles(Path.Combine(_root, ".staging")));
        Assert.Single(Directory.GetFiles(Path.Combine(_root, "email"), "*.json"));
    }

    /// <summary>
    /// An outbox file holds a customer's address and the whole email, kept for days (a failed one for good): under the
    /// usual umask (022) it was written 0644 in 0755 folders, readable by every account on the machine.
    /// </summary>
    [Fact]
    [UnsupportedOSPlatform("windows")]
    public async Task Should_write_the_file_and_create_its_folders_for_their_owner_only()
    {
        var name = await Writer().WriteAsync(new OutboxEmail { To = ["a@example.com"], Subject = "s", Body = "b", EmailId = Guid.NewGuid() }, CancellationToken.None);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_root, "email", name)));
        foreach (var folder in new[] { _root, Path.Combine(_root, "email"), Path.Combine(_root, ".staging"), Path.Combine(_root, "sent"), Path.Combine(_root, "failed") })
        {
            Assert.True(
                File.GetUnixFileMode(folder) == (UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute),
                $"{folder} is {File.GetUnixFileMode(folder)}, not its owner's only");
        }
    }

    [Fact]
    public async Task Should_refuse_an_email_without_its_id()
    {
        await Assert.ThrowsAsync<ArgumentException>(() =>
            Writer().WriteAsync(new OutboxEmail { To = ["a@example.com"], Subject = "s", Body = "b" }, CancellationToken.None));
        Assert.False(Directory.Exists(Path.Combine(_root, "email")) && Directory.GetFiles(Path.Combine(_root, "email")).Length > 0);
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private MailOutboxWriter Writer() => new(Options.Create(new MailOutboxOptions { Directory = _root }), new ManualClock(Now));
}
