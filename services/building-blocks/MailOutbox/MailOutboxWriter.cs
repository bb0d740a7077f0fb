using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace OrdersMail.BuildingBlocks.MailOutbox;

/// <summary>
/// Writes an email into the mail outbox the way every well-behaved writer must: the whole file in the staging
/// folder first, then one rename into <c>email/</c>, so the relay never sees half a file. The name starts with
/// the UTC time, so files sort by age, and ends with the email's id.
/// </summary>
public sealed class MailOutboxWriter(IOptions<MailOutboxOptions> options, TimeProvider time)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    private readonly MailOutboxFolders _folders = new(options.Value.Directory);

    /// <summary>Writes <paramref name="email"/> (which must carry its id) and returns the file's name.</summary>
    public async Task<string> WriteAsync(OutboxEmail email, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(email);
        var id = email.EmailId ?? throw new ArgumentException("An email written by OrdersMail carries its id.", nameof(email));
        _folders.EnsureExist();

        var name = string.Create(CultureInfo.InvariantCulture, $"{time.GetUtcNow():yyyyMMdd'T'HHmmssfff'Z'}-{id:N}.json");
        var staged = Path.Combine(_folders.Staging, name);
        await using (var file = new FileStream(staged, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous))
        {
            await JsonSerializer.SerializeAsync(file, email, Json, cancellationToken);
            await file.FlushAsync(cancellationToken);
            file.Flush(flushToDisk: true);
        }

        File.Move(staged, Path.Combine(_folders.Pending, name));
        return name;
    }
}
