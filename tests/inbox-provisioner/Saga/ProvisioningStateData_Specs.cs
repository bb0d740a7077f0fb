using System.Text.Json;
using System.Text.Json.Nodes;
using OrdersMail.BuildingBlocks.Sagas;
using OrdersMail.InboxProvisioner.Saga;

namespace OrdersMail.InboxProvisioner.Tests.Saga;

/// <summary>A saga row as a newer build writes it, read and written back by this one (its <c>data</c> column's JSON).</summary>
public sealed class ProvisioningStateData_Specs
{
    [Fact]
    public void When_a_newer_build_recorded_fields_this_one_does_not_know_Should_write_them_back_with_its_own_changes()
    {
        var written = JsonNode.Parse(JsonSerializer.Serialize(new ProvisioningState { CorrelationId = Guid.NewGuid(), CurrentState = "Provisioning" }, PostgresSagaData.Options))!.AsObject();
        written["inboxRegion"] = "eu-west";
        written["history"] = JsonNode.Parse("""[{"at": "2026-12-05T21:00:00+00:00", "step": "inbox", "outcome": "created", "detail": null, "attempt": 2}]""");

        var saga = JsonSerializer.Deserialize<ProvisioningState>(written.ToJsonString(), PostgresSagaData.Options)!;
        saga.Record("webhook", "created");
        var rewritten = JsonNode.Parse(JsonSerializer.Serialize(saga, PostgresSagaData.Options))!;

        Assert.Equal("eu-west", rewritten["inboxRegion"]!.GetValue<string>());
        Assert.Equal(2, rewritten["history"]![0]!["attempt"]!.GetValue<int>());
        Assert.Equal(["inbox", "webhook"], rewritten["history"]!.AsArray().Select(line => line!["step"]!.GetValue<string>()));
    }
}
