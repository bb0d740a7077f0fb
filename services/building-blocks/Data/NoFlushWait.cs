namespace OrdersMail.BuildingBlocks.Data;

/// <summary>
/// A statement to put first in a command whose commit need not wait for the WAL flush: what a crash could lose of it is
/// made good some other way (a claim that expires, a publish made again under its message id, a mark the sweeper bounds).
/// It lasts for the command's own implicit transaction; <c>set_config</c> says so without the WARNING that
/// <c>SET LOCAL</c> outside <c>BEGIN</c> writes to the server's log at every command (247,000 of them in ten hours of
/// the local run). Its answer is the command's first result, to be read and dropped, or ignored by an execute.
/// </summary>
public static class NoFlushWait
{
    /// <summary>The statement, ending in its semicolon.</summary>
    public const string Statement = "select set_config('synchronous_commit', 'off', true);";
}
