using Microsoft.Net.Http.Headers;

namespace OrdersMail.OrdersApi.Http;

/// <summary>
/// Every answer of a group holds one user's data, or says whether some exists: <c>Cache-Control: private, no-store</c>
/// unless its route set a policy of its own (the timeline's <c>private, no-cache</c>, kept for its ETag). The API also
/// signs in by the <c>__session</c> cookie, and RFC 9111 keeps a shared cache from storing answers to requests with
/// <c>Authorization</c> only: one that passes cookies on without keying on them would serve a user's orders to the
/// next, and a browser would show them on back/forward after sign-out.
/// </summary>
public static class PrivateAnswers
{
    /// <summary>What an answer says when its route said nothing.</summary>
    public const string CacheControl = "private, no-store";

    /// <summary>
    /// Marks every answer of <paramref name="builder"/>'s routes when it starts, so the problems its handlers return, the
    /// filters after this one refuse with, and the exception handler writes are marked too.
    /// </summary>
    public static TBuilder AnswerPrivately<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter((context, next) =>
        {
            context.HttpContext.Response.OnStarting(MarkUnlessSet, context.HttpContext.Response);
            return next(context);
        });

    private static Task MarkUnlessSet(object state)
    {
        var headers = ((HttpResponse)state).Headers;
        if (!headers.ContainsKey(HeaderNames.CacheControl))
        {
            headers.CacheControl = CacheControl;
        }

        return Task.CompletedTask;
    }
}
