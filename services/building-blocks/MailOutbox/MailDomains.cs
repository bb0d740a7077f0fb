using System.Globalization;
using System.Text;

namespace OrdersMail.BuildingBlocks.MailOutbox;

/// <summary>
/// A mail domain in the ASCII form the relay sends to (<see cref="MailAddresses"/>), read the way a mail client reads
/// what a person typed: capitals lower-cased, full-width forms and ideographic full stops (an input method's) made ASCII,
/// and an internationalised domain in punycode. The services run with invariant globalization, where
/// <see cref="IdnMapping"/> does none of UTS #46's mapping first: MÜLLER.DE became xn--mller-2pa.de and a full-width
/// example.com xn--mi7chab1aes7c.com, domains no one owns, where müller.de is xn--mller-kva.de.
/// </summary>
public static class MailDomains
{
    private static readonly IdnMapping Idn = new() { UseStd3AsciiRules = true };

    /// <summary>
    /// The ASCII form of <paramref name="domain"/>; an ASCII one as given, its case kept, which mail ignores. Null when it
    /// has none: not a domain IDNA takes, or one that <see cref="NeedsRetyping"/>.
    /// </summary>
    public static string? ToAscii(string domain)
    {
        ArgumentNullException.ThrowIfNull(domain);
        if (Ascii.IsValid(domain))
        {
            return domain;
        }

        var mapped = Mapped(domain);
        if (HasUncomposed(mapped))
        {
            return null;
        }

        if (Ascii.IsValid(mapped))
        {
            return mapped;
        }

        try
        {
            return Idn.GetAscii(mapped);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    /// <summary>
    /// True when <paramref name="domain"/> holds a letter written decomposed, as text pasted from some documents does
    /// (ü as u and a combining diaeresis), that this runtime cannot compose: its punycode would name another domain, so
    /// the person retypes it rather than have it guessed.
    /// </summary>
    public static bool NeedsRetyping(string domain)
    {
        ArgumentNullException.ThrowIfNull(domain);
        return !Ascii.IsValid(domain) && HasUncomposed(Mapped(domain));
    }

    // Invariant globalization carries no normalization data: Normalize gives the text back as it is, decomposed letters
    // and all (.NET 10, MailDomains_Specs), so HasUncomposed is what stands between them and a wrong punycode.
    private static string Mapped(string domain) =>
        string.Create(domain.Length, domain, static (mapped, typed) =>
        {
            for (var i = 0; i < typed.Length; i++)
            {
                mapped[i] = Narrow(typed[i]);
            }
        }).ToLowerInvariant().Normalize(NormalizationForm.FormC);

    // IDNA's label separators (RFC 3490 §3.1; U+FF0E is in the full-width range) and the full-width forms of ASCII.
    private static char Narrow(char c) => c switch
    {
        '\u3002' or '\uFF61' => '.',
        >= '\uFF01' and <= '\uFF5E' => (char)(c - 0xFEE0),
        _ => c,
    };

    // What NFC would have joined to the letter before it. A combining diacritic (its four blocks and the half marks)
    // after an ASCII letter: decomposed text writes é as e and an accent, and every Latin letter with a composed form
    // has an ASCII letter at the root of its decomposition. One after a letter that is no ASCII letter is part of a
    // composed spelling (Yoruba ẹ̀, U+1EB9 then a grave, has no single letter), which IDNA takes as it is; the few ASCII
    // letters with a mark and no single letter (Yoruba m̀) are refused with them, the refusal offering the xn-- form. And the kana
    // voicing marks and Hangul's conjoining jamo, which IDNA2008 disallows (RFC 5892 §2.9), wherever they are.
    private static bool HasUncomposed(string domain)
    {
        for (var i = 0; i < domain.Length; i++)
        {
            var c = domain[i];
            if (c is '\u3099' or '\u309A' or (>= '\u1100' and <= '\u11FF'))
            {
                return true;
            }

            if (i > 0 && char.IsAsciiLetter(domain[i - 1])
                && c is (>= '\u0300' and <= '\u036F') or (>= '\u1AB0' and <= '\u1AFF') or (>= '\u1DC0' and <= '\u1DFF') or (>= '\u20D0' and <= '\u20FF') or (>= '\uFE20' and <= '\uFE2F'))
            {
                return true;
            }
        }

        return false;
    }
}
