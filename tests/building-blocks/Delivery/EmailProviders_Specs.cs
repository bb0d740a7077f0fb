using OrdersMail.BuildingBlocks.Delivery;
using OrdersMail.Contracts.Outbound;

namespace OrdersMail.BuildingBlocks.Tests.Delivery;

/// <summary>
/// The providers' stored names, written out: orders-api (<c>order_emails</c>) and delivery-tracker
/// (<c>outbound_emails</c>) each stored these from a definition of their own before they shared one.
/// </summary>
public sealed class EmailProviders_Specs
{
    private static readonly (EmailProvider Provider, string Name)[] Stored =
    [
        (EmailProvider.AgentMail, "agentmail"),
        (EmailProvider.Resend, "resend"),
    ];

    public static TheoryData<EmailProvider, string> StoredProviders()
    {
        var rows = new TheoryData<EmailProvider, string>();
        foreach (var (provider, name) in Stored)
        {
            rows.Add(provider, name);
        }

        return rows;
    }

    [Theory]
    [MemberData(nameof(StoredProviders))]
    public void Should_store_a_provider_under_the_name_its_rows_hold_and_read_it_back(EmailProvider provider, string name)
    {
        Assert.Equal(name, EmailProviders.Name(provider));
        Assert.Equal(provider, EmailProviders.Parse(name));
    }

    [Fact]
    public void Should_have_a_stored_name_written_out_for_every_provider_of_the_contract() =>
        Assert.Equal(Enum.GetValues<EmailProvider>(), Stored.Select(row => row.Provider));

    [Fact]
    public void Should_refuse_a_provider_it_does_not_know_rather_than_make_up_a_name() =>
        // orders-api stored such a value snake_cased ("3") where the tracker refused it; now both refuse it.
        Assert.Throws<ArgumentOutOfRangeException>(() => EmailProviders.Name((EmailProvider)3));

    [Theory]
    [InlineData("AgentMail")]
    [InlineData("agent_mail")]
    [InlineData("")]
    public void Should_refuse_a_name_it_does_not_store(string name) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => EmailProviders.Parse(name));
}
