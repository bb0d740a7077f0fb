using System.Diagnostics;
using OrdersMail.Testing.Infrastructure;

namespace OrdersMail.Deploy.Tests;

/// <summary>
/// deploy/local/build-cache.sh publishes each program into a directory of its own. The services share most of
/// their libraries, byte for byte, and the kernel shares a mapped file's pages between processes only when it is
/// the same file, so a program's copy of a library another program already has is made a hard link to it. Each
/// state of the sources is a build of its own, so only the builds used last are kept. The wait for another up.sh's
/// publish is bounded.
/// </summary>
public sealed class BuildCache_Specs : IDisposable
{
    private readonly string _build = Directory.CreateTempSubdirectory("ordersmail-build-cache-").FullName;

    [Fact]
    public async Task Should_link_a_library_another_program_already_has_and_copy_nothing_else()
    {
        Write("orders-api/MassTransit.dll", "the same library");
        Write("orders-api/OrdersMail.OrdersApi.dll", "orders-api's own code");
        Write(".delivery-tracker.partial/MassTransit.dll", "the same library");
        Write(".delivery-tracker.partial/OrdersMail.DeliveryTracker.dll", "the same library");
        Write(".delivery-tracker.partial/Npgsql.dll", "a newer library");
        Write(".delivery-tracker.partial/appsettings.json", "orders-api's own code");

        await ShareIdenticalFilesAsync(".delivery-tracker.partial");

        Assert.True(SameFile("orders-api/MassTransit.dll", ".delivery-tracker.partial/MassTransit.dll"));
        Assert.Equal("the same library", Read(".delivery-tracker.partial/OrdersMail.DeliveryTracker.dll"));
        Assert.False(SameFile("orders-api/MassTransit.dll", ".delivery-tracker.partial/OrdersMail.DeliveryTracker.dll"));
        Assert.False(SameFile("orders-api/OrdersMail.OrdersApi.dll", ".delivery-tracker.partial/appsettings.json"));
        Assert.Equal("a newer library", Read(".delivery-tracker.partial/Npgsql.dll"));
    }

    [Fact]
    public async Task Should_not_link_to_a_publish_that_has_not_finished()
    {
        Write(".orders-api.partial/MassTransit.dll", "the same library");
        Write(".delivery-tracker.partial/MassTransit.dll", "the same library");

        await ShareIdenticalFilesAsync(".delivery-tracker.partial");

        Assert.False(SameFile(".orders-api.partial/MassTransit.dll", ".delivery-tracker.partial/MassTransit.dll"));
    }

    [Fact]
    public async Task Should_link_a_library_that_differs_from_one_program_to_the_program_that_has_it_byte_for_byte()
    {
        Write("inbound-router/Npgsql.dll", "an older library");
        Write("orders-api/Npgsql.dll", "a newer library");
        Write(".delivery-tracker.partial/Npgsql.dll", "a newer library");

        await ShareIdenticalFilesAsync(".delivery-tracker.partial");

        Assert.True(SameFile("orders-api/Npgsql.dll", ".delivery-tracker.partial/Npgsql.dll"));
        Assert.Equal("an older library", Read("inbound-router/Npgsql.dll"));
    }

    [Fact]
    public async Task Should_delete_all_but_the_builds_used_last_and_never_the_one_in_use()
    {
        for (var hours = 1; hours <= 5; hours++)
        {
            Entry($"build-{hours}h-ago", TimeSpan.FromHours(hours));
        }

        var (exitCode, errors) = await RunAsync("prune_build_cache", [Path.Combine(_build, "build-5h-ago")], keep: "2");

        Assert.True(exitCode == 0, errors);
        Assert.Equal(["build-1h-ago", "build-2h-ago", "build-5h-ago"], Entries());
    }

    [Fact]
    public async Task Should_refuse_a_number_of_builds_to_keep_that_is_not_one_and_delete_nothing()
    {
        for (var hours = 1; hours <= 3; hours++)
        {
            Entry($"build-{hours}h-ago", TimeSpan.FromHours(hours));
        }

        var (exitCode, errors) = await RunAsync("prune_build_cache", [Path.Combine(_build, "build-1h-ago")], keep: "ten");

        Assert.NotEqual(0, exitCode);
        Assert.Contains("ORDERSMAIL_BUILD_CACHE_KEEP is 'ten'", errors, StringComparison.Ordinal);
        Assert.Equal(3, Entries().Length);
    }

    /// <summary>
    /// Another up.sh stopped (^Z) or hung while it held the cache's lock: a publish waits ORDERSMAIL_BUILD_LOCK_TIMEOUT for it,
    /// as infra.sh waits for the infra lock, then fails saying so and how to find it. It waited for ever.
    /// </summary>
    [Fact]
    public async Task When_another_up_sh_holds_the_lock_Should_fail_after_the_lock_timeout_saying_so()
    {
        using var holder = await FileLockHolder.HoldAsync(Path.Combine(_build, ".lock"));
        var clock = Stopwatch.StartNew();

        var (exitCode, errors) = await RunAsync(
            "publish", ["orders-api", "services/orders-api", "OrdersMail.OrdersApi", Path.Combine(_build, "build")], lockTimeout: "1", within: TimeSpan.FromSeconds(10));

        Assert.True(exitCode == 1, $"publish exited {exitCode?.ToString() ?? "never"} after {clock.Elapsed.TotalSeconds:0.#} s: {errors}");
        Assert.Contains("could not get the build cache's lock", errors, StringComparison.Ordinal);
        Assert.Contains("Another up.sh seems stuck building; find it with 'fuser -v", errors, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_build, "build", "orders-api")), "publish built while another up.sh held the lock");
    }

    /// <summary>
    /// A checkout with no .git (a tarball or zip of the sources) gives no key: its programs are published into the data
    /// dir's build directory, and that was reused by every later up.sh, running the sources of its first publish whatever
    /// had changed since.
    /// </summary>
    [Fact]
    public async Task Without_a_git_checkout_Should_publish_again_the_sources_as_they_are_now()
    {
        var repository = Path.Combine(_build, "checkout");
        foreach (var script in Directory.EnumerateFiles(Path.Combine(RepositoryRoot.Path, "deploy", "local"), "*.sh"))
        {
            Write($"checkout/deploy/local/{Path.GetFileName(script)}", File.ReadAllText(script));
        }

        Write("checkout/tools/tiny/Tiny.csproj", "<Project />");
        Write("checkout/tools/tiny/Program.cs", "the first sources");
        Write("checkout/.data/logs/.keep", string.Empty);
        var environment = new Dictionary<string, string> { ["ORDERSMAIL_DATA_DIR"] = Path.Combine(repository, ".data") };
        // eval: dotnet is a function that "publishes" the program's source file as it is, and build_dir chooses where,
        // as up.sh's BUILD_DIR="$(build_dir)" does.
        string[] publishTiny =
        [
            """
            dotnet() { [[ "$1" == publish ]] && mkdir -p "$4" && cp "$(dirname "$2")/Program.cs" "$4/"; }
            publish tiny tools/tiny Tiny "$(build_dir)"
            """,
        ];

        var (firstExit, firstErrors) = await RunAsync("eval", publishTiny, repository: repository, environment: environment);
        Write("checkout/tools/tiny/Program.cs", "the changed sources");
        var (secondExit, secondErrors) = await RunAsync("eval", publishTiny, repository: repository, environment: environment);

        Assert.True(firstExit == 0, firstErrors);
        Assert.True(secondExit == 0, secondErrors);
        Assert.DoesNotContain("reusing", secondErrors, StringComparison.Ordinal);
        Assert.Contains("no key for the sources", secondErrors, StringComparison.Ordinal);
        Assert.Equal("the changed sources", Read("checkout/.data/build/tiny/Program.cs"));
    }

    public void Dispose() => Directory.Delete(_build, recursive: true);

    private void Write(string path, string text)
    {
        var full = Path.Combine(_build, path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text);
    }

    private string Read(string path) => File.ReadAllText(Path.Combine(_build, path));

    // Two names of one file: what is appended through one is read through the other.
    private bool SameFile(string path, string other)
    {
        var before = Read(other);
        File.AppendAllText(Path.Combine(_build, path), " and more");
        var same = Read(other) != before;
        File.WriteAllText(Path.Combine(_build, path), Read(path)[..^" and more".Length]);
        return same;
    }

    private async Task ShareIdenticalFilesAsync(string staging)
    {
        var (exitCode, errors) = await RunAsync("share_identical_files", [Path.Combine(_build, staging), _build]);
        Assert.True(exitCode == 0, $"share_identical_files exited {exitCode}: {errors}");
    }

    private void Entry(string key, TimeSpan age)
    {
        Write($"{key}/orders-api/OrdersMail.OrdersApi.dll", key);
        Directory.SetLastWriteTimeUtc(Path.Combine(_build, key), DateTime.UtcNow - age);
    }

    private string[] Entries() => [.. Directory.GetDirectories(_build).Select(Path.GetFileName).Order()!];

    // Runs one of build-cache.sh's functions as up.sh does: lib.sh first (messages, fail), this cache as the cache; the
    // scripts of this checkout unless of another repository; a run not ended within its time is killed, its exit code null.
    private async Task<(int? ExitCode, string Errors)> RunAsync(
        string function, string[] arguments, string? keep = null, string? lockTimeout = null, TimeSpan? within = null,
        string? repository = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardError = true, WorkingDirectory = repository ?? RepositoryRoot.Path };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("source deploy/local/lib.sh && source deploy/local/build-cache.sh && \"$0\" \"$@\"");
        start.ArgumentList.Add(function);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["ORDERSMAIL_BUILD_CACHE"] = _build;
        if (keep is not null)
        {
            start.Environment["ORDERSMAIL_BUILD_CACHE_KEEP"] = keep;
        }

        if (lockTimeout is not null)
        {
            start.Environment["ORDERSMAIL_BUILD_LOCK_TIMEOUT"] = lockTimeout;
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var bash = Process.Start(start)!;
        var errors = bash.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(within ?? TimeSpan.FromSeconds(30));
        try
        {
            await bash.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            // Killed before whatever it waited for comes: a publish let through later would build for minutes.
            bash.Kill(entireProcessTree: true);
            await bash.WaitForExitAsync();
            return (null, await errors);
        }

        return (bash.ExitCode, await errors);
    }
}
