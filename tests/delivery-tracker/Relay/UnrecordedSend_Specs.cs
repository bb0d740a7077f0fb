using OrdersMail.DeliveryTracker.Tests.Support;
using OrdersMail.Testing;

namespace OrdersMail.DeliveryTracker.Tests.Relay;

/// <summary>
/// The database refusing an email's rows for a while (an outage, as the chaos scenario makes one): whatever the relay
/// sent meanwhile is never sent again under another key once the database is back.
/// </summary>
public sealed class UnrecordedSend_Specs(RelayFixture fixture) : IClassFixture<RelayFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    /// <summary>
    /// A lone email while the rate leaves room goes on its own; its row is refused. The next relay, whose rate leaves no
    /// token spare, batches every new email: had the first relay sent it with no row, the batch would send it again
    /// under the batch's key and Resend would deliver it twice. Its row comes first, so the email is sent once.
    /// </summary>
    [Fact]
    public async Task Should_send_a_lone_email_once_when_its_rows_could_not_be_written_for_a_while()
    {
        var emailId = Guid.NewGuid();
        var subject = $"Unrecorded {emailId:N}";
        var name = $"20250101T000000000Z-{emailId:N}.json";
        using (var first = new RelayHost(fixture))
        {
            _ = first.Server;
            await fixture.ExecuteAsync($"""
                create sequence refused_rows;
                create function refuse_rows() returns trigger language plpgsql as $$
                begin
                  perform nextval('refused_rows');
                  raise exception 'the database refuses this email for now';
                end $$;
                create trigger refuse_rows before insert or update on outbound_emails
                  for each row when (new.email_id = '{emailId}') execute function refuse_rows();
                """);

            fixture.Drop(name, RelayFixture.Email(subject, emailId));
            await Eventually.Until(
                () => fixture.QueryAsync<bool>("select is_called from refused_rows"),
                refused => refused.Single(),
                Patience,
                "the relay to have tried to write the email's row");
        }

        await fixture.ExecuteAsync("drop trigger refuse_rows on outbound_emails; drop function refuse_rows(); drop sequence refused_rows;");
        using var next = new RelayHost(fixture, new Dictionary<string, string?> { ["Resend:RequestsPerSecond"] = "1" });
        _ = next.Server;

        await Eventually.Until(() => Task.FromResult(File.Exists(Path.Combine(fixture.Outbox.Sent, name))), sent => sent, Patience, "the file to reach sent/");
        Assert.Equal(1, await fixture.SendsOfAsync(subject));
        Assert.Equal("sent", Assert.Single(await fixture.QueryAsync<string>("select send_state from outbound_emails where email_id = @emailId", new { emailId })));
    }
}
