using System.Text.Json;
using OrdersMail.OrdersApi.Tests.Conversation;

namespace OrdersMail.OrdersApi.Tests.Agent;

/// <summary>The hand-off routes as the specs read them, with the ops key.</summary>
internal static class HandoffsHttp
{
    /// <summary>The list's route; a hand-off is marked done at <c>{Route}/{message_id}/done</c>.</summary>
    public const string Route = "/agent/handoffs";

    /// <summary>Every open hand-off, page after page (two a page), as ops would read them: other specs of a class hand off messages of their own.</summary>
    public static async Task<IReadOnlyList<JsonElement>> AllOpenAsync(HttpClient ops)
    {
        ArgumentNullException.ThrowIfNull(ops);
        var all = new List<JsonElement>();
        var after = "";
        while (true)
        {
            using var response = await ops.GetAsync($"{Route}?limit=2{after}");
            var page = (await ConversationHttp.OkAsync(response)).EnumerateArray().ToList();
            if (page.Count == 0)
            {
                return all;
            }

            all.AddRange(page);
            after = $"&after={page[^1].GetProperty("message_id").GetGuid()}";
        }
    }
}
