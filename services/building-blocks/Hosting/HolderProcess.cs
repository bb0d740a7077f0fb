using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace OrdersMail.BuildingBlocks.Hosting;

/// <summary>
/// The process holding a lease (a relay's claim on outbox files, a provisioning step's turn at a customer), written
/// with the lease, so that a process on the same machine can tell at once that the holder is gone (killed, crashed)
/// instead of waiting out the lease: a service killed and started again takes up its work within moments, not a lease
/// length later. A process is its PID and the time it started (a PID taken again by a later process starts at another
/// time), within one boot of the machine and one PID namespace (a container has its own), run by one user
/// (<c>hidepid</c> hides other users' processes from <c>/proc</c>). A process this one cannot look up so (another
/// machine or container, another user, an older lease without these facts, a system without <c>/proc</c>) is never
/// judged gone: its lease alone decides.
/// </summary>
/// <param name="Host">The machine's name.</param>
/// <param name="BootId">The kernel's id of this boot (<c>/proc/sys/kernel/random/boot_id</c>).</param>
/// <param name="PidNamespace">The PID namespace (<c>/proc/self/ns/pid</c>'s target).</param>
/// <param name="User">The real user id the process runs as.</param>
/// <param name="Pid">The process id.</param>
/// <param name="StartTicks">When the process started, in clock ticks after boot (<c>/proc/&lt;pid&gt;/stat</c>, field 22).</param>
public sealed record HolderProcess(string Host, string? BootId, string? PidNamespace, string? User, int Pid, long? StartTicks)
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    /// <summary>This process.</summary>
    public static HolderProcess Current { get; } = Of(Environment.ProcessId);

    /// <summary>The process <paramref name="pid"/> of this machine, boot, PID namespace and user, as <c>/proc</c> shows it now.</summary>
    public static HolderProcess Of(int pid) =>
        new(Environment.MachineName, ReadOrNull("/proc/sys/kernel/random/boot_id"), PidNamespaceOrNull(), RealUserOrNull(), pid,
            TryReadStartTicks(pid, out var ticks) ? ticks : null);

    /// <summary>The process <paramref name="text"/> (<see cref="ToLease"/>'s) names, or null when it names none this version can read.</summary>
    public static HolderProcess? FromLease(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<HolderProcess>(text, Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>This process as a lease records it (JSON).</summary>
    public string ToLease() => JsonSerializer.Serialize(this, Json);

    /// <summary>
    /// True only when this process provably no longer runs: it is one <see cref="Current"/> can look up, and its PID is
    /// gone or now belongs to a process started at another time.
    /// </summary>
    public bool IsGone()
    {
        var here = Current;
        if (Host != here.Host || BootId is null || BootId != here.BootId || PidNamespace is null || PidNamespace != here.PidNamespace
            || User is null || User != here.User || StartTicks is null)
        {
            return false;
        }

        return !TryReadStartTicks(Pid, out var now) || (now is not null && now != StartTicks);
    }

    // Field 22 of /proc/<pid>/stat; the command name (field 2) is in parentheses and may hold spaces, so the fields are
    // counted after its closing one. False when there is no such process; null ticks where /proc cannot say.
    private static bool TryReadStartTicks(int pid, out long? ticks)
    {
        ticks = null;
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return !Directory.Exists("/proc/self");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return true;
        }

        var fields = stat[(stat.LastIndexOf(')') + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        ticks = fields.Length > 19 && long.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed : null;
        return true;
    }

    private static string? ReadOrNull(string path)
    {
        try
        {
            return File.ReadAllText(path).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string? PidNamespaceOrNull()
    {
        try
        {
            return new FileInfo("/proc/self/ns/pid").LinkTarget;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    // The first of the "Uid:" line's four ids (real, effective, saved, file system).
    private static string? RealUserOrNull() =>
        ReadOrNull("/proc/self/status")?.Split('\n').FirstOrDefault(l => l.StartsWith("Uid:", StringComparison.Ordinal))?
            .Split(['\t', ' '], StringSplitOptions.RemoveEmptyEntries).ElementAtOrDefault(1);
}
