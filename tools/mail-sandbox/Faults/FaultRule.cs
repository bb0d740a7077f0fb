namespace OrdersMail.MailSandbox.Faults;

/// <summary>
/// One way to misbehave, set through <c>POST /sandbox/faults</c>. A rule applies to the requests (or webhook
/// deliveries) of <see cref="Api"/> whose operation matches <see cref="Operation"/> (<c>*</c> for all), for the
/// next <see cref="Times"/> matches when that is set, else until removed; after letting <see cref="Skip"/> matches through.
/// </summary>
public sealed record FaultRule
{
    /// <summary>The rule's id, for <c>DELETE /sandbox/faults/{id}</c>.</summary>
    public string Id { get; init; } = "";

    /// <summary><c>agentmail</c>, <c>resend</c>, <c>clerk</c> or <c>openai</c>.</summary>
    public string Api { get; init; } = "";

    /// <summary>An operation name (<c>inboxes.create</c>), a prefix with a star (<c>webhooks.*</c>), or <c>*</c>. Webhook deliveries are <c>webhooks.deliver</c>.</summary>
    public string Operation { get; init; } = "*";

    /// <summary>Added before the request is handled.</summary>
    public int? LatencyMs { get; init; }

    /// <summary>
    /// Added after the request is handled, before its answer leaves: the call took effect (an email sent) while the
    /// caller still waits, so a caller killed meanwhile never learns it did.
    /// </summary>
    public int? AnswerDelayMs { get; init; }

    /// <summary>
    /// Handle the request, then answer its success (2xx) with a body that is not the API's: a 200 HTML page, as a
    /// proxy in the way might send. The call took effect while the caller cannot read what came of it.
    /// </summary>
    public bool MalformedAnswer { get; init; }

    /// <summary>
    /// Handle the request, then send its success's status and headers and the first byte of its body, and no more: the
    /// body stalls until the client gives up (or ten minutes pass), as from a provider or proxy that hung mid-answer.
    /// </summary>
    public bool StallBody { get; init; }

    /// <summary>
    /// Handle the request, then answer its success with the API's own JSON less this top-level member (<c>message_id</c>,
    /// <c>id</c>...): a body the client reads as the API's, lacking what it needs. The call took effect.
    /// </summary>
    public string? OmitMember { get; init; }

    /// <summary>
    /// Answer with the API's own JSON under a <c>Content-Type</c> naming this charset (<c>x-unknown</c>), as a proxy that
    /// relabels answers might: a client that honours the charset fails in its own way while reading it. A success's
    /// call took effect; an error (the API's own, or <see cref="ErrorStatus"/>'s) keeps its status.
    /// </summary>
    public string? AnswerCharset { get; init; }

    /// <summary>Answer this status instead of handling the request (429, 500, 503...), with the API's own error body.</summary>
    public int? ErrorStatus { get; init; }

    /// <summary>
    /// Resend only: the error <c>name</c> that <see cref="ErrorStatus"/> answers instead of the status's usual one, so a
    /// 429 can be a quota's (<c>daily_quota_exceeded</c>, <c>monthly_quota_exceeded</c>) rather than the rate limit's.
    /// </summary>
    public string? ErrorName { get; init; }

    /// <summary>
    /// AgentMail only: the error <c>code</c> that <see cref="ErrorStatus"/> answers instead of the status's usual one, so a
    /// 401 can be a key AgentMail does not know (<c>unknown_api_key</c>) or a 403 a permission the key lacks
    /// (<c>missing_permission</c>), as clients branch on the code.
    /// </summary>
    public string? ErrorCode { get; init; }

    /// <summary>The share of matching requests that get <see cref="ErrorStatus"/> (default: all).</summary>
    public double? ErrorRate { get; init; }

    /// <summary>The <c>Retry-After</c> seconds sent with a 429 or 503 (default 1).</summary>
    public int? RetryAfterSeconds { get; init; }

    /// <summary>
    /// The <c>Retry-After</c> sent with a 429 or 503 as given, instead of <see cref="RetryAfterSeconds"/>: an HTTP-date
    /// (<c>Wed, 21 Oct 2026 07:28:00 GMT</c>), or a text that is neither a date nor seconds, as a client must cope with.
    /// </summary>
    public string? RetryAfter { get; init; }

    /// <summary>Never answer: the request hangs until the client gives up (or ten minutes pass).</summary>
    public bool Hang { get; init; }

    /// <summary>Webhook deliveries: send each event twice (same <c>svix-id</c>, as a Svix retry after a lost ack would).</summary>
    public bool Duplicate { get; init; }

    /// <summary>Webhook deliveries: hold events for this many milliseconds, then deliver them newest first (or shuffled, <see cref="Shuffle"/>).</summary>
    public int? ReorderWindowMs { get; init; }

    /// <summary>Webhook deliveries held by <see cref="ReorderWindowMs"/>: released in a random order instead of newest first.</summary>
    public bool Shuffle { get; init; }

    /// <summary>
    /// The share of matches that <see cref="Duplicate"/> and <see cref="StoredDiffers"/> apply to (default: all), so a
    /// provider that misbehaves now and then (10 % of events delivered twice, 20 % of webhooks stored wrong) can be played.
    /// </summary>
    public double? ApplyRate { get; init; }

    /// <summary>
    /// AgentMail <c>webhooks.create</c>: what is stored differs from what was sent, while the POST response echoes
    /// the request: <c>org_wide</c> (no inbox scope), <c>other_inbox</c> (another inbox in scope) or
    /// <c>missing_event_type</c> (the first event type dropped).
    /// </summary>
    public string? StoredDiffers { get; init; }

    /// <summary>
    /// AgentMail <c>inboxes.create</c>: a create under the <c>client_id</c> of an inbox since deleted answers 200 with that
    /// deleted inbox as it was last stored, instead of creating a new one, while the inbox stays deleted (a GET or PATCH
    /// of it answers 404). AgentMail documents that a used <c>client_id</c> answers the stored original and says nothing
    /// of one whose resource was deleted: this plays the worst it allows. Without the rule the client_id is free again.
    /// </summary>
    public bool ReplayDeleted { get; init; }

    /// <summary>
    /// OpenAI <c>chat.completions</c>: the model answers this text instead of the sandbox model's, as a model that
    /// glitched might (a NUL character, only whitespace, a text of megabytes).
    /// </summary>
    public string? AnswerContent { get; init; }

    /// <summary>
    /// Let this many matches through as they are before applying (then for <see cref="Times"/>), so a later call of a
    /// sequence fails and the ones before it succeed: a listing's second page, after its first was taken. Counts down as
    /// matches pass, so a listed rule shows how many it still lets through.
    /// </summary>
    public int? Skip { get; init; }

    /// <summary>Apply to this many matches, then retire. Null: until removed.</summary>
    public int? Times { get; init; }

    /// <summary>Matches left when <see cref="Times"/> was set.</summary>
    public int? Remaining { get; init; }

    /// <summary>How often the rule changed something so far (an error answered, an event duplicated, a webhook stored wrong): what a run's clients had to cope with.</summary>
    public long Applied { get; init; }

    /// <summary>Whether <see cref="Duplicate"/> or <see cref="StoredDiffers"/> applies to this match, by <see cref="ApplyRate"/>.</summary>
    public bool AppliesNow() => ApplyRate is not { } rate || Random.Shared.NextDouble() < rate;
}
