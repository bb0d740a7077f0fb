using OrdersMail.DeliveryTracker.Relay;

namespace OrdersMail.DeliveryTracker.Tests.Relay;

/// <summary>
/// The ids the relay derives: outbound_emails rows, failed/ files and Resend's Idempotency-Keys already hold them, so
/// these were derived before NameBasedGuid was shared, and checked against Python's uuid.uuid5.
/// </summary>
public sealed class EmailIdentity_Specs
{
    [Theory]
    [InlineData("20261201T120000Z-confirmation-0b8f4f5e.json", "19bcae7c-fb0b-5798-9d6c-64fb36dbd5e5")]
    [InlineData("ünïcode-file.json", "2c837566-e336-591c-ba64-7b752f5bf55f")]
    [InlineData("", "91f49a51-b97b-5cbd-b76d-ee9644a13826")]
    public void Should_keep_the_ids_of_files_without_an_email_id(string fileName, string id) =>
        Assert.Equal(new Guid(id), EmailIdentity.Of(fileName, declared: null));

    [Theory]
    [InlineData("0b8f4f5e-3c2a-4d1e-9f00-1a2b3c4d5e6f", "a8245249-29da-5464-ada7-1cb89b9e5916")]
    [InlineData("d2719f3e-5b0a-4c8e-8f1a-6e2b9c3d4a57", "833cfbdb-1906-5641-881c-535f927062b2")]
    public void Should_keep_the_ids_of_copies_sent_again(string failed, string copy) =>
        Assert.Equal(new Guid(copy), EmailIdentity.SendAgainOf(new Guid(failed)));

    [Fact]
    public void Should_take_the_files_own_email_id_when_it_has_one()
    {
        var declared = new Guid("d2719f3e-5b0a-4c8e-8f1a-6e2b9c3d4a57");

        Assert.Equal(declared, EmailIdentity.Of("20261201T120000Z-confirmation-0b8f4f5e.json", declared));
    }
}
