using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OrdersMail.MailSandbox.Tests.Support;

namespace OrdersMail.MailSandbox.Tests.Core;

/// <summary>The control API for fault rules: what it accepts, lists and removes.</summary>
public sealed class FaultRules_Specs(SandboxFactory sandbox) : IClassFixture<SandboxFactory>
{
    [Theory]
    [InlineData("""{"api":"nowhere","operation":"*","latency_ms":5}""", "api must be")]
    [InlineData("""{"api":"agentmail","operation":"*"}""", "at least one of")]
    [InlineData("""{"api":"agentmail","operation":"*","error_status":200}""", "4xx or 5xx")]
    [InlineData("""{"api":"agentmail","operation":"*","error_status":503,"error_rate":1.5}""", "error_rate")]
    [InlineData("""{"api":"agentmail","operation":"webhooks.create","stored_differs":"sideways"}""", "stored_differs")]
    [InlineData("""{"api":"resend","operation":"emails.send","replay_deleted":true}""", "replay_deleted")]
    [InlineData("""{"api":"agentmail","operation":"webhooks.deliver","duplicate":true,"apply_rate":0}""", "apply_rate")]
    [InlineData("""{"api":"agentmail","operation":"*","latency_ms":5,"apply_rate":0.5}""", "apply_rate")]
    [InlineData("""{"api":"agentmail","operation":"webhooks.deliver","shuffle":true,"duplicate":true}""", "shuffle needs")]
    [InlineData("""{"api":"agentmail","operation":"*","error_status":503,"skip":-1}""", "skip must not be negative")]
    [InlineData("""{"api":"resend","operation":"emails.send","omit_member":" "}""", "must not be blank")]
    [InlineData("""{"api":"resend","operation":"emails.send","error_name":"daily_quota_exceeded","latency_ms":5}""", "error_name")]
    [InlineData("""{"api":"agentmail","operation":"*","error_status":429,"error_name":"daily_quota_exceeded"}""", "error_name")]
    [InlineData("""{"api":"resend","operation":"emails.send","error_status":429,"error_name":" "}""", "error_name")]
    [InlineData("""{"api":"resend","operation":"emails.send","error_status":401,"error_code":"unknown_api_key"}""", "error_code")]
    [InlineData("""{"api":"agentmail","operation":"*","error_code":"unknown_api_key","latency_ms":5}""", "error_code")]
    [InlineData("""{"api":"agentmail","operation":"*","error_status":401,"error_code":" "}""", "error_code")]
    [InlineData("""{"api":"resend","operation":"emails.send","retry_after":"soon","latency_ms":5}""", "retry_after")]
    [InlineData("""{"api":"resend","operation":"emails.send","error_status":500,"retry_after":"soon"}""", "retry_after")]
    [InlineData("""{"api":"resend","operation":"emails.send","error_status":429,"retry_after":"soon","retry_after_seconds":1}""", "retry_after")]
    [InlineData("""{"api":"resend","operation":"emails.send","error_status":429,"retry_after":" "}""", "retry_after")]
    [InlineData("""{"api":"resend","operation":"emails.send","error_status":429,"retry_after":"soon\n"}""", "retry_after")]
    public async Task A_rule_that_makes_no_sense_Should_be_refused_with_the_reason(string rule, string reason)
    {
        using var client = sandbox.CreateClient();

        var response = await client.PostAsync("/sandbox/faults", new StringContent(rule, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(reason, (await response.Content.ReadFromJsonAsync<JsonObject>())!["error"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_rule_Should_be_listed_until_removed()
    {
        using var client = sandbox.CreateClient();
        var added = await sandbox.AddFaultAsync(new { api = "resend", operation = "emails.*", latency_ms = 20, times = 3 });
        var id = added["id"]!.GetValue<string>();

        var listed = (await client.GetFromJsonAsync<JsonObject>("/sandbox/faults"))!["faults"]!.AsArray();
        Assert.Contains(listed, f => f!["id"]!.GetValue<string>() == id && f["remaining"]!.GetValue<int>() == 3);

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/sandbox/faults/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.DeleteAsync($"/sandbox/faults/{id}")).StatusCode);
        var after = (await client.GetFromJsonAsync<JsonObject>("/sandbox/faults"))!["faults"]!.AsArray();
        Assert.DoesNotContain(after, f => f!["id"]!.GetValue<string>() == id);
    }
}
