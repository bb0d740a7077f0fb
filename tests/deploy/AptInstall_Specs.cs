using System.Diagnostics;
using OrdersMail.Testing.Infrastructure;

namespace OrdersMail.Deploy.Tests;

/// <summary>
/// lib.sh's apt_install runs apt-get update and install under one lock for the whole machine, waited for at most
/// ORDERSMAIL_APT_LOCK_TIMEOUT. apt-get's DPkg::Lock::Timeout does not cover the package lists' lock: on a fresh machine
/// the test hosts of a plain dotnet test started infra.sh at once, ran apt-get update together, and all but one failed.
/// apt-get here is a function that records when it runs, and the lock a file of the spec's own; nothing is installed.
/// </summary>
public sealed class AptInstall_Specs : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("ordersmail-apt-").FullName;

    private string Log => Path.Combine(_directory, "apt-get.log");

    private string Lock => Path.Combine(_directory, "apt.lock");

    [Fact]
    public async Task Two_scripts_installing_at_once_Should_run_apt_get_one_after_the_other()
    {
        var first = InstallAsync("first");
        var second = InstallAsync("second");
        var results = await Task.WhenAll(first, second);

        Assert.All(results, result => Assert.True(result.ExitCode == 0, result.Errors));
        var callers = File.ReadAllLines(Log).Select(line => line.Split(' ')[0]).ToArray();
        Assert.Equal(8, callers.Length);
        Assert.True(callers.Take(4).Distinct().Count() == 1 && callers.Skip(4).Distinct().Count() == 1, $"apt-get ran interleaved: {string.Join(", ", File.ReadAllLines(Log))}");
    }

    [Fact]
    public async Task When_another_install_holds_the_lock_Should_fail_after_the_lock_timeout_saying_so()
    {
        using var holder = await FileLockHolder.HoldAsync(Lock);

        var (exitCode, errors) = await InstallAsync("waiting", lockTimeout: "1");

        Assert.True(exitCode == 1, $"apt_install exited {exitCode}: {errors}");
        Assert.Contains($"could not get the lock {Lock} within 1s to install: curl", errors, StringComparison.Ordinal);
        Assert.False(File.Exists(Log), "apt-get ran while another install held the lock");
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    // apt_install curl as root would, apt-get a function that logs each call's start and end a second apart.
    private async Task<(int ExitCode, string Errors)> InstallAsync(string caller, string lockTimeout = "60")
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardError = true, WorkingDirectory = RepositoryRoot.Path };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("""
            log="$1"
            source deploy/local/lib.sh
            is_root() { true; }
            apt-get() { echo "$0 starts $*" >>"$log"; sleep 1; echo "$0 ends" >>"$log"; }
            apt_install curl
            """);
        start.ArgumentList.Add(caller);
        start.ArgumentList.Add(Log);
        start.Environment["ORDERSMAIL_APT_LOCK"] = Lock;
        start.Environment["ORDERSMAIL_APT_LOCK_TIMEOUT"] = lockTimeout;
        using var bash = Process.Start(start)!;
        var errors = await bash.StandardError.ReadToEndAsync();
        await bash.WaitForExitAsync();
        return (bash.ExitCode, errors);
    }
}
