using System.Diagnostics;
using System.Globalization;
using System.Net;
using OrdersMail.Load.Scenarios;

namespace OrdersMail.EndToEnd.Tests.LocalRun;

/// <summary>
/// deploy/local/up.sh failing part way (a service never ready, a port taken) or outlasting its time left the programs it
/// had started running: the spec or scenario that ran it was told nothing, so it stopped nothing. Played with an up.sh
/// of a repository of its own that starts a stand-in program (a <c>sleep</c>, recorded as orders-api's pid, outside
/// up.sh's process tree as a started service is once up.sh is gone), so nothing of the real system starts.
/// </summary>
public sealed class FailedStart_Specs : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("ordersmail-failed-start-");
    private readonly Process _runningBefore = Process.Start("sleep", "600");

    [Theory]
    [InlineData("exit 1")]
    [InlineData("sleep 600")]
    public async Task When_up_sh_fails_part_way_Should_stop_what_it_started_and_leave_what_ran_before(string upShEnds)
    {
        var data = Path.Combine(_root.FullName, ".data");
        var system = LocalSystem.At(_root.FullName, data);
        Directory.CreateDirectory(Path.Combine(data, "run"));
        await File.WriteAllTextAsync(system.ServicePidFile("mail-sandbox"), _runningBefore.Id.ToString(CultureInfo.InvariantCulture));
        Directory.CreateDirectory(Path.Combine(_root.FullName, "deploy", "local"));
        await File.WriteAllTextAsync(
            Path.Combine(_root.FullName, "deploy", "local", "up.sh"),
            $"""
            ( setsid sleep 600 </dev/null >/dev/null 2>&1 & echo $! >'{system.ServicePidFile("orders-api")}'; echo $! >'{StartedPidFile}' )
            {upShEnds}
            """);
        using var notReady = new HttpClient(new NotReady());

        var failure = await Assert.ThrowsAnyAsync<Exception>(() => system.EnsureRunningAsync(notReady, TimeSpan.FromSeconds(3)));

        Assert.True(Gone(StartedPid()), "the program up.sh started still runs");
        Assert.Null(system.ServicePid("orders-api"));
        Assert.Equal(_runningBefore.Id, system.ServicePid("mail-sandbox"));
        Assert.False(_runningBefore.HasExited);
        Assert.Contains("the programs it started are stopped again", failure.Message, StringComparison.OrdinalIgnoreCase);
    }

    public void Dispose()
    {
        // Without the stop under test, the stand-in up.sh started would outlive the spec.
        if (File.Exists(StartedPidFile) && !Gone(StartedPid()))
        {
            using var started = Process.GetProcessById(StartedPid());
            started.Kill();
        }

        _runningBefore.Kill();
        _runningBefore.Dispose();
        _root.Delete(recursive: true);
    }

    private string StartedPidFile => Path.Combine(_root.FullName, "started.pid");

    private int StartedPid() => int.Parse(File.ReadAllText(StartedPidFile).Trim(), CultureInfo.InvariantCulture);

    // Exited: no such process, or one exited that its new parent (the container's init) has not reaped yet.
    private static bool Gone(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/stat").Split(')')[^1].TrimStart().StartsWith('Z');
        }
        catch (IOException)
        {
            return true;
        }
    }

    // Every program answers /health/ready with 503: the system is to be started.
    private sealed class NotReady : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(HttpStatusCode.ServiceUnavailable));
    }
}
