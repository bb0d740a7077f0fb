using OrdersMail.BuildingBlocks.Outbox;

namespace OrdersMail.BuildingBlocks.Tests.Outbox;

public sealed class OutboxBackoff_Specs
{
    private static readonly TimeSpan Min = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan Max = TimeSpan.FromSeconds(5);

    [Fact]
    public void Should_double_from_the_minimum_up_to_the_maximum_each_pause_jittered_within_its_upper_half()
    {
        var backoff = new OutboxBackoff(Min, Max);

        var pauses = Enumerable.Range(0, 12).Select(_ => backoff.Next().TotalMilliseconds).ToList();

        double[] ceilings = [200, 400, 800, 1600, 3200, 5000, 5000, 5000, 5000, 5000, 5000, 5000];
        Assert.All(pauses.Zip(ceilings), p => Assert.InRange(p.First, Math.Max(p.Second / 2, Min.TotalMilliseconds), p.Second));
    }

    [Fact]
    public void After_a_reset_Should_start_again_from_the_minimum()
    {
        var backoff = new OutboxBackoff(Min, Max);
        for (var i = 0; i < 10; i++)
        {
            backoff.Next();
        }

        backoff.Reset();

        Assert.InRange(backoff.Next(), Min, Min);
    }
}
