namespace OrdersMail.OrdersApi.Handoffs;

/// <summary>Why the agent handed a message to a person, as <c>agent_handoffs.reason</c> keeps it and ops read it.</summary>
public static class HandoffReasons
{
    /// <summary>The sender is not the order's address: the agent gave no facts, and a person judges who wrote.</summary>
    public const string SenderNotVerified = "sender_not_verified";

    /// <summary>The agent answered the sender on the order as often as <c>Agent:AnswerLimit</c> allows: this message is unanswered.</summary>
    public const string AnswerLimitReached = "answer_limit_reached";

    /// <summary>
    /// The agent answered senders other than the order's address, all of them together, as often on the order as
    /// <c>Agent:AnswerLimit:MaxStrangerAnswers</c> allows: this message, from another such sender, is unanswered.
    /// </summary>
    public const string StrangerAnswerLimitReached = "stranger_answer_limit_reached";

    /// <summary>
    /// The sender's address is longer than mail can be sent to (<c>SenderVerification.MaxAddressOctets</c>): the agent
    /// left it unanswered, and a person judges who wrote and how to reach them.
    /// </summary>
    public const string SenderAddressTooLong = "sender_address_too_long";

    /// <summary>The customer asks for what only a person can do (cancel, change the address, return or refund).</summary>
    public const string AsksForAction = "asks_for_action";

    /// <summary>
    /// The customer's words are unlikely English (<c>Agent.EnglishText</c>) and the rules found no request in them: it
    /// may ask for one in words they do not know, so a person reads it.
    /// </summary>
    public const string NotUnderstood = "not_understood";

    /// <summary>
    /// The message is a reply with no words of the customer's own (<c>Agent.NewWords</c>): only the history it quotes, a
    /// signature or a phone's line, most often a photo sent in answer. The agent has nothing to read; a person looks at
    /// what came with it.
    /// </summary>
    public const string NoNewWords = "no_new_words";

    /// <summary>
    /// The agent's reply to the message bounced, drew a complaint or failed (AgentMail rejected it, or the relay gave up):
    /// the customer's question is unanswered, and a person reaches them another way.
    /// </summary>
    public const string ReplyUndeliverable = "reply_undeliverable";

    /// <summary>
    /// An earlier reply of the agent's to the sender's address bounced, drew a complaint or was rejected, after which
    /// AgentMail refuses every send to that address (docs/agentmail.md §4): the agent wrote no reply.
    /// </summary>
    public const string RecipientBlocked = "recipient_blocked";

    /// <summary>The message carried the agent's label when hand-offs began to be recorded (migration 0016); the label's reason was not kept.</summary>
    public const string LabelledBeforeHandoffs = "labelled_before_handoffs";

    /// <summary>
    /// An older build, one from before hand-offs, recorded and labelled the message (a replica still running during a
    /// rolling upgrade) and handed nothing off; the reconcile did (<see cref="HandoffReconcile"/>). The label's reason was not kept.
    /// </summary>
    public const string LabelledByOlderBuild = "labelled_by_older_build";
}
