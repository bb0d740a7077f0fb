namespace OrdersMail.DeliveryTracker.Relay;

/// <summary>
/// Files in <c>email/</c> whose names are not UTF-8 (an outside writer's Latin-1 <c>caf\xe9.json</c>): .NET lists such a
/// name with U+FFFD for each byte it cannot read, a name that does not exist, so no relay can claim, read or move the
/// file. Queued, each was taken for one another relay had claimed, again at every scan, for good and without a word.
/// Each is told to ops once, at Error, naming it and what to do (rename it), and left alone until it is renamed. Only
/// the scan loop uses it, one scan at a time.
/// </summary>
public sealed partial class UndecodableNames(ILogger logger)
{
    private const char Undecodable = '\uFFFD';

    private readonly HashSet<string> _told = new(StringComparer.Ordinal);

    /// <summary>How many such names the last scan found (two names that differ only in their unreadable bytes count once).</summary>
    public int Count => _told.Count;

    /// <summary>
    /// Whether the file at <paramref name="path"/>, as .NET listed it, is one whose name is not UTF-8. A name holding
    /// U+FFFD written as UTF-8 is a name like any other: that file exists.
    /// </summary>
    public static bool Is(string path) => Path.GetFileName(path.AsSpan()).Contains(Undecodable) && !File.Exists(path);

    /// <summary>Takes in the names of <paramref name="folder"/> a scan found not UTF-8, telling each new one once.</summary>
    public void Scanned(IReadOnlyCollection<string> names, string folder)
    {
        ArgumentNullException.ThrowIfNull(names);
        foreach (var name in names)
        {
            if (_told.Add(name))
            {
                LogUndecodable(logger, name.Replace(Undecodable, '?'), folder);
            }
        }

        _told.IntersectWith(names);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox file {FileName} in {Folder} has a name that is not UTF-8 (each ? stands for bytes that are not): no relay can open it, so it is never sent. Rename it to a UTF-8 name ending in .json (ls -b shows its bytes); it is left alone until then, and told once")]
    private static partial void LogUndecodable(ILogger logger, string fileName, string folder);
}
