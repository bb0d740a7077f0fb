using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace OrdersMail.BuildingBlocks.MailOutbox;

/// <summary>
/// Says once, as the host starts, which directory is its mail outbox: a writer and a relay given two different ones
/// (two hosts' settings apart) each work alone without a word, and no email is ever sent; the log of each shows it.
/// </summary>
public sealed partial class MailOutboxStartLog(IOptions<MailOutboxOptions> options, ILogger<MailOutboxStartLog> logger) : IHostedService
{
    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var root = new MailOutboxFolders(options.Value.Directory).Root;
        LogOutbox(logger, root, MailOutboxOptions.Section);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "The mail outbox is {Directory} ({Section}:Directory)")]
    private static partial void LogOutbox(ILogger logger, string directory, string section);
}
