using System.Text.Json;
using Microsoft.Extensions.Options;

namespace OrdersMail.BuildingBlocks.MailOutbox;

/// <summary>
/// Finds an email a writer wrote under a name it fixed beforehand (<see cref="MailOutboxWriter.FileName"/>), wherever the
/// relay has taken it since: pending, held by a relay, sent or failed. A writer that died between its file and its record
/// reads what it wrote, and perhaps what was sent, rather than writing the email again differently.
/// </summary>
public sealed class MailOutboxReader(IOptions<MailOutboxOptions> options)
{
    // A relay that gives a file back to email/ (a failed attempt, a dead relay's files taken back) moves it against the
    // order of the look; a second look finds it, short of a relay taking and giving it back again within the look.
    private const int Looks = 2;

    private readonly MailOutboxFolders _folders = new(options.Value.Directory);

    /// <summary>The email written as <paramref name="name"/>, or null when no folder holds it (never written, or staged only).</summary>
    /// <exception cref="JsonException">The file is not an email.</exception>
    public async Task<OutboxEmail?> FindAsync(string name, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        for (var look = 0; look < Looks; look++)
        {
            foreach (var path in Places(name))
            {
                if (await TryReadAsync(path, cancellationToken) is { } email)
                {
                    return email;
                }
            }
        }

        return null;
    }

    // In the order a file moves through the folders, so one moved on while this looks is found further along. A writer's
    // name is short enough to keep in failed/ (delivery-tracker shortens only names too long for the note beside it).
    private IEnumerable<string> Places(string name)
    {
        yield return Path.Combine(_folders.Pending, name);
        foreach (var corner in Corners())
        {
            yield return Path.Combine(corner, name);
        }

        yield return Path.Combine(_folders.Sent, name);
        yield return Path.Combine(_folders.Failed, name);
    }

    private string[] Corners()
    {
        try
        {
            return Directory.GetDirectories(_folders.Processing);
        }
        catch (DirectoryNotFoundException)
        {
            return [];
        }
    }

    // Opened, not checked for first: a relay may move the file between a check and the open. Once open, it reads whole
    // wherever the file moves.
    private static async Task<OutboxEmail?> TryReadAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 4096, FileOptions.Asynchronous);
            return await JsonSerializer.DeserializeAsync<OutboxEmail>(file, cancellationToken: cancellationToken);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }
}
