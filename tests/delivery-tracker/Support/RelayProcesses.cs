using OrdersMail.BuildingBlocks.MailOutbox;
using OrdersMail.Testing;
using OrdersMail.Testing.Hosting;

namespace OrdersMail.DeliveryTracker.Tests.Support;

/// <summary>
/// delivery-tracker relays as real processes on a <see cref="RelayFixture"/>'s database, sandbox and an outbox
/// directory of one spec's own (so files and claim areas of another spec never mix in).
/// </summary>
public sealed class RelayProcesses(RelayFixture fixture) : IAsyncDisposable
{
    private readonly List<ServiceProcess> _started = [];

    /// <summary>The spec's outbox.</summary>
    public MailOutboxFolders Outbox { get; } = NewOutbox();

    /// <summary>Starts one more relay process, with <paramref name="extra"/> on top of the fixture's settings; waits until it is ready.</summary>
    public async Task<ServiceProcess> StartAsync(IReadOnlyDictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>(fixture.Settings) { ["MailOutbox:Directory"] = Outbox.Root };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var relay = await ServiceProcess.StartAsync("OrdersMail.DeliveryTracker.dll", "DeliveryTracker:Port", settings);
        _started.Add(relay);
        return relay;
    }

    /// <summary>Drops <paramref name="json"/> as <paramref name="name"/> into this outbox the well-behaved way: staged, then renamed.</summary>
    public void Drop(string name, string json)
    {
        var staged = Path.Combine(Outbox.Staging, name);
        File.WriteAllText(staged, json);
        File.Move(staged, Path.Combine(Outbox.Pending, name));
    }

    /// <summary>True once <paramref name="name"/> is in <c>sent/</c>.</summary>
    public bool IsSent(string name) => File.Exists(Path.Combine(Outbox.Sent, name));

    /// <summary>
    /// Waits until <paramref name="name"/> is in <c>sent/</c>; when it is not in <paramref name="patience"/>, fails saying
    /// where the outbox's unfinished files are and what each relay process wrote last, which a bare timeout does not: a
    /// spec of killed processes that fails once under a loaded machine must say which step stalled.
    /// </summary>
    public async Task UntilSentAsync(string name, TimeSpan patience, string what)
    {
        try
        {
            await Eventually.Until(() => Task.FromResult(IsSent(name)), sent => sent, patience, what);
        }
        catch (TimeoutException e)
        {
            var unfinished = string.Join(", ", Unfinished().Select(path => Path.GetRelativePath(Outbox.Root, path)));
            var outputs = _started.Select((relay, i) => $"--- relay {i + 1}, its last output:\n{relay.OutputTail}");
            throw new TimeoutException($"{e.Message}\nUnfinished: [{unfinished}]\n{string.Join('\n', outputs)}", e);
        }
    }

    /// <summary>Every <c>*.json</c> below the outbox's <c>email/</c> and <c>processing/</c> (none once all is done).</summary>
    public IReadOnlyList<string> Unfinished() =>
    [
        .. Directory.EnumerateFiles(Outbox.Pending, "*.json"),
        .. Directory.Exists(Path.Combine(Outbox.Root, "processing"))
            ? Directory.EnumerateFiles(Path.Combine(Outbox.Root, "processing"), "*.json", SearchOption.AllDirectories)
            : [],
    ];

    /// <summary>Kills every process still running and removes the outbox.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var relay in _started)
        {
            await relay.DisposeAsync();
        }

        Directory.Delete(Outbox.Root, recursive: true);
    }

    private static MailOutboxFolders NewOutbox()
    {
        var outbox = new MailOutboxFolders(Path.Combine(Path.GetTempPath(), $"ordersmail-relay-process-{Guid.NewGuid():N}"));
        outbox.EnsureExist();
        return outbox;
    }
}
