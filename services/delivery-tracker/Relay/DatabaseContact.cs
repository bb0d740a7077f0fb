using Npgsql;

namespace OrdersMail.DeliveryTracker.Relay;

/// <summary>
/// Whether the database answered while the relay handled one outbox file. Only such a file tells that the database is
/// back (<see cref="DatabaseOutage"/>): a probe whose file never reached it (claimed first by another relay, released
/// while a writer may still be writing it, unreadable) said nothing of the database, and ending an outage on it let every
/// worker meet the database still away, a new outage begun every probe.
/// </summary>
public sealed class DatabaseContact
{
    /// <summary>True once a question to the database returned, or failed with PostgreSQL's own error (its answer too).</summary>
    public bool Answered { get; private set; }

    /// <summary>Awaits <paramref name="question"/>, a call that asks the database, and notes its answer.</summary>
    public async Task<T> AskAsync<T>(Task<T> question)
    {
        ArgumentNullException.ThrowIfNull(question);
        try
        {
            var answer = await question;
            Answered = true;
            return answer;
        }
        catch (PostgresException)
        {
            Answered = true;
            throw;
        }
    }

    /// <summary>Awaits <paramref name="question"/>, a call that asks the database and returns nothing, and notes its answer.</summary>
    public Task AskAsync(Task question) => AskAsync(Answer(question));

    private static async Task<bool> Answer(Task question)
    {
        await question;
        return true;
    }
}
