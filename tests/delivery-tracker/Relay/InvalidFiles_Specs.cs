using System.Text.Json.Nodes;
using OrdersMail.DeliveryTracker.Relay;
using OrdersMail.DeliveryTracker.Tests.Support;
using OrdersMail.Testing;

namespace OrdersMail.DeliveryTracker.Tests.Relay;

/// <summary>Each way a file can break the format sends it to <c>failed/</c> with a reason naming the field, and nothing is sent.</summary>
public sealed class InvalidFiles_Specs(RelayFixture fixture) : IClassFixture<RelayFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    /// <summary>The cases: what to change in a valid file, the field blamed and words the reason must hold.</summary>
    public static TheoryData<string, string, string, string> Cases() => new()
    {
        { "not-json", "{\"to\": [\"jane@example.com\"", "(file)", "not JSON" },
        { "to-string", Change("to", JsonValue.Create("jane@example.com")), "to", "to must be an array, not a string" },
        { "to-empty", Change("to", new JsonArray()), "to", "to is empty" },
        { "to-bad", Change("to", new JsonArray("jane@", "x")), "to[0]", "not an email address" },
        { "no-subject", Change("subject", null), "subject", "subject is missing" },
        { "no-body", Change("body", null), "body", "body is missing" },
        { "status-sent", Change("status", JsonValue.Create("sent")), "status", "status is \"sent\"" },
        { "cc-string", Change("cc", JsonValue.Create("a@example.com")), "cc", "cc must be an array, not a string" },
        { "bcc-object", Change("bcc", new JsonObject()), "bcc", "bcc must be an array, not an object" },
        { "too-many", Change("to", new JsonArray([.. Enumerable.Range(0, 51).Select(i => JsonValue.Create($"r{i}@example.com"))])), "to", "51 recipients" },
        { "body-too-big", Change("body", JsonValue.Create(new string('x', 2_000))), "body", "2000 bytes" },
        { "reply-without-inbox", Change("kind", JsonValue.Create("agent_reply")), "inbox_id", "inbox_id is missing" },
        { "sent-again-of-not-an-id", Change("sent_again_of", JsonValue.Create("yesterday's")), "sent_again_of", "sent_again_of is not a UUID" },
        { "email-id-without-dashes", Change("email_id", JsonValue.Create("6f1c2a4e5b7d4e0a9a513c8d2f4b7e10")), "email_id", "email_id is not a UUID" },
        { "order-id-in-braces", Change("order_id", JsonValue.Create("{6f1c2a4e-5b7d-4e0a-9a51-3c8d2f4b7e10}")), "order_id", "order_id is not a UUID" },
        { "subject-nul", Change("subject", JsonValue.Create("Your order\u0000")), "subject", "subject holds a NUL character" },
        { "kind-nul", Change("kind", JsonValue.Create("order_confirmation\u0000")), "kind", "kind holds a NUL character" },
        { "to-nul", Change("to", new JsonArray("jane\u0000@example.com")), "to[0]", "to[0] holds a NUL character" },
        { "order-ref-number", Change("order_ref", JsonValue.Create(42)), "order_ref", "order_ref must be a string, not a number" },
        { "to-name-line-break", Change("to", new JsonArray("Jane\r\nBcc: all@example.com <jane@example.com>")), "to[0]", "not an email address" },
    };

    /// <summary>The file goes to failed/ with its reason file, and Resend never sees it.</summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Should_fail_an_invalid_file_with_a_reason(string label, string json, string field, string reason)
    {
        using var host = new RelayHost(fixture, new Dictionary<string, string?> { ["DeliveryTracker:Relay:MaxBodyBytes"] = "1000" });
        _ = host.Server;
        var name = $"20250101T000000000Z-{label}-{Guid.NewGuid():N}.json";
        fixture.Drop(name, json);

        var why = await FailedNoteAsync(name, label);
        Assert.Equal(field, why["field"]!.GetValue<string>());
        Assert.Contains(reason, why["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(why["rule"]!.GetValue<string>()));
        Assert.Empty(await fixture.ResendEmailsAsync());
    }

    /// <summary>JSON whose fields cannot be read goes to failed/ with its reason too, instead of being given back and tried again for good.</summary>
    [Theory]
    [MemberData(nameof(UnreadableFiles.Cases), MemberType = typeof(UnreadableFiles))]
    public async Task Should_fail_a_file_whose_fields_cannot_be_read_with_a_reason(string label, byte[] content, string reason)
    {
        using var host = new RelayHost(fixture);
        _ = host.Server;
        var name = $"20250101T000000000Z-{label}-{Guid.NewGuid():N}.json";
        fixture.Drop(name, content);

        var why = await FailedNoteAsync(name, label);
        Assert.Equal("(file)", why["field"]!.GetValue<string>());
        Assert.Contains(reason, why["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(await fixture.ResendEmailsAsync());
    }

    /// <summary>
    /// A file longer than any the format allows (128 MiB against a body of at most 1,000 bytes) fails at once by its
    /// length, unread: read whole first, a file of any size cost the relay its size several times over in memory, and
    /// one that had the relay killed for it was taken again after each restart. The file is sparse, so writing it
    /// spends no memory; what the process allocated while the relay failed it must be far below its size.
    /// </summary>
    [Fact]
    public async Task Should_fail_a_file_too_large_to_be_an_email_by_its_length_without_reading_it()
    {
        const long Length = 128L * 1024 * 1024;
        using var host = new RelayHost(fixture, new Dictionary<string, string?> { ["DeliveryTracker:Relay:MaxBodyBytes"] = "1000" });
        _ = host.Server;
        var name = $"20250101T000000000Z-too-large-{Guid.NewGuid():N}.json";
        var staged = Path.Combine(fixture.Outbox.Staging, name);
        using (var file = File.Create(staged))
        {
            file.SetLength(Length);
        }

        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        File.Move(staged, Path.Combine(fixture.Outbox.Pending, name));
        var why = await FailedNoteAsync(name, "the too large file");
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;

        // Six bytes of JSON per byte of body at most (a \u00XX escape), and a mebibyte for every other field.
        Assert.Equal("(file)", why["field"]!.GetValue<string>());
        Assert.Contains("at most 1054576 bytes", why["rule"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains($"{Length} bytes", why["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.True(allocated < Length / 2, $"the process allocated {allocated} bytes while the relay failed a file of {Length}");
        Assert.Empty(await fixture.ResendEmailsAsync());
    }

    /// <summary>
    /// A name too long for its note beside it in failed/ (255 bytes, the most Linux takes, where the note adds 11): the
    /// file fails under a shorter name, its note keeping the name it came with, instead of being given back for good.
    /// </summary>
    [Fact]
    public async Task Should_fail_a_file_whose_name_leaves_no_room_for_its_note_under_a_shorter_name()
    {
        using var host = new RelayHost(fixture);
        _ = host.Server;
        var name = $"20250101T000000000Z-{Guid.NewGuid():N}-{new string('n', 197)}.json";
        Assert.Equal(255, name.Length);
        fixture.Drop(name, "{\"to\": [\"jane@example.com\"");

        var failed = Path.Combine(fixture.Outbox.Failed, FailureNote.FailedNameFor(name));
        var error = Path.Combine(fixture.Outbox.Failed, FailureNote.NameFor(FailureNote.FailedNameFor(name)));
        await Eventually.Until(() => Task.FromResult(File.Exists(failed) && File.Exists(error)), found => found, Patience, "the long-named file to reach failed/");
        var why = JsonNode.Parse(await File.ReadAllTextAsync(error))!.AsObject();
        Assert.Equal(name, why["file"]!.GetValue<string>());
        Assert.Contains("not JSON", why["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.StartsWith(name[..200], Path.GetFileName(failed), StringComparison.Ordinal);
        Assert.DoesNotContain(name, RelayFixture.Files(fixture.Outbox.Pending));
    }

    // The reason file beside name once name is in failed/.
    private async Task<JsonObject> FailedNoteAsync(string name, string what)
    {
        var error = Path.Combine(fixture.Outbox.Failed, $"{name}.error.json");
        await Eventually.Until(() => Task.FromResult(File.Exists(Path.Combine(fixture.Outbox.Failed, name)) && File.Exists(error)), failed => failed, Patience, $"{what} to reach failed/");
        return JsonNode.Parse(await File.ReadAllTextAsync(error))!.AsObject();
    }

    private static string Change(string field, JsonNode? value)
    {
        var file = JsonNode.Parse(RelayFixture.Email("Invalid"))!.AsObject();
        if (value is null)
        {
            file.Remove(field);
        }
        else
        {
            file[field] = value;
        }

        return file.ToJsonString();
    }
}
