using MassTransit;

namespace OrdersMail.BuildingBlocks.Tests.Sagas;

/// <summary>The saga the repository specs run: it counts, and each message it applies shows in the counters.</summary>
public sealed class TallyStateMachine : MassTransitStateMachine<TallyState>
{
    public TallyStateMachine(Options options)
    {
        ArgumentNullException.ThrowIfNull(options);
        InstanceState(s => s.CurrentState);
        Event(() => Opened, e =>
        {
            e.CorrelateById(c => c.Message.TallyId);
            if (options.InsertOnInitial)
            {
                e.InsertOnInitial = true;
                e.SetSagaFactory(c => new TallyState { CorrelationId = c.Message.TallyId });
            }
        });
        Event(() => Incremented, e => e.CorrelateById(c => c.Message.TallyId));
        Event(() => Closed, e => e.CorrelateById(c => c.Message.TallyId));
        Event(() => Broken, e => e.CorrelateById(c => c.Message.TallyId));

        Initially(
            When(Opened).Then(c => Open(c.Saga, c.Message)).TransitionTo(Counting),
            When(Broken).Then(c => Break(c.Saga)));

        During(
            Counting,
            When(Opened).Then(c => c.Saga.Opens++),
            When(Incremented).Then(c => Increment(c.Saga, c.Message)),
            When(Broken).Then(c => Break(c.Saga)),
            When(Closed).Finalize());

        SetCompletedWhenFinalized();
    }

    public State Counting { get; private set; } = null!;

    public Event<TallyOpened> Opened { get; private set; } = null!;

    public Event<TallyIncremented> Incremented { get; private set; } = null!;

    public Event<TallyClosed> Closed { get; private set; } = null!;

    public Event<TallyBroken> Broken { get; private set; } = null!;

    private static void Open(TallyState tally, TallyOpened opened)
    {
        tally.Title = opened.Title;
        tally.Note = opened.Note;
        tally.OpenedAt = opened.OpenedAt;
        tally.Opens = 1;
    }

    private static void Increment(TallyState tally, TallyIncremented incremented)
    {
        tally.Count++;
        tally.LastIncrementedAt = incremented.At;
        tally.Entries.Add(new TallyEntry(incremented.By, incremented.At));
    }

    private static void Break(TallyState tally)
    {
        tally.Count += 1000;
        throw new InvalidOperationException($"Tally {tally.CorrelationId} broke after changing its count.");
    }

    /// <summary>How a spec wants the saga to behave.</summary>
    /// <param name="InsertOnInitial">Whether an opening event inserts the instance before its behaviour runs (the repository's <c>Insert</c>, rather than <c>Add</c> then <c>Save</c>).</param>
    public sealed record Options(bool InsertOnInitial);
}
