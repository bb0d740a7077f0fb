using System.Diagnostics;
using OrdersMail.Testing.Infrastructure;

namespace OrdersMail.Deploy.Tests;

/// <summary>
/// deploy/local/build-cache.sh publishes each program into a directory of its own. The services share most of
/// their libraries, byte for byte, and the kernel shares a mapped file's pages between processes only when it is
/// the same file, so a program's copy of a library another program already has is made a hard link to it. Each
/// state of the sources is a build of its own, so only the builds used last are kept.
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

    // Runs one of build-cache.sh's functions as up.sh does: lib.sh first (messages, fail), this cache as the cache.
    private async Task<(int ExitCode, string Errors)> RunAsync(string function, string[] arguments, string? keep = null)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardError = true, WorkingDirectory = RepositoryRoot.Path };
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

        using var bash = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var errors = await bash.StandardError.ReadToEndAsync(timeout.Token);
        await bash.WaitForExitAsync(timeout.Token);
        return (bash.ExitCode, errors);
    }
}
