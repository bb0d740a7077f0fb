using System.Text;
using OrdersMail.BuildingBlocks.MailOutbox;

namespace OrdersMail.BuildingBlocks.Tests.MailOutbox;

/// <summary>A mail domain in the ASCII form the relay sends to, read as a mail client reads what a person typed.</summary>
public sealed class MailDomains_Specs
{
    [Theory]
    [InlineData("example.com", "example.com")]
    [InlineData("Example.COM", "Example.COM")]
    [InlineData("müller.de", "xn--mller-kva.de")]
    [InlineData("MÜLLER.DE", "xn--mller-kva.de")]
    [InlineData("\uFF45\uFF58\uFF41\uFF4D\uFF50\uFF4C\uFF45.com", "example.com")]
    [InlineData("\uFF25\uFF38\uFF21\uFF2D\uFF30\uFF2C\uFF25\uFF0E\uFF43\uFF4F\uFF4D", "example.com")]
    [InlineData("müller\u3002de", "xn--mller-kva.de")]
    [InlineData("müller\uFF61de", "xn--mller-kva.de")]
    [InlineData("한국.kr", "xn--3e0b707e.kr")]
    [InlineData("がっこう.jp", "xn--p8jlv7d.jp")]
    public void ToAscii_Should_give_the_punycode_a_mail_client_sends_to(string domain, string ascii)
    {
        Assert.Equal(ascii, MailDomains.ToAscii(domain));
        Assert.False(MailDomains.NeedsRetyping(domain));
    }

    /// <summary>Scripts whose composed (NFC) spelling holds combining marks of their own are not taken for decomposed letters.</summary>
    [Theory]
    [InlineData("ทีเอชนิค.th", "xn--42cl2bj2hxbd2g.th")]
    [InlineData("example.भारत", "example.xn--h2brj9c")]
    [InlineData("\u1EB9\u0300k\u1ECD\u0301.ng", "xn--k-ubbe594z6ca.ng")]
    public void ToAscii_Should_take_a_script_whose_letters_carry_marks(string domain, string ascii)
    {
        Assert.Equal(ascii, MailDomains.ToAscii(domain));
        Assert.False(MailDomains.NeedsRetyping(domain));
    }

    /// <summary>A letter written decomposed, as text pasted from some documents is: ü, 한, が in their NFD spelling.</summary>
    [Theory]
    [InlineData("mu\u0308ller.de")]
    [InlineData("MU\u0308LLER.DE")]
    [InlineData("\u1112\u1161\u11AB\u1100\u116E\u11A8.kr")]
    [InlineData("\u304B\u3099\u3063\u3053\u3046.jp")]
    public void When_a_letter_is_decomposed_Should_give_no_ascii_form_and_ask_for_it_retyped(string domain)
    {
        Assert.Null(MailDomains.ToAscii(domain));
        Assert.True(MailDomains.NeedsRetyping(domain));
    }

    [Theory]
    [InlineData("müller_shop.de")]
    [InlineData("müller..de")]
    public void When_it_is_no_domain_IDNA_takes_Should_give_no_ascii_form(string domain)
    {
        Assert.Null(MailDomains.ToAscii(domain));
        Assert.False(MailDomains.NeedsRetyping(domain));
    }

    /// <summary>
    /// Why a decomposed letter is refused rather than composed: the specs run, as the services do, with invariant
    /// globalization (Directory.Build.props), where .NET 10's Normalize gives NFD text back unchanged and even calls it
    /// NFC. Should this fail on a later runtime, MailDomains composes such letters and refuses none.
    /// </summary>
    [Fact]
    public void The_runtime_Should_compose_nothing_under_invariant_globalization()
    {
        const string Decomposed = "mu\u0308ller";

        Assert.True(AppContext.TryGetSwitch("System.Globalization.Invariant", out var invariant) && invariant);
        Assert.Equal(Decomposed, Decomposed.Normalize(NormalizationForm.FormC));
        Assert.True(Decomposed.IsNormalized(NormalizationForm.FormC));
    }
}
