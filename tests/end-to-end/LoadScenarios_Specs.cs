using OrdersMail.EndToEnd.Tests.Support;
using OrdersMail.Load.Scenarios;

namespace OrdersMail.EndToEnd.Tests;

/// <summary>
/// CI's size of the load tool's scenarios (tests/load/Scenarios), invariants only, no timings: the small order storm
/// (every order one delivered confirmation, every customer one inbox and one webhook scoped to it alone), the inbound
/// storm on its inboxes (each email routed once and answered once, through duplicated and shuffled webhooks), the
/// attack (every hostile request refused as documented, no 5xx, nothing written, published or sent) and the hostile
/// provider (no mis-scoped webhook left, every order ready or cleanly failed, every confirmation sent once or failed), and
/// scale-out (the order storm's invariants again with a second replica of every service beside the first). On the system
/// deploy/local/up.sh runs for the environment's ports, started here when it does not run yet and then stopped again.
/// </summary>
[Collection(LocalSystemSpecs.Name)]
public sealed class LoadScenarios_Specs
{
    /// <summary>Every invariant of these scenarios holds.</summary>
    [Fact]
    public async Task Should_keep_the_storms_invariants_refuse_every_attack_and_settle_under_a_hostile_provider()
    {
        await LocalSystemRun.UseAsync(async (_, context) =>
        {
            var report = new ScenarioReport();
            var options = new ScenarioOptions(new HashSet<string> { OrderStorm.Name, InboundStorm.Name, Attack.Name, HostileProvider.Name, ScaleOut.Name }, OrderStormSettings.Small, JsonPath: "")
            {
                Inbound = InboundStormSettings.Small,
                Hostile = HostileProviderSettings.Small,
                ScaleOutSize = OrderStormSettings.Small,
            };

            await ScenarioCommand.RunAsync(context, options, report);

            Assert.Contains(report.Invariants, i => i.Scenario == OrderStorm.Name);
            Assert.Contains(report.Invariants, i => i.Scenario == Attack.Name);
            Assert.Contains(report.Invariants, i => i.Scenario == InboundStorm.Name);
            Assert.Contains(report.Invariants, i => i.Scenario == HostileProvider.Name);
            Assert.Contains(report.Invariants, i => i.Scenario == ScaleOut.Name);
            Assert.Equal(2, report.Invariants.Count(i => i.Scenario == DeadLetters.Name));
            // The work counts were read: every order writes to the database and publishes at least once.
            Assert.Contains(report.Figures, f => f.Scenario == OrderStorm.Name && f.Name == "broker publishes per order" && f.Value >= 1);
            Assert.Contains(report.Figures, f => f.Scenario == OrderStorm.Name && f.Name == "PostgreSQL WAL records per order" && f.Value >= 1);
            var broken = report.Invariants.Where(i => !i.Holds).Select(i => $"{i.Scenario}: {i.Name} ({i.Detail})").ToList();
            Assert.True(broken.Count == 0, string.Join(Environment.NewLine, broken));
        });
    }
}
