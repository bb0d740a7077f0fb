using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OrdersMail.BuildingBlocks.MailOutbox;
using OrdersMail.DeliveryTracker.Relay;
using OrdersMail.Testing.Hosting;

namespace OrdersMail.DeliveryTracker.Tests.Relay;

/// <summary>The addresses of an email as <see cref="ResendChannel.Compose"/> hands them to Resend, which puts them in the headers as given.</summary>
public sealed class ResendCompose_Specs
{
    /// <summary>
    /// A company's legal name written plainly: its comma, unquoted, made the From header two mailboxes, which providers
    /// built on SES refuse and receivers may read as two senders. Sent as one quoted name.
    /// </summary>
    [Theory]
    [InlineData("Acme, Inc. <orders@acme.com>", "\"Acme, Inc.\" <orders@acme.com>")]
    [InlineData("Acme (EU) <orders@acme.com>", "\"Acme (EU)\" <orders@acme.com>")]
    [InlineData("Acme;Shop <orders@acme.com>", "\"Acme;Shop\" <orders@acme.com>")]
    [InlineData("Joe \"The Shop <orders@acme.com>", "\"Joe \\\"The Shop\" <orders@acme.com>")]
    [InlineData("Back\\slash, Ltd <orders@acme.com>", "\"Back\\\\slash, Ltd\" <orders@acme.com>")]
    public void When_the_senders_name_holds_a_special_Should_send_it_quoted(string from, string sent) =>
        Assert.Equal(sent, Compose(from, Email()).From);

    /// <summary>What needs no quotes, or is quoted already, goes as configured: the same request as before for every usual sender.</summary>
    [Theory]
    [InlineData("orders@acme.com")]
    [InlineData("OrdersMail <orders@ordersmail.local>")]
    [InlineData("\"Acme, Inc.\" <orders@acme.com>")]
    [InlineData("\"Joe \\\"The Shop\\\"\" <orders@acme.com>")]
    [InlineData("Café Müller <orders@acme.com>")]
    public void When_the_sender_needs_no_quotes_Should_send_it_as_configured(string from) =>
        Assert.Equal(from, Compose(from, Email()).From);

    /// <summary>A file's Reply-To and recipients reach the same headers, and are quoted the same way.</summary>
    [Fact]
    public void When_a_files_addresses_hold_a_name_with_a_comma_Should_send_each_quoted()
    {
        var email = Email() with
        {
            To = ["Doe, Jane <jane@example.com>", "john@example.com"],
            Cc = ["Shop, Inc. <copy@acme.com>"],
            Bcc = ["Audit, Ltd <audit@acme.com>"],
            ReplyTo = "Help, Desk <help@acme.com>",
        };

        var sent = Compose("orders@acme.com", email);

        Assert.Equal(["\"Doe, Jane\" <jane@example.com>", "john@example.com"], sent.To);
        Assert.Equal(["\"Shop, Inc.\" <copy@acme.com>"], sent.Cc!);
        Assert.Equal(["\"Audit, Ltd\" <audit@acme.com>"], sent.Bcc!);
        Assert.Equal("\"Help, Desk\" <help@acme.com>", sent.ReplyTo);
    }

    private static OutboxEmail Email() => new() { To = ["jane@example.com"], Subject = "Your order", Body = "Thanks." };

    private static Integrations.Resend.ResendEmail Compose(string from, OutboxEmail email)
    {
        var settings = new Dictionary<string, string?>(TestProviderSettings.Values) { ["DeliveryTracker:Relay:From"] = from };
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddLogging();
        services.AddOutboxRelay();
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<ResendChannel>().Compose(Guid.NewGuid(), email);
    }
}
