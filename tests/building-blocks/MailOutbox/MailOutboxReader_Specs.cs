using Microsoft.Extensions.Options;
using OrdersMail.BuildingBlocks.MailOutbox;

namespace OrdersMail.BuildingBlocks.Tests.MailOutbox;

public sealed class MailOutboxReader_Specs : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"mail-outbox-{Guid.NewGuid():N}");

    [Fact]
    public async Task When_a_relay_holds_the_file_Should_find_it_in_that_relays_corner_among_others()
    {
        var name = await WriteAsync("Held by a relay.");
        var folders = new MailOutboxFolders(_root);
        Directory.CreateDirectory(Path.Combine(folders.Processing, "relay-a"));
        Directory.CreateDirectory(Path.Combine(folders.Processing, "relay-b"));
        File.Move(Path.Combine(folders.Pending, name), Path.Combine(folders.Processing, "relay-b", name));

        var email = await Reader().FindAsync(name, CancellationToken.None);

        Assert.Equal("Held by a relay.", email?.Body);
    }

    [Fact]
    public async Task When_the_file_never_left_staging_Should_find_nothing()
    {
        // A writer that died before its rename: no relay ever saw the file, so writing the email anew sends nothing twice.
        var name = await WriteAsync("Staged only.");
        var folders = new MailOutboxFolders(_root);
        File.Move(Path.Combine(folders.Pending, name), Path.Combine(folders.Staging, name));

        Assert.Null(await Reader().FindAsync(name, CancellationToken.None));
    }

    [Fact]
    public async Task When_the_outbox_has_no_folders_yet_Should_find_nothing()
    {
        Assert.Null(await Reader().FindAsync(MailOutboxWriter.FileName(DateTimeOffset.UtcNow, Guid.NewGuid()), CancellationToken.None));
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private Task<string> WriteAsync(string body) =>
        new MailOutboxWriter(Settings(), TimeProvider.System)
            .WriteAsync(new OutboxEmail { To = ["a@example.com"], Subject = "s", Body = body, EmailId = Guid.NewGuid() }, CancellationToken.None);

    private MailOutboxReader Reader() => new(Settings());

    private IOptions<MailOutboxOptions> Settings() => Options.Create(new MailOutboxOptions { Directory = _root });
}
