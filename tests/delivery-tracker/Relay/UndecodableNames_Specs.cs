using System.Diagnostics;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using OrdersMail.DeliveryTracker.Relay;
using OrdersMail.DeliveryTracker.Tests.Support;
using OrdersMail.Testing;
using OrdersMail.Testing.Logging;

namespace OrdersMail.DeliveryTracker.Tests.Relay;

/// <summary>
/// A file in <c>email/</c> whose name is not UTF-8 (an outside writer's Latin-1 <c>caf\xe9.json</c>), which .NET lists
/// as <c>caf\uFFFD.json</c>, a name that does not exist: told once at Error, naming it and saying to rename it, and left
/// alone. It was taken for one another relay had claimed, queued again at every scan for good, and never told.
/// </summary>
public sealed class UndecodableNames_Specs(RelayFixture fixture) : IClassFixture<RelayFixture>, IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly CapturedLogs _logs = new();

    /// <inheritdoc />
    public void Dispose()
    {
        // .NET cannot name the file to delete it, nor the fixture's folder with it inside.
        Shell("rm -f -- \"$1\"/caf*.json", fixture.Outbox.Pending).WaitForExit();
        _logs.Dispose();
    }

    [Fact]
    public async Task Should_tell_once_of_a_file_whose_name_is_not_utf8_and_go_on_sending_the_others()
    {
        var staged = Path.Combine(fixture.Outbox.Staging, $"{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(staged, RelayFixture.Email("Latin-1 name"));
        await MoveUnderLatin1NameAsync(staged, "caf\\351.json");
        using var relay = new RelayHost(fixture);
        using var host = relay.WithWebHostBuilder(b => b.ConfigureLogging(l => l.AddProvider(_logs)));
        _ = host.Server;

        await Eventually.Until(() => Task.FromResult(Told().Count), told => told > 0, Patience, "an Error naming the file");

        // Several scans later (every 0.5 s here), still the one line, and a well-formed file is sent as ever.
        var emailId = Guid.NewGuid();
        var name = $"20250101T000000000Z-{emailId:N}.json";
        fixture.Drop(name, RelayFixture.Email($"Beside it {emailId:N}", emailId));
        Assert.Equal("sent", await fixture.UntilSettledAsync(name, Patience));
        await Task.Delay(TimeSpan.FromSeconds(2));
        var told = Assert.Single(Told());
        Assert.Contains("caf?.json", told, StringComparison.Ordinal);
        Assert.Contains("Rename it", told, StringComparison.Ordinal);
        Assert.Equal(["caf\uFFFD.json"], Directory.EnumerateFiles(fixture.Outbox.Pending).Select(Path.GetFileName));
    }

    private List<string> Told() => [.. _logs.Lines.Where(l => l.StartsWith("Error: ", StringComparison.Ordinal) && l.Contains("not UTF-8", StringComparison.Ordinal))];

    // .NET writes every name as UTF-8: the shell's printf makes the Latin-1 byte (\351, é), and mv renames the file to it.
    private async Task MoveUnderLatin1NameAsync(string staged, string escapedName)
    {
        using var mv = Shell("mv -- \"$1\" \"$2/$(printf \"$3\")\"", staged, fixture.Outbox.Pending, escapedName);
        await mv.WaitForExitAsync();
        Assert.Equal(0, mv.ExitCode);
    }

    private static Process Shell(string script, params string[] arguments)
    {
        var start = new ProcessStartInfo("/bin/sh") { ArgumentList = { "-c", script, "sh" } };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(start)!;
    }
}
