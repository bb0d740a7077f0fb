namespace OrdersMail.Testing;

/// <summary>Waits for something asynchronous to become true, bounded in time, and says what never happened.</summary>
public static class Eventually
{
    /// <summary>Polls <paramref name="condition"/> every <paramref name="interval"/> until it holds or <paramref name="timeout"/> passes.</summary>
    /// <exception cref="TimeoutException">It never held; the message says what was awaited and what was last seen.</exception>
    public static async Task<T> Until<T>(Func<Task<T>> probe, Func<T, bool> condition, TimeSpan timeout, string what, TimeSpan? interval = null)
    {
        ArgumentNullException.ThrowIfNull(probe);
        ArgumentNullException.ThrowIfNull(condition);
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var seen = await probe();
            if (condition(seen))
            {
                return seen;
            }

            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException($"Waited {timeout.TotalSeconds:0.#} s for {what}; last seen: {seen}");
            }

            await Task.Delay(interval ?? TimeSpan.FromMilliseconds(100));
        }
    }
}
