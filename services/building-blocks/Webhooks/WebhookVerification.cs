using System.Diagnostics.CodeAnalysis;

namespace OrdersMail.BuildingBlocks.Webhooks;

/// <summary>The outcome of checking one webhook's signature: verified with its message id, or refused with a reason.</summary>
public sealed class WebhookVerification
{
    private WebhookVerification(string? messageId, WebhookRefusal? refusal)
    {
        MessageId = messageId;
        Refusal = refusal;
    }

    /// <summary>True when the signature matched; the message can be trusted and <see cref="MessageId"/> deduplicated on.</summary>
    [MemberNotNullWhen(true, nameof(MessageId))]
    [MemberNotNullWhen(false, nameof(Refusal))]
    public bool IsVerified => Refusal is null;

    /// <summary>The verified <c>svix-id</c> (stable across the sender's retries); null when refused.</summary>
    public string? MessageId { get; }

    /// <summary>Why it was refused; null when verified.</summary>
    public WebhookRefusal? Refusal { get; }

    internal static WebhookVerification Verified(string messageId) => new(messageId, null);

    internal static WebhookVerification Refused(WebhookRefusal refusal) => new(null, refusal);

    /// <inheritdoc />
    public override string ToString() => IsVerified ? $"Verified {MessageId}" : $"Refused: {Refusal}";
}
