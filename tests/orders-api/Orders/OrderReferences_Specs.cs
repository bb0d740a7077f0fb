using System.Text.RegularExpressions;
using OrdersMail.OrdersApi.Orders;

namespace OrdersMail.OrdersApi.Tests.Orders;

public sealed partial class OrderReferences_Specs
{
    [Fact]
    public void Should_be_ORD_and_six_characters_none_of_which_can_be_mistaken_for_another()
    {
        var references = Enumerable.Range(0, 2000).Select(_ => OrderReferences.Next()).ToList();

        Assert.All(references, r => Assert.Matches(Format(), r));
        Assert.DoesNotContain(references, r => r[4..].IndexOfAny(['0', 'O', '1', 'I', 'L']) >= 0);
        Assert.Equal(references.Count, references.Distinct(StringComparer.Ordinal).Count());
    }

    [GeneratedRegex("^ORD-[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{6}$")]
    private static partial Regex Format();
}
