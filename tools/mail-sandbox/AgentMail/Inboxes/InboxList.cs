namespace OrdersMail.MailSandbox.AgentMail.Inboxes;

/// <summary><c>ListInboxesResponse</c>: <c>{count, limit, next_page_token?, inboxes}</c>.</summary>
/// <param name="Count">How many inboxes this page holds.</param>
/// <param name="Limit">The page size used.</param>
/// <param name="NextPageToken">The next page's token; absent on the last page.</param>
/// <param name="Inboxes">The page.</param>
public sealed record InboxList(int Count, int Limit, string? NextPageToken, IReadOnlyList<StoredInbox> Inboxes)
{
    /// <summary>The body for one page.</summary>
    public static InboxList Of(ListPage<StoredInbox> page)
    {
        ArgumentNullException.ThrowIfNull(page);
        return new InboxList(page.Items.Count, page.Limit, page.NextPageToken, page.Items);
    }
}
