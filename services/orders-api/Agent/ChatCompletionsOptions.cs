namespace OrdersMail.OrdersApi.Agent;

/// <summary>
/// An OpenAI-compatible chat completions API that writes the agent's replies (<c>Agent:ChatCompletions</c>). With
/// neither a URL nor a key the rule-based composer writes them; one without the other is refused at start.
/// </summary>
public sealed class ChatCompletionsOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Agent:ChatCompletions";

    /// <summary>The full endpoint URL, e.g. <c>https://api.openai.com/v1/chat/completions</c>.</summary>
    public Uri? Url { get; set; }

    /// <summary>The Bearer key.</summary>
    public string? ApiKey { get; set; }

    /// <summary>The model asked for.</summary>
    public string Model { get; set; } = "gpt-4o-mini";

    /// <summary>
    /// How long one call may take before the rule-based composer answers instead, within <see cref="MinTimeout"/> and
    /// <see cref="MaxTimeout"/>: zero or a negative wait fails every call as the client is made, before the fallback can
    /// answer, and an infinite one lets a hung model hold a consumer for good.
    /// </summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The shortest <see cref="Timeout"/>.</summary>
    public static readonly TimeSpan MinTimeout = TimeSpan.FromMilliseconds(100);

    /// <summary>The longest <see cref="Timeout"/>: a reply is written while the customer's message is being consumed.</summary>
    public static readonly TimeSpan MaxTimeout = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The most tokens the model may write for one reply (<c>max_tokens</c>), within <see cref="MinMaxTokens"/> and
    /// <see cref="MaxMaxTokens"/>: without it a model that rambles (or is talked into it) bills and writes until its own
    /// limit, and an answer it cut there is a broken reply, so the rule-based one goes instead.
    /// </summary>
    public int MaxTokens { get; set; } = 600;

    /// <summary>The fewest <see cref="MaxTokens"/>: fewer would cut most polite replies short.</summary>
    public const int MinMaxTokens = 100;

    /// <summary>The most <see cref="MaxTokens"/>: about the <see cref="ModelReplyCheck.MaxLength"/> characters a reply may have at all.</summary>
    public const int MaxMaxTokens = 1000;

    /// <summary>True when <see cref="ApiKey"/> holds a key.</summary>
    public bool HasApiKey => !string.IsNullOrWhiteSpace(ApiKey);

    /// <summary>True when a model is configured.</summary>
    public bool IsConfigured => Url is not null && HasApiKey;
}
