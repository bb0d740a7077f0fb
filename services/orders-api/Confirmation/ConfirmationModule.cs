using OrdersMail.BuildingBlocks.MailOutbox;

namespace OrdersMail.OrdersApi.Confirmation;

/// <summary>
/// Order confirmations: written to the mail outbox once per order, when its inbox is ready or failed (claimed by the
/// order's own consumers of those events, see <c>Orders</c>) or too late (the sweeper).
/// </summary>
public static class ConfirmationModule
{
    /// <summary>Registers the confirmation's services, its sweeper and the mail outbox writer (<c>MailOutbox:Directory</c>).</summary>
    public static IServiceCollection AddConfirmation(this IServiceCollection services)
    {
        services.AddOptions<ConfirmationOptions>()
            .BindConfiguration(ConfirmationOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => o.SweepWindowHoldsASweep(), ConfirmationOptions.SweepWindowTooShort)
            .Validate(o => o.DefaultReplyToIsSendable(), ConfirmationOptions.DefaultReplyToRefused)
            .ValidateOnStart();
        services.AddMailOutboxWriter();
        services.AddSingleton<ConfirmationClaims>();
        services.AddSingleton<ConfirmationWriter>();
        services.AddSingleton<ConfirmationSweeper>();
        services.AddHostedService(sp => sp.GetRequiredService<ConfirmationSweeper>());
        return services;
    }
}
