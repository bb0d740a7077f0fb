using System.Text.RegularExpressions;

namespace OrdersMail.MailSandbox.AgentMail.Inboxes;

/// <summary>
/// <c>client_id</c>, the idempotency key of inbox and webhook creates: 1–256 characters of
/// <c>A-Z a-z 0-9 - . _ ~</c> (so no <c>@</c>), as AgentMail's idempotency guide states.
/// </summary>
public static partial class ClientIdRules
{
    /// <summary>The longest <c>client_id</c>.</summary>
    public const int MaxLength = 256;

    /// <summary>Reads the optional <c>client_id</c> member, recording an issue when it breaks the rules.</summary>
    public static string? Read(RequestBody body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var clientId = body.ReadString("client_id");
        if (clientId is null)
        {
            return null;
        }

        SchemaIssue? issue = clientId.Length switch
        {
            0 => SchemaIssue.TooSmall(["client_id"], "string", 1),
            > MaxLength => SchemaIssue.TooBig(["client_id"], "string", MaxLength),
            _ when !Allowed().IsMatch(clientId) => SchemaIssue.InvalidFormat(["client_id"], "regex", "Invalid string: client_id may contain only A-Z a-z 0-9 - . _ ~"),
            _ => null,
        };
        if (issue is null)
        {
            return clientId;
        }

        body.Add(issue);
        return null;
    }

    [GeneratedRegex("^[A-Za-z0-9._~-]+$")]
    private static partial Regex Allowed();
}
