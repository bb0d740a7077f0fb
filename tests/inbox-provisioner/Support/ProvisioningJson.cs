using System.Text.Json;

namespace OrdersMail.InboxProvisioner.Tests.Support;

/// <summary>The provisioner's HTTP JSON: snake_case.</summary>
public static class ProvisioningJson
{
    /// <summary>Options reading its responses.</summary>
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
}
