using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace OrdersMail.Load;

/// <summary>
/// Writes outbox files the well-behaved way (staged, then renamed into <c>email/</c>) and remembers when each appeared:
/// just after its rename. Each file's subject is its name, so the sandbox's record of the email names its file.
/// </summary>
public sealed class OutboxFiles
{
    private static readonly string[] Recipients = ["jane@example.com"];
    private readonly string _pending;
    private readonly string _staging;
    private readonly string _sent;
    private readonly ConcurrentDictionary<string, DateTimeOffset> _written = new();

    /// <summary>The folders of the outbox at <paramref name="root"/>, created.</summary>
    public OutboxFiles(string root)
    {
        _pending = Path.Combine(root, "email");
        _staging = Path.Combine(root, ".staging");
        _sent = Path.Combine(root, "sent");
        foreach (var folder in new[] { _pending, _staging, _sent, Path.Combine(root, "failed") })
        {
            Directory.CreateDirectory(folder);
        }
    }

    /// <summary>How many files <c>sent/</c> holds.</summary>
    public int SentCount() => Directory.EnumerateFiles(_sent).Count();

    /// <summary>The files written since the last call, with when each appeared.</summary>
    public Dictionary<string, DateTimeOffset> TakeWritten()
    {
        var taken = new Dictionary<string, DateTimeOffset>(_written);
        _written.Clear();
        return taken;
    }

    /// <summary>Writes <paramref name="count"/> files as fast as they can be written.</summary>
    public Task WriteBurst(string phase, int count)
    {
        for (var i = 0; i < count; i++)
        {
            Write(phase, i);
        }

        return Task.CompletedTask;
    }

    /// <summary>Writes <paramref name="count"/> files at <paramref name="perSecond"/>: every 5 ms, those whose time has come.</summary>
    public async Task WritePaced(string phase, int count, int perSecond)
    {
        var clock = Stopwatch.StartNew();
        var next = 0;
        while (next < count)
        {
            var due = Math.Min(count, (int)(clock.Elapsed.TotalSeconds * perSecond) + 1);
            for (; next < due; next++)
            {
                Write(phase, next);
            }

            await Task.Delay(5);
        }
    }

    private void Write(string phase, int index)
    {
        var name = string.Create(CultureInfo.InvariantCulture, $"{DateTime.UtcNow:yyyyMMdd'T'HHmmssfff'Z'}-{phase}-{index:D5}-{Guid.NewGuid():N}.json");
        var staged = Path.Combine(_staging, name);
        File.WriteAllBytes(staged, JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["to"] = Recipients,
            ["subject"] = name,
            ["body"] = "Thank you for your order.",
            ["cc"] = Array.Empty<string>(),
            ["bcc"] = Array.Empty<string>(),
            ["status"] = "pending",
            ["kind"] = "order_confirmation",
        }));
        File.Move(staged, Path.Combine(_pending, name));
        _written[name] = DateTimeOffset.UtcNow;
    }
}
