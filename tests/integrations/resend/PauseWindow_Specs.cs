using OrdersMail.Integrations.Resilience;
using OrdersMail.Testing;

namespace OrdersMail.Integrations.Resend.Tests;

/// <summary>
/// The pause state Resend's quota and the relay's account pause share: begun by the first refusal, joined by the
/// refusals of calls sent before it, ended by time, and its outage reported over once, at the first acceptance after it.
/// </summary>
public sealed class PauseWindow_Specs
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    [Fact]
    public void A_refusal_begins_a_pause_that_holds_for_its_length_and_a_refusal_during_it_joins_it()
    {
        var clock = new ManualClock();
        var window = new PauseWindow<string>(clock);

        var first = window.Refused("401 unknown_api_key", _ => Minute);
        clock.Advance(TimeSpan.FromSeconds(20));
        var second = window.Refused("403 forbidden", _ => Minute);

        Assert.True(first.Began);
        Assert.Null(first.Before);
        Assert.Equal(clock.GetUtcNow() - TimeSpan.FromSeconds(20) + Minute, first.Pause.Until);
        Assert.False(second.Began);
        Assert.Same(first.Pause, second.Pause);
        Assert.Same(first.Pause, window.Holding);

        clock.Advance(TimeSpan.FromSeconds(40));
        Assert.Null(window.Holding);
    }

    [Fact]
    public void An_acceptance_reports_the_ended_outage_once_and_nothing_while_a_pause_holds()
    {
        var clock = new ManualClock();
        var window = new PauseWindow<string>(clock);
        var pause = window.Refused("401", _ => Minute).Pause;

        Assert.Null(window.Accepted());
        clock.Advance(Minute);

        Assert.Same(pause, window.Accepted());
        Assert.Null(window.Accepted());
        Assert.True(window.Refused("401", _ => Minute).Began);
        Assert.Null(window.Refused("401", _ => Minute).Before);
    }

    [Fact]
    public void Pauses_that_follow_one_another_with_no_acceptance_between_them_are_one_outage()
    {
        var clock = new ManualClock();
        var window = new PauseWindow<string>(clock);
        var first = window.Refused("401", _ => Minute).Pause;
        clock.Advance(Minute);

        var next = window.Refused("403", now => now - first.Began);

        Assert.True(next.Began);
        Assert.Same(first, next.Before);
        Assert.Equal(first.Began, next.Pause.OutageBegan);
        Assert.Equal(clock.GetUtcNow(), next.Pause.Began);
        Assert.Equal(clock.GetUtcNow() + Minute, next.Pause.Until);
        Assert.Equal("403", next.Pause.Reason);
    }

    [Fact]
    public async Task Acceptances_racing_after_a_pause_report_its_end_once()
    {
        var clock = new ManualClock();
        var window = new PauseWindow<string>(clock);
        window.Refused("429 daily_quota_exceeded", _ => Minute);
        clock.Advance(Minute);

        using var start = new ManualResetEventSlim();
        var racers = Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            start.Wait(TimeSpan.FromSeconds(10));
            return window.Accepted();
        })).ToArray();
        start.Set();
        var reported = await Task.WhenAll(racers);

        Assert.Single(reported, r => r is not null);
    }
}
