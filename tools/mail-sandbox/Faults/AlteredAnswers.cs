using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using OrdersMail.MailSandbox.Core;

namespace OrdersMail.MailSandbox.Faults;

/// <summary>
/// The faults that answer with the API's own JSON, altered: a success's top-level member left out
/// (<see cref="FaultRule.OmitMember"/>), or any answer, a success or an error, labelled with a charset a client cannot
/// decode (<see cref="FaultRule.AnswerCharset"/>).
/// </summary>
internal static class AlteredAnswers
{
    /// <summary>Whether <paramref name="rule"/> alters an answer's JSON.</summary>
    public static bool Alters(FaultRule rule) => rule.OmitMember is not null || rule.AnswerCharset is not null;

    /// <summary>
    /// <paramref name="answer"/> as the rules among <paramref name="rules"/> alter it, each rule counted as applied; null
    /// when none alters it or the answer carries no JSON value. An error (<paramref name="succeeded"/> false) is only
    /// relabelled: <see cref="FaultRule.OmitMember"/> plays a success lacking what the client needs of it.
    /// </summary>
    public static IResult? Of(IReadOnlyList<FaultRule> rules, object? answer, bool succeeded, FaultRegistry faults)
    {
        var altering = rules.Where(r => r.AnswerCharset is not null || (succeeded && r.OmitMember is not null)).ToList();
        if (altering.Count == 0 || answer is not IValueHttpResult { Value: { } value })
        {
            return null;
        }

        var body = JsonSerializer.SerializeToNode(value, value.GetType(), SandboxJson.Options)!;
        var charset = "utf-8";
        foreach (var rule in altering)
        {
            faults.CountApplied(rule.Id);
            if (succeeded && rule.OmitMember is { } member && body is JsonObject members)
            {
                members.Remove(member);
            }

            charset = rule.AnswerCharset ?? charset;
        }

        // Under the answer's own status: a refusal relabelled is still that refusal, and the client still learns it was one.
        var status = answer is IStatusCodeHttpResult { StatusCode: { } own } ? own : StatusCodes.Status200OK;
        return Results.Text(Encoding.UTF8.GetBytes(body.ToJsonString(SandboxJson.Options)), $"application/json; charset={charset}", status);
    }
}
