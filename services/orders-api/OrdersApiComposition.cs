using MassTransit;
using OrdersMail.BuildingBlocks.Data;
using OrdersMail.BuildingBlocks.Inbox;
using OrdersMail.BuildingBlocks.Ops;
using OrdersMail.BuildingBlocks.Outbox;
using OrdersMail.OrdersApi.Agent;
using OrdersMail.OrdersApi.Authentication;
using OrdersMail.OrdersApi.Confirmation;
using OrdersMail.OrdersApi.Conversation;
using OrdersMail.OrdersApi.Handoffs;
using OrdersMail.OrdersApi.Http;
using OrdersMail.OrdersApi.Orders;
using OrdersMail.OrdersApi.Outbox;
using OrdersMail.OrdersApi.Timeline;

namespace OrdersMail.OrdersApi;

/// <summary>What orders-api is made of: Clerk sign-in, orders with their outbox, each order's conversation, its agent and the messages it hands to ops (and ops' write-again of a reply given up), its confirmation (and ops' write-again of one given up) and its timeline page, the ops key, and the consumers' memory of applied messages.</summary>
public static class OrdersApiComposition
{
    /// <summary>The web app's routes: each needs a signed-in user and is open to the web app's origins.</summary>
    public const string ApiRoute = "/api";

    /// <summary>The routes every feature hangs under; each needs a signed-in user.</summary>
    public const string OrdersRoute = "/api/orders";

    /// <summary>Registers the features' services.</summary>
    public static WebApplicationBuilder AddOrdersApi(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOrdersApiHttp();
        builder.Services.AddWebAppCors();
        builder.Services.AddClerkAuthentication();
        builder.Services.AddAuthorization();
        builder.Services.AddOpsAccess();
        builder.Services.AddOrders();
        builder.Services.AddConversation();
        builder.Services.AddOrderAgent();
        builder.Services.AddHandoffs();
        builder.Services.AddConfirmation();
        builder.Services.AddTimeline();
        builder.Services.AddOutbox(OrdersOutbox.Messages);
        builder.Services.AddProcessedMessages();
        return builder;
    }

    /// <summary>Registers the features' consumers on the bus.</summary>
    public static void AddOrdersApiConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddOrdersConsumers();
        bus.AddConversationConsumers();
    }

    /// <summary>Maps the features' endpoints: the customers' behind authentication, open to the web app's origins (<see cref="WebAppCors"/>); ops' behind the ops key.</summary>
    public static WebApplication MapOrdersApi(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        // Before sign-in: a browser's preflight carries no token, and CORS answers it here. The policy covers every path
        // under /api, not only its endpoints: routing answers some requests itself (415 from Accepts, 404 for an id that
        // is no GUID) with no endpoint's CORS metadata, and a browser shows a refusal without CORS headers as a network
        // error. Ops' routes and the timeline page stay out of CORS.
        app.UseWhen(http => http.Request.Path.StartsWithSegments(ApiRoute), api => api.UseCors(WebAppCors.Policy));
        app.UseAuthentication();
        app.UseAuthorization();

        // Every answer below is one user's or shows customers' mail to ops: no cache may keep it (PrivateAnswers).
        app.MapGroup(ApiRoute).AnswerPrivately().RequireAuthorization().RequireCors(WebAppCors.Policy).ProducesSignInRefusals().MapSignedInUser();

        // Authorization answers 401 (503 when Clerk's keys could not be fetched) before an endpoint runs, and every route
        // of the group reads or writes the database (503 when it is busy), so no endpoint's own results can say either.
        var orders = app.MapGroup(OrdersRoute).AnswerPrivately().RequireAuthorization().RequireCors(WebAppCors.Policy).ProducesDatabaseBusy().ProducesSignInRefusals();
        orders.MapOrders();
        orders.MapConversation();
        orders.MapTimeline();

        // The page answers people: its 401 is an HTML page (SignedOutPageHandler), not problem+json.
        app.MapTimelinePage();
        app.MapHandoffs();
        app.MapConfirmationWriteAgain();
        app.MapAgentReplyWriteAgain();
        return app;
    }
}
