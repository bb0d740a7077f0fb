using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using OrdersMail.MailSandbox.Core;

namespace OrdersMail.MailSandbox.Faults;

/// <summary>
/// The faults that answer a handled request's success with the API's own JSON, altered: a top-level member left out
/// (<see cref="FaultRule.OmitMember"/>), or labelled with a charset a client cannot decode (<see cref="FaultRule.AnswerCharset"/>).
/// </summary>
internal static class AlteredAnswers
{
    /// <summary>Whether <paramref name="rule"/> alters a success's JSON.</summary>
    public static bool Alters(FaultRule rule) => rule.OmitMember is not null || rule.AnswerCharset is not null;

    /// <summary>
    /// The success <paramref name="answer"/> as the rules among <paramref name="rules"/> alter it, each counted as
    /// applied; null when none alters it or the answer carries no JSON value.
    /// </summary>
    public static IResult? Of(IReadOnlyList<FaultRule> rules, object? answer, FaultRegistry faults)
    {
        var altering = rules.Where(Alters).ToList();
        if (altering.Count == 0 || answer is not IValueHttpResult { Value: { } value })
        {
            return null;
        }

        var body = JsonSerializer.SerializeToNode(value, value.GetType(), SandboxJson.Options)!;
        var charset = "utf-8";
        foreach (var rule in altering)
        {
            faults.CountApplied(rule.Id);
            if (rule.OmitMember is { } member && body is JsonObject members)
            {
                members.Remove(member);
            }

            charset = rule.AnswerCharset ?? charset;
        }

        return Results.Bytes(Encoding.UTF8.GetBytes(body.ToJsonString(SandboxJson.Options)), $"application/json; charset={charset}");
    }
}
