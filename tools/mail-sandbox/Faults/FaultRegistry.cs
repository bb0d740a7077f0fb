using OrdersMail.MailSandbox.Core;

namespace OrdersMail.MailSandbox.Faults;

/// <summary>The fault rules in force. Thread-safe; a rule with <see cref="FaultRule.Times"/> is used up as it applies.</summary>
public sealed class FaultRegistry
{
    private static readonly string[] DriftModes = ["org_wide", "other_inbox", "missing_event_type"];
    private readonly Lock _lock = new();
    private readonly List<FaultRule> _rules = [];
    private readonly Dictionary<string, long> _applied = [];

    /// <summary>Adds a rule and returns it with its id. Throws <see cref="ArgumentException"/> for a rule that makes no sense.</summary>
    public FaultRule Add(FaultRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        Validate(rule);
        var added = rule with { Id = Ids.New("fault_", 12), Remaining = rule.Times, Applied = 0 };
        lock (_lock)
        {
            _rules.Add(added);
        }

        return added;
    }

    /// <summary>The rules in force, each with how often it applied.</summary>
    public IReadOnlyList<FaultRule> All()
    {
        lock (_lock)
        {
            return [.. _rules.Select(r => r with { Applied = _applied.GetValueOrDefault(r.Id) })];
        }
    }

    /// <summary>Counts one application of the rule <paramref name="id"/> (see <see cref="FaultRule.Applied"/>).</summary>
    public void CountApplied(string id)
    {
        lock (_lock)
        {
            _applied[id] = _applied.GetValueOrDefault(id) + 1;
        }
    }

    /// <summary>Removes one rule; false when there was none with that id.</summary>
    public bool Remove(string id)
    {
        lock (_lock)
        {
            _applied.Remove(id);
            return _rules.RemoveAll(r => r.Id == id) > 0;
        }
    }

    /// <summary>Removes every rule.</summary>
    public void Clear()
    {
        lock (_lock)
        {
            _rules.Clear();
            _applied.Clear();
        }
    }

    /// <summary>
    /// The rules that apply to one request or delivery of <paramref name="api"/>'s <paramref name="operation"/>,
    /// counting each against its <see cref="FaultRule.Times"/>; a rule still letting matches through (<see cref="FaultRule.Skip"/>) counts one down instead.
    /// </summary>
    public IReadOnlyList<FaultRule> Take(string api, string operation, Func<FaultRule, bool>? relevant = null)
    {
        lock (_lock)
        {
            var taken = new List<FaultRule>();
            for (var i = 0; i < _rules.Count; i++)
            {
                var rule = _rules[i];
                if (rule.Api != api || !Matches(rule.Operation, operation) || (relevant is not null && !relevant(rule)))
                {
                    continue;
                }

                if (rule.Skip is > 0)
                {
                    _rules[i] = rule with { Skip = rule.Skip - 1 };
                    continue;
                }

                taken.Add(rule);
                if (rule.Remaining is { } left)
                {
                    _rules[i] = rule with { Remaining = left - 1 };
                }
            }

            _rules.RemoveAll(r => r.Remaining <= 0);
            return taken;
        }
    }

    private static bool Matches(string pattern, string operation) =>
        pattern == "*" || pattern == operation || (pattern.EndsWith(".*", StringComparison.Ordinal) && operation.StartsWith(pattern[..^1], StringComparison.Ordinal));

    private static void Validate(FaultRule rule)
    {
        if (rule.Api is not (SandboxApi.AgentMail or SandboxApi.Resend or SandboxApi.Clerk or SandboxApi.OpenAi))
        {
            throw new ArgumentException($"api must be '{SandboxApi.AgentMail}', '{SandboxApi.Resend}', '{SandboxApi.Clerk}' or '{SandboxApi.OpenAi}'.");
        }

        if (string.IsNullOrWhiteSpace(rule.Operation))
        {
            throw new ArgumentException("operation must name an operation, a prefix ending in '.*', or '*'.");
        }

        if (rule.ErrorStatus is { } status && (status < 400 || status > 599))
        {
            throw new ArgumentException("error_status must be a 4xx or 5xx status.");
        }

        if (rule.ErrorName is not null && (rule.Api != SandboxApi.Resend || rule.ErrorStatus is null || string.IsNullOrWhiteSpace(rule.ErrorName)))
        {
            throw new ArgumentException($"error_name is for api '{SandboxApi.Resend}', beside error_status, and must not be blank.");
        }

        if (rule.ErrorCode is not null && (rule.Api != SandboxApi.AgentMail || rule.ErrorStatus is null || string.IsNullOrWhiteSpace(rule.ErrorCode)))
        {
            throw new ArgumentException($"error_code is for api '{SandboxApi.AgentMail}', beside error_status, and must not be blank.");
        }

        if (rule.RetryAfter is { } retryAfter
            && (rule.ErrorStatus is not (429 or 503) || rule.RetryAfterSeconds is not null || string.IsNullOrWhiteSpace(retryAfter) || retryAfter.Any(c => c is < ' ' or > '~')))
        {
            throw new ArgumentException("retry_after is beside an error_status of 429 or 503, instead of retry_after_seconds, and must be printable ASCII, not blank.");
        }

        if (rule.ErrorRate is { } rate && (rate <= 0 || rate > 1))
        {
            throw new ArgumentException("error_rate must be more than 0 and at most 1.");
        }

        if (rule.ApplyRate is { } share && (share <= 0 || share > 1 || (!rule.Duplicate && rule.StoredDiffers is null)))
        {
            throw new ArgumentException("apply_rate must be more than 0 and at most 1, beside duplicate or stored_differs.");
        }

        if (rule.Shuffle && rule.ReorderWindowMs is null)
        {
            throw new ArgumentException("shuffle needs reorder_window_ms.");
        }

        if (rule.LatencyMs is < 0 || rule.AnswerDelayMs is < 0 || rule.ReorderWindowMs is < 0 || rule.RetryAfterSeconds is < 0 || rule.Skip is < 0 || rule.Times is <= 0)
        {
            throw new ArgumentException("latency_ms, answer_delay_ms, reorder_window_ms, retry_after_seconds and skip must not be negative; times must be positive.");
        }

        if (rule.StoredDiffers is { } drift && !DriftModes.Contains(drift))
        {
            throw new ArgumentException($"stored_differs must be one of {string.Join(", ", DriftModes)}.");
        }

        if ((rule.OmitMember is not null && string.IsNullOrWhiteSpace(rule.OmitMember)) || (rule.AnswerCharset is not null && string.IsNullOrWhiteSpace(rule.AnswerCharset)))
        {
            throw new ArgumentException("omit_member and answer_charset must not be blank.");
        }

        if (rule.AnswerContent is not null && rule.Api != SandboxApi.OpenAi)
        {
            throw new ArgumentException($"answer_content is for api '{SandboxApi.OpenAi}'.");
        }

        if (rule.ReplayDeleted && rule.Api != SandboxApi.AgentMail)
        {
            throw new ArgumentException($"replay_deleted is for api '{SandboxApi.AgentMail}' (inboxes.create).");
        }

        if (rule.LatencyMs is null && rule.AnswerDelayMs is null && rule.ErrorStatus is null && !rule.Hang && !rule.MalformedAnswer && !rule.StallBody && !AlteredAnswers.Alters(rule)
            && !rule.Duplicate && rule.ReorderWindowMs is null && rule.StoredDiffers is null && rule.AnswerContent is null && !rule.ReplayDeleted)
        {
            throw new ArgumentException("a fault needs at least one of latency_ms, answer_delay_ms, error_status, hang, malformed_answer, stall_body, omit_member, answer_charset, duplicate, reorder_window_ms, stored_differs, answer_content, replay_deleted.");
        }
    }
}
