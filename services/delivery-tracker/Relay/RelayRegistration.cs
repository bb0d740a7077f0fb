using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OrdersMail.BuildingBlocks.Hosting;
using OrdersMail.BuildingBlocks.Housekeeping;
using OrdersMail.BuildingBlocks.MailOutbox;
using OrdersMail.Integrations.AgentMail;
using OrdersMail.Integrations.Resend;

namespace OrdersMail.DeliveryTracker.Relay;

/// <summary>Registers the mail outbox relay.</summary>
public static class RelayRegistration
{
    /// <summary>The AgentMail client's settings (<c>ORDERSMAIL_DeliveryTracker__AgentMail__ApiKey</c>...).</summary>
    public const string AgentMailSection = "DeliveryTracker:AgentMail";

    /// <summary>
    /// The relay on <c>MailOutbox:Directory</c> with <see cref="RelayOptions"/>, its Resend client (section
    /// <c>Resend</c>), its AgentMail client (<see cref="AgentMailSection"/>) and its hosted service. Needs the building blocks' outbox (its events) registered too.
    /// </summary>
    public static IServiceCollection AddOutboxRelay(this IServiceCollection services)
    {
        services.AddMailOutboxOptions();
        services.AddOptions<RelayOptions>().BindConfiguration(RelayOptions.Section)
            .Validate(o => o.IsValid, $"{RelayOptions.Section}: counts and durations must be positive, BatchSize at most 100, RetryMaxDelay at least RetryBaseDelay, MessageIdDomain set.")
            .Validate(
                o => o.IdempotencyWindow <= RelayOptions.LongestIdempotencyWindow,
                $"{RelayOptions.Section}:IdempotencyWindow must be at most {RelayOptions.LongestIdempotencyWindow:c}: the providers forget a send's Idempotency-Key after 24 h, and a send again past that could deliver the email twice.")
            .Validate(
                o => o.OutagePatience < o.IdempotencyWindow,
                $"{RelayOptions.Section}:OutagePatience must be shorter than IdempotencyWindow: an email waiting out a provider's outage is sent again under its Idempotency-Key, which the provider must still remember.")
            .Validate(
                o => o.BatchWindow <= RelayOptions.LongestBatchWindow,
                $"{RelayOptions.Section}:BatchWindow must be at most {RelayOptions.LongestBatchWindow:c}: the first email of every batch waits it.")
            .Validate(
                o => o.ScanInterval <= RelayOptions.LongestScan && o.ClaimLease <= RelayOptions.LongestScan,
                $"{RelayOptions.Section}:ScanInterval and ClaimLease must be at most {RelayOptions.LongestScan:c}: a dead relay's files wait that long to be taken back.")
            .Validate(
                o => MailAddresses.IsSendable(o.From),
                $"{RelayOptions.Section}:From must be set to an address the providers take, bare or as Name <address> (a name with no line break or other control character; one holding a comma or another special is sent quoted), on a domain verified with Resend (every email would be refused without it).")
            .Validate(
                o => o.StopGrace <= RelayOptions.LongestStopGrace,
                $"{RelayOptions.Section}:StopGrace must be at most {RelayOptions.LongestStopGrace:c}: the host gives its services 30 s to stop, and the batcher and the journal stop after the relay.")
            .Validate(
                o => o.AccountPause >= RelayOptions.ShortestAccountPause && o.AccountPause <= RelayOptions.LongestAccountPause,
                $"{RelayOptions.Section}:AccountPause must be between {RelayOptions.ShortestAccountPause:c} and {RelayOptions.LongestAccountPause:c}: shorter, every worker asks the provider again at once; longer, a key put right leaves the mail waiting.")
            .Validate(
                o => ResendTag.IsWellFormed(o.SenderTag),
                $"{RelayOptions.Section}:SenderTag must be 1 to {ResendTag.MaxLength} ASCII letters, digits, _ or - (Resend refuses any other tag, so every email would be refused with it).")
            .ValidateOnStart();
        services.AddResendClient(DeliveryTrackerService.Info.Name);
        services.AddAgentMailClient(AgentMailSection, DeliveryTrackerService.Info.Name);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new FailedFolder(new MailOutboxFolders(sp.GetRequiredService<IOptions<MailOutboxOptions>>().Value.Directory)));
        services.AddSingleton(sp => new ClaimArea(
            new MailOutboxFolders(sp.GetRequiredService<IOptions<MailOutboxOptions>>().Value.Directory), HolderProcess.Current, sp.GetRequiredService<FailedFolder>()));
        services.AddSingleton<OutboundEmailStore>();
        services.AddSingleton<RelayMetrics>();
        services.AddSingleton<DatabaseOutage>();
        services.AddSingleton<RelayJournal>();
        services.AddSingleton<ResendChannel>();
        services.AddSingleton<AgentMailChannel>();
        services.AddSingleton<ResendBatchStore>();

        // A batch holds its members' bodies: once none is pending, it is history, deleted after the retention period.
        services.AddSingleton(new RetentionTarget(
            "resend_batches",
            "created_at < @before and not exists (select 1 from outbound_emails e where e.batch_id = resend_batches.batch_id and e.send_state = 'pending')"));
        services.AddSingleton<ResendBatcher>();
        services.AddSingleton<FileFailureCounts>();
        services.AddSingleton<OutboxFileProcessor>();

        // The journal first, then the batcher: hosts stop in reverse order, so the relay's workers finish before the
        // batcher stops, and the batcher before the journal.
        services.AddHostedService(sp => sp.GetRequiredService<RelayJournal>());
        services.AddHostedService(sp => sp.GetRequiredService<ResendBatcher>());
        services.AddHostedService<OutboxRelay>();
        return services;
    }
}
