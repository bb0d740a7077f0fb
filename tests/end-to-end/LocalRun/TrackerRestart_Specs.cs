using System.Diagnostics;
using System.Globalization;
using OrdersMail.EndToEnd.Tests.Support;
using OrdersMail.Load.Scenarios;

namespace OrdersMail.EndToEnd.Tests.LocalRun;

/// <summary>
/// deploy/local/up.sh starting delivery-tracker again (after a crash, or a stop to run a new build) reuses the Resend
/// endpoint the sandbox has for it: one registered per start left the earlier ones behind, each delivering every event
/// again under a secret the new tracker refuses, retried eight times. And up.sh starting the sandbox again (which keeps
/// its endpoints in memory) starts the running tracker again too, registered with the new sandbox.
/// </summary>
[Collection(LocalSystemSpecs.Name)]
public sealed class TrackerRestart_Specs
{
    private const string Tracker = "delivery-tracker";
    private const string Sandbox = "mail-sandbox";

    [Fact]
    public async Task When_up_sh_starts_the_tracker_again_Should_add_no_Resend_endpoint_and_use_the_one_it_has()
    {
        await LocalSystemRun.UseAsync(async (system, context) =>
        {
            var before = await EndpointsAsync(context, system);
            await StopAsync(system.ServicePid(Tracker) ?? throw new InvalidOperationException("delivery-tracker is not running"));

            Assert.True(await system.EnsureRunningAsync(context.Http, TimeSpan.FromMinutes(5)), "up.sh was not run to start the tracker again");

            // No endpoint added (a sandbox that ran an older up.sh may hold stale ones already: they are not this start's).
            var after = await EndpointsAsync(context, system);
            Assert.NotEmpty(after);
            Assert.Equal(before.Select(e => e.Secret), after.Select(e => e.Secret));
            Assert.Contains(TrackerSecret(system.ServicePid(Tracker)!.Value), after.Select(e => e.Secret));
        });
    }

    [Fact]
    public async Task When_up_sh_starts_the_sandbox_again_Should_start_the_tracker_again_with_an_endpoint_the_new_sandbox_has()
    {
        await LocalSystemRun.UseAsync(async (system, context) =>
        {
            var trackerBefore = system.ServicePid(Tracker) ?? throw new InvalidOperationException("delivery-tracker is not running");
            await StopAsync(system.ServicePid(Sandbox) ?? throw new InvalidOperationException("mail-sandbox is not running"));

            Assert.True(await system.EnsureRunningAsync(context.Http, TimeSpan.FromMinutes(5)), "up.sh was not run to start the sandbox again");

            // Without it the tracker kept running with a secret of the sandbox before, which the new one never signs with.
            var trackerAfter = system.ServicePid(Tracker) ?? throw new InvalidOperationException("delivery-tracker is not running");
            Assert.NotEqual(trackerBefore, trackerAfter);
            Assert.Contains(TrackerSecret(trackerAfter), (await EndpointsAsync(context, system)).Select(e => e.Secret));
        });
    }

    private static async Task<List<(string Url, string Secret)>> EndpointsAsync(ScenarioContext context, LocalSystem system)
    {
        var url = new Uri(system.DeliveryTracker, "webhooks/resend").ToString();
        return [.. (await context.Sandbox.ResendEndpointsAsync())
            .Select(e => (Url: e["url"]!.GetValue<string>(), Secret: e["signing_secret"]!.GetValue<string>()))
            .Where(e => e.Url == url)];
    }

    // The secret the running tracker was started with, as up.sh exported it.
    private static string? TrackerSecret(int pid) =>
        File.ReadAllText($"/proc/{pid}/environ").Split('\0')
            .FirstOrDefault(v => v.StartsWith("ORDERSMAIL_Resend__WebhookSecret=", StringComparison.Ordinal))?
            .Split('=', 2)[1];

    private static async Task StopAsync(int pid)
    {
        using var tracker = Process.GetProcessById(pid);
        using (var term = Process.Start("kill", ["-TERM", pid.ToString(CultureInfo.InvariantCulture)]))
        {
            await term.WaitForExitAsync();
        }

        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await tracker.WaitForExitAsync(cancel.Token);
    }
}
