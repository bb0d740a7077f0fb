using OrdersMail.BuildingBlocks.MailOutbox;

namespace OrdersMail.DeliveryTracker.Relay;

/// <summary>What an outbox file turned out to hold: a sendable email, a problem, or (not JSON yet) possibly a file still being written.</summary>
public abstract record ParsedFile
{
    /// <summary>A sendable email and its id.</summary>
    public sealed record Valid(Guid EmailId, OutboxEmail Email) : ParsedFile;

    /// <summary>A file that breaks the format.</summary>
    public sealed record Invalid(FileProblem Problem, Guid? EmailId, Guid? OrderId) : ParsedFile;

    /// <summary>Not JSON: invalid unless the file may still be being written (the caller knows its age).</summary>
    public sealed record NotJson(FileProblem Problem) : ParsedFile;
}
