using System.Diagnostics;
using System.Globalization;
using OrdersMail.Testing;
using OrdersMail.Testing.Infrastructure;

namespace OrdersMail.Deploy.Tests;

/// <summary>
/// deploy/local/down.sh stops the second replicas the load tool's scale-out scenario starts (run/&lt;service&gt;.replica.pid),
/// which a killed scenario leaves running detached; as for the services, only a process that is one of ours. It stopped
/// the five pids up.sh records alone, and the replicas competed with the next up.sh's services for queues and ports.
/// Run on a data directory of the spec's own, where no server runs.
/// </summary>
public sealed class DownScript_Specs : IDisposable
{
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(2);
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("ordersmail-down-").FullName;
    private readonly List<int> _started = [];

    [Fact]
    public async Task Should_stop_a_second_replica_a_killed_scale_out_run_left_and_forget_its_pid()
    {
        // Named as the programs are (dotnet, OrdersMail.*): the name is how the scripts tell their own pid from a recycled one.
        var program = Path.Combine(_dataDirectory, "OrdersMail.Replica");
        File.CreateSymbolicLink(program, "/bin/sleep");
        var replica = await StartDetachedAsync(program);
        var pidFile = WritePidFile("orders-api.replica", replica);

        await DownAsync();

        Assert.False(Alive(replica), $"down.sh left the second replica (pid {replica}) running");
        Assert.False(File.Exists(pidFile), "down.sh left the replica's pid file");
    }

    [Fact]
    public async Task Should_leave_alone_a_process_that_is_not_ours_under_a_replica_pid_file()
    {
        var stranger = await StartDetachedAsync("/bin/sleep");
        var pidFile = WritePidFile("inbound-router.replica", stranger);

        await DownAsync();

        Assert.True(Alive(stranger), $"down.sh stopped pid {stranger}, a process not started as one of the programs");
        Assert.False(File.Exists(pidFile), "down.sh left the stale replica pid file");
    }

    public void Dispose()
    {
        foreach (var pid in _started.Where(Alive))
        {
            using var process = Process.GetProcessById(pid);
            process.Kill();
        }

        Directory.Delete(_dataDirectory, recursive: true);
    }

    // Starts PROGRAM 600 as ServiceReplicas starts a replica (setsid nohup, no inherited stdio): not this process's child.
    private async Task<int> StartDetachedAsync(string program)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("setsid nohup \"$0\" 600 </dev/null >/dev/null 2>&1 & echo $!");
        start.ArgumentList.Add(program);
        using var bash = Process.Start(start)!;
        var pid = int.Parse((await bash.StandardOutput.ReadToEndAsync()).Trim(), CultureInfo.InvariantCulture);
        await bash.WaitForExitAsync();
        _started.Add(pid);
        // The kernel keeps 15 characters of a program's name.
        var name = Path.GetFileName(program)[..Math.Min(Path.GetFileName(program).Length, 15)];
        await Eventually.Until(() => Task.FromResult(Read($"/proc/{pid}/comm")?.Trim()), comm => comm == name, TimeSpan.FromSeconds(10), $"pid {pid} to run {program}");
        return pid;
    }

    private string WritePidFile(string name, int pid)
    {
        var file = Path.Combine(_dataDirectory, "run", $"{name}.pid");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllText(file, $"{pid}\n");
        return file;
    }

    // down.sh on this data directory, with ports no instance uses (it binds none), so nothing of another instance is named.
    private Task<string> DownAsync() => ScriptRunner.RunAsync("deploy/local/down.sh", [], new Dictionary<string, string>
    {
        ["ORDERSMAIL_DATA_DIR"] = _dataDirectory,
        ["ORDERSMAIL_Postgres__Port"] = "1",
        ["ORDERSMAIL_RabbitMq__Port"] = "2",
        ["ORDERSMAIL_RabbitMq__ManagementPort"] = "3",
        ["ORDERSMAIL_RabbitMq__DistPort"] = "4",
        ["ORDERSMAIL_TraceViewer__Port"] = "5",
    }, ScriptTimeout);

    // A zombie (killed, not yet reaped by whoever inherited it) is gone, as the scripts count it.
    private static bool Alive(int pid)
    {
        var stat = Stat(pid);
        return stat is not null && !stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z');
    }

    private static string? Stat(int pid) => Read($"/proc/{pid}/stat");

    private static string? Read(string file)
    {
        try
        {
            return File.ReadAllText(file);
        }
        catch (IOException)
        {
            return null;
        }
    }
}
