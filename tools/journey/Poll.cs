namespace OrdersMail.Journey;

/// <summary>Asks again until an answer is what a step waits for, within the step's timeout.</summary>
internal static class Poll
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    /// <summary>The first answer <paramref name="done"/> accepts, or null when the time is up.</summary>
    public static async Task<T?> UntilAsync<T>(Func<CancellationToken, Task<T?>> ask, Func<T, bool> done, TimeSpan timeout, CancellationToken cancellation)
        where T : class
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        deadline.CancelAfter(timeout);
        try
        {
            while (true)
            {
                var answer = await ask(deadline.Token);
                if (answer is not null && done(answer))
                {
                    return answer;
                }

                await Task.Delay(Interval, deadline.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
        {
            return null;
        }
    }
}
