using System.Net.Http.Headers;
using OrdersMail.Testing.Infrastructure;
using OrdersMail.Testing.Sandbox;

namespace OrdersMail.OrdersApi.Tests.Agent;

/// <summary>
/// A class fixture for the agent: a fresh database and vhost, the sandbox, a mail outbox directory of the class's
/// own, and orders-api on them; the agent's composer is the rule-based one.
/// </summary>
public class AgentFixture : IAsyncLifetime
{
    /// <summary>The database and broker of the class.</summary>
    public TestInfrastructure Infrastructure { get; } = new();

    /// <summary>The sandbox (Clerk tokens, the chat completions stand-in).</summary>
    public MailSandboxServer Sandbox { get; private set; } = null!;

    /// <summary>orders-api.</summary>
    public AgentApiFactory Api { get; private set; } = null!;

    /// <summary>The mail outbox directory orders-api writes to.</summary>
    public string OutboxDirectory { get; } = Path.Combine(Path.GetTempPath(), $"ordersmail-agent-{Guid.NewGuid():N}");

    /// <summary>The model's timeout when the agent uses the sandbox's model; null for the rule-based composer.</summary>
    protected virtual TimeSpan? ModelTimeout => null;

    /// <summary>What the class configures besides the defaults.</summary>
    protected virtual IReadOnlyDictionary<string, string?> MoreSettings => new Dictionary<string, string?>();

    /// <summary>orders-api's clock when it is not the machine's.</summary>
    protected virtual TimeProvider? Clock => null;

    /// <summary>A client signed in as a new user of the test's own.</summary>
    public async Task<HttpClient> NewUserAsync()
    {
        var client = Api.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await Sandbox.MintTokenAsync($"user_{Guid.NewGuid():N}"));
        return client;
    }

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        await Infrastructure.InitializeAsync();
        Sandbox = await MailSandboxServer.StartAsync();
        Api = new AgentApiFactory(Infrastructure, Sandbox, OutboxDirectory, ModelTimeout, MoreSettings, Clock);
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (Api is not null)
        {
            await Api.DisposeAsync();
        }

        if (Sandbox is not null)
        {
            await Sandbox.DisposeAsync();
        }

        await Infrastructure.DisposeAsync();
        if (Directory.Exists(OutboxDirectory))
        {
            Directory.Delete(OutboxDirectory, recursive: true);
        }
    }
}

/// <summary>The agent with the sandbox's chat completions as its model, given two seconds an answer.</summary>
public sealed class ModelAgentFixture : AgentFixture
{
    /// <summary>The model's timeout in these specs: short, so a hung model costs a spec little.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    /// <inheritdoc />
    protected override TimeSpan? ModelTimeout => Timeout;
}

/// <summary>The agent with a reply sweeper that takes a claim over once it is a second old, twice at most.</summary>
public sealed class SweepingAgentFixture : AgentFixture
{
    /// <summary>The sweeper's attempts at one claim before it gives it up.</summary>
    public const int MaxAttempts = 2;

    /// <inheritdoc />
    protected override IReadOnlyDictionary<string, string?> MoreSettings => new Dictionary<string, string?>
    {
        ["Agent:Replies:SweepInterval"] = "00:00:00.200",
        ["Agent:Replies:RewriteAfter"] = "00:00:01",
        ["Agent:Replies:MaxAttempts"] = MaxAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}

/// <summary>The agent with the sandbox's model and <see cref="SweepingAgentFixture"/>'s sweeper.</summary>
public sealed class SweepingModelAgentFixture : AgentFixture
{
    /// <inheritdoc />
    protected override TimeSpan? ModelTimeout => ModelAgentFixture.Timeout;

    /// <inheritdoc />
    protected override IReadOnlyDictionary<string, string?> MoreSettings => new Dictionary<string, string?>
    {
        ["Agent:Replies:SweepInterval"] = "00:00:00.200",
        ["Agent:Replies:RewriteAfter"] = "00:00:01",
        ["Agent:Replies:MaxAttempts"] = SweepingAgentFixture.MaxAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}

/// <summary>
/// The agent answering at most three messages of one sender on one order a day, and four of every sender but the
/// order's address together.
/// </summary>
public sealed class LimitedAgentFixture : AgentFixture
{
    /// <summary>The answers one sender gets on one order within the window.</summary>
    public const int MaxAnswers = 3;

    /// <summary>The answers every sender but the order's address gets on one order within the window, together.</summary>
    public const int MaxStrangerAnswers = 4;

    /// <inheritdoc />
    protected override IReadOnlyDictionary<string, string?> MoreSettings => new Dictionary<string, string?>
    {
        ["Agent:AnswerLimit:MaxAnswers"] = MaxAnswers.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Agent:AnswerLimit:MaxStrangerAnswers"] = MaxStrangerAnswers.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}

/// <summary>The agent with the reconcile of older builds' labels running five times a second.</summary>
public sealed class ReconcilingAgentFixture : AgentFixture
{
    /// <inheritdoc />
    protected override IReadOnlyDictionary<string, string?> MoreSettings => new Dictionary<string, string?>
    {
        ["Agent:Handoffs:ReconcileEvery"] = "00:00:00.200",
    };
}
