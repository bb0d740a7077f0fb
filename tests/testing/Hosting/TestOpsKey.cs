using System.Net.Http.Headers;

namespace OrdersMail.Testing.Hosting;

/// <summary>
/// The ops key every test host is configured with (<see cref="Infrastructure.TestInfrastructure.Settings"/>), and the
/// client that presents it to ops routes, as ops would.
/// </summary>
public static class TestOpsKey
{
    /// <summary>The key: <c>Ops:ApiKey</c> of every test host.</summary>
    public const string Value = "ops_test_9f2c4e8a1b7d3f6e0a5c9b2d8e4f1a7c";

    /// <summary>Sends the ops key with every request of <paramref name="client"/>; returns it.</summary>
    public static HttpClient WithOpsKey(this HttpClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Value);
        return client;
    }
}
