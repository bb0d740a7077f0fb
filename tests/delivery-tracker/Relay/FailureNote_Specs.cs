using System.Text;
using OrdersMail.DeliveryTracker.Relay;

namespace OrdersMail.DeliveryTracker.Tests.Relay;

/// <summary>The names a failed file and its note take in <c>failed/</c>.</summary>
public sealed class FailureNote_Specs
{
    [Fact]
    public void When_the_name_leaves_room_for_the_note_Should_keep_it()
    {
        var name = $"20250101T000000000Z-{new string('n', 219)}.json";

        Assert.Equal(name, FailureNote.FailedNameFor(name));
        Assert.Equal(255, Encoding.UTF8.GetByteCount(FailureNote.NameFor(name)));
    }

    /// <summary>Cut between letters, never inside one's bytes, and told apart from a name that differs only past the cut.</summary>
    [Fact]
    public void When_the_note_would_not_fit_Should_shorten_the_name_so_that_it_does_and_names_stay_apart()
    {
        var first = $"{new string('é', 125)}-a.json";
        var second = $"{new string('é', 125)}-b.json";

        var shortened = FailureNote.FailedNameFor(first);

        Assert.True(Encoding.UTF8.GetByteCount(FailureNote.NameFor(shortened)) <= 255);
        Assert.True(FailureNote.Fits(shortened));
        Assert.StartsWith(new string('é', 100), shortened, StringComparison.Ordinal);
        Assert.EndsWith(".json", shortened, StringComparison.Ordinal);
        Assert.Equal(shortened, FailureNote.FailedNameFor(first));
        Assert.NotEqual(shortened, FailureNote.FailedNameFor(second));
        Assert.DoesNotContain('\uFFFD', Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(shortened)));
    }
}
