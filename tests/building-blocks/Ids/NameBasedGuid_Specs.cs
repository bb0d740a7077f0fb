using OrdersMail.BuildingBlocks.Ids;

namespace OrdersMail.BuildingBlocks.Tests.Ids;

/// <summary>Name-based UUIDs (version 5) as RFC 9562 and every other implementation derive them.</summary>
public sealed class NameBasedGuid_Specs
{
    private static readonly Guid Dns = new("6ba7b810-9dad-11d1-80b4-00c04fd430c8");
    private static readonly Guid Url = new("6ba7b811-9dad-11d1-80b4-00c04fd430c8");

    [Fact]
    public void Should_give_the_published_test_vector() =>
        // RFC 9562, Appendix A.4: the DNS namespace and "www.example.com".
        Assert.Equal(new Guid("2ed6657d-e927-568b-95e1-2665a8aea6a2"), NameBasedGuid.Create(Dns, "www.example.com"));

    [Theory]
    // Python's uuid.uuid5, an implementation of its own: a name beyond ASCII is hashed as its UTF-8, an empty one as nothing.
    [InlineData("6ba7b811-9dad-11d1-80b4-00c04fd430c8", "https://example.com/commande/été?n=42", "8e79109e-6ab6-5e8f-b94b-55a02d90b404")]
    [InlineData("6ba7b810-9dad-11d1-80b4-00c04fd430c8", "", "4ebd0208-8328-5d69-8c44-ec50939c0967")]
    public void Should_agree_with_another_implementation(string @namespace, string name, string expected) =>
        Assert.Equal(new Guid(expected), NameBasedGuid.Create(new Guid(@namespace), name));

    [Fact]
    public void Should_mark_the_id_as_version_5_of_the_rfc_variant()
    {
        var id = NameBasedGuid.Create(Url, "https://example.com/");

        Assert.Equal(5, id.Version);
        Assert.InRange(id.Variant, 0x8, 0xB);
    }

    [Fact]
    public void Should_give_another_id_in_another_namespace() =>
        Assert.NotEqual(NameBasedGuid.Create(Dns, "example.com"), NameBasedGuid.Create(Url, "example.com"));
}
