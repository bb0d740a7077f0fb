namespace OrdersMail.BuildingBlocks.Webhooks;

/// <summary>Why a signed webhook was refused, in the order the checks run (Svix's order: headers, timestamp, signature).</summary>
public enum WebhookRefusal
{
    /// <summary><c>svix-id</c>, <c>svix-timestamp</c> or <c>svix-signature</c> is absent, empty or sent more than once.</summary>
    MissingHeaders,

    /// <summary><c>svix-timestamp</c> is not Unix seconds written as plain digits.</summary>
    InvalidTimestamp,

    /// <summary><c>svix-timestamp</c> is more than the tolerance (5 minutes) in the past: possibly a replay.</summary>
    StaleTimestamp,

    /// <summary><c>svix-timestamp</c> is more than the tolerance (5 minutes) in the future.</summary>
    FutureTimestamp,

    /// <summary>The body is not valid UTF-8, so it cannot be what a Standard Webhooks sender signed.</summary>
    BodyNotUtf8,

    /// <summary>No <c>v1</c> entry of <c>svix-signature</c> is the signature of this id, timestamp and body under the secret.</summary>
    NoMatchingSignature,
}
