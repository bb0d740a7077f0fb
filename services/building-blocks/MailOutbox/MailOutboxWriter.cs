using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace OrdersMail.BuildingBlocks.MailOutbox;

/// <summary>
/// Writes an email into the mail outbox the way every well-behaved writer must: the whole file in the staging
/// folder first, then one rename into <c>email/</c>, so the relay never sees half a file. The name starts with
/// the UTC time, so files sort by age, and ends with the email's id. The write returns only once the file and its
/// rename are on disk (<see cref="DirectoryFlush"/>): a caller that records the email written after it never records
/// one that a power cut leaves in staging, where no relay looks. A writer that fixed the name beforehand
/// (<see cref="FileName"/>) can write it again after a crash: the same name is replaced, never doubled. The file is
/// its owner's only (<see cref="OwnerOnly"/>), and stays so through every move.
/// </summary>
public sealed class MailOutboxWriter(IOptions<MailOutboxOptions> options, TimeProvider time)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    private readonly MailOutboxFolders _folders = new(options.Value.Directory);

    /// <summary>The name of the file of email <paramref name="emailId"/> written at <paramref name="at"/>.</summary>
    public static string FileName(DateTimeOffset at, Guid emailId) =>
        string.Create(CultureInfo.InvariantCulture, $"{at.UtcDateTime:yyyyMMdd'T'HHmmssfff'Z'}-{emailId:N}.json");

    /// <summary>Writes <paramref name="email"/> (which must carry its id) and returns the file's name.</summary>
    public Task<string> WriteAsync(OutboxEmail email, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(email);
        var id = email.EmailId ?? throw new ArgumentException("An email written by OrdersMail carries its id.", nameof(email));
        return WriteAsync(email, FileName(time.GetUtcNow(), id), cancellationToken);
    }

    /// <summary>
    /// Writes <paramref name="email"/> as <paramref name="name"/> (from <see cref="FileName"/>), replacing a staged or
    /// pending file of that name a crashed writer left; returns the name. The caller makes sure no two writers of one
    /// name run at once.
    /// </summary>
    public Task<string> WriteAsync(OutboxEmail email, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(email);
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (email.EmailId is null)
        {
            throw new ArgumentException("An email written by OrdersMail carries its id.", nameof(email));
        }

        return WriteStagedAsync(name, (file, token) => JsonSerializer.SerializeAsync(file, email, Json, token), cancellationToken);
    }

    /// <summary>
    /// Writes <paramref name="document"/>, an email as a JSON object that may hold fields <see cref="OutboxEmail"/> does
    /// not know (a copy of another writer's file), as email <paramref name="emailId"/>; returns the file's name.
    /// </summary>
    public Task<string> WriteAsync(JsonObject document, Guid emailId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        return WriteStagedAsync(FileName(time.GetUtcNow(), emailId), (file, token) => JsonSerializer.SerializeAsync(file, document, Json, token), cancellationToken);
    }

    // A failure of the folders themselves (a full, read-only or missing disk) is told apart from one of the email (a
    // serializer's): the first is no fault of the email, and passes when the outbox is back.
    private async Task<string> WriteStagedAsync(string name, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken)
    {
        try
        {
            return await WriteStagedFileAsync(name, write, cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new MailOutboxUnavailableException(_folders.Root, e);
        }
    }

    private async Task<string> WriteStagedFileAsync(string name, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken)
    {
        _folders.EnsureExist();
        var staged = Path.Combine(_folders.Staging, name);
        await using (var file = new FileStream(staged, OwnerOnly.Create(FileOptions.Asynchronous)))
        {
            await write(file, cancellationToken);
            await file.FlushAsync(cancellationToken);
            file.Flush(flushToDisk: true);
        }

        File.Move(staged, Path.Combine(_folders.Pending, name), overwrite: true);
        DirectoryFlush.Flush(_folders.Pending);
        return name;
    }
}
