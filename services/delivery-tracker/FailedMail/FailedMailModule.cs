using Microsoft.AspNetCore.Http.HttpResults;
using OrdersMail.BuildingBlocks.Data;
using OrdersMail.BuildingBlocks.Http;
using OrdersMail.BuildingBlocks.MailOutbox;
using OrdersMail.BuildingBlocks.Ops;

namespace OrdersMail.DeliveryTracker.FailedMail;

/// <summary>
/// <c>GET /outbox/failed</c> and <c>POST /outbox/failed/{file}/send-again</c>: what ops look at, and do with a failed
/// email once its cause is fixed.
/// </summary>
public static class FailedMailModule
{
    private const int DefaultLimit = 100;
    private const int MaxLimit = 500;

    /// <summary>Registers what the route needs.</summary>
    public static IServiceCollection AddFailedMail(this IServiceCollection services)
    {
        services.AddOpsAccess();
        services.AddMailOutboxWriter();
        services.AddSingleton<FailedEmails>();
        services.AddSingleton<ProviderFailedFiles>();
        services.AddHostedService(sp => sp.GetRequiredService<ProviderFailedFiles>());
        return services;
    }

    /// <summary>Maps the routes.</summary>
    public static IEndpointRouteBuilder MapFailedMail(this IEndpointRouteBuilder app)
    {
        var failed = app.MapGroup("/outbox/failed").WithTags("Failed mail").RequireOpsKey();
        failed.MapGet("", ListAsync)
            .WithName("ListFailedEmails")
            .WithSummary("Files in failed/, newest first, each with why it failed and the email and order it held.")
            .WithDescription(
                "A page of at most limit files (1 to 500, 100 by default), newest first by name (each starts with the time it was written). "
                + "next_after, null on the last page, is the after that asks for the next one: its files' names sort before it. "
                + "400 for a limit out of range, or an after that is not a name a failed file can have.")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        // The outbox's 503 has Retry-After too, so the database's declaration, which promises it, stands for both.
        failed.MapPost("/{file}/send-again", SendAgainAsync)
            .WithName("SendFailedEmailAgain")
            .WithSummary("Sends an email in failed/ again as a new email (its id derived from the failed one's), once the cause is fixed; the failed file stays.")
            .WithDescription(
                "503 with Retry-After, nothing written, when the outbox cannot take the copy (its disk full, read-only or gone; 30 s) "
                + "or the database cannot say whether the email was sent again already (2 s).")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesDatabaseBusy();
        return app;
    }

    // The limit is read as text, so that one that does not parse is answered with a problem saying so. Send-again leaves
    // each failed file in failed/, so without pages an outage that failed more emails than a page holds left all but the
    // newest out of reach.
    private static async Task<Results<Ok<FailedFilesPage>, ProblemHttpResult>> ListAsync(
        FailedEmails failed, HttpRequest request, CancellationToken cancellationToken, string? limit = null, string? after = null)
    {
        if (!ListLimit.TryRead(limit, DefaultLimit, MaxLimit, out var count))
        {
            return ListLimit.Refused(MaxLimit);
        }

        // An escape that is not UTF-8 reaches after as its own text: after=x%FF.json was taken as the name "x%FF.json".
        if (QueryText.Refused(request, "after") is { } badText)
        {
            return badText;
        }

        if (await failed.ListAsync(count, after, cancellationToken) is { } page)
        {
            return TypedResults.Ok(page);
        }

        return TypedResults.Problem(
            "after is the next_after of a page GET /outbox/failed answered (the name of its last file): a name ending in .json, not a path and not a .error.json.",
            statusCode: StatusCodes.Status400BadRequest,
            title: "Invalid after");
    }

    private static async Task<Results<Accepted<SentAgain>, Conflict<SendAgainConflict>, ProblemHttpResult>> SendAgainAsync(
        string file, FailedEmails failed, CancellationToken cancellationToken) =>
        await failed.SendAgainAsync(file, cancellationToken) switch
        {
            SendAgainOutcome.Written written => TypedResults.Accepted((string?)null, written.Copy),
            SendAgainOutcome.Refused refused => TypedResults.Conflict(refused.Conflict),
            SendAgainOutcome.StillInvalid invalid => TypedResults.Problem(
                $"The file still breaks the outbox format: {invalid.Problem.Reason}. Correct it in failed/, then ask again.",
                statusCode: StatusCodes.Status422UnprocessableEntity,
                title: "Still invalid",
                extensions: new Dictionary<string, object?> { ["field"] = invalid.Problem.Field, ["rule"] = invalid.Problem.Rule }),
            SendAgainOutcome.NotAFileName => TypedResults.Problem(
                "A failed email's file name, as in failed/: a name ending in .json, not a path and not its .error.json.",
                statusCode: StatusCodes.Status400BadRequest,
                title: "Invalid file name"),
            _ => TypedResults.Problem($"No file {file} in failed/.", statusCode: StatusCodes.Status404NotFound, title: "Not failed"),
        };
}
