using MassTransit;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OrdersMail.BuildingBlocks.Ops;
using OrdersMail.BuildingBlocks.Sagas;
using OrdersMail.InboxProvisioner.Customers;
using OrdersMail.InboxProvisioner.Operations;
using OrdersMail.InboxProvisioner.Saga;
using OrdersMail.InboxProvisioner.Steps;
using OrdersMail.InboxProvisioner.Steps.Inbox;
using OrdersMail.InboxProvisioner.Steps.Reconcile;
using OrdersMail.InboxProvisioner.Steps.Webhook;
using OrdersMail.InboxProvisioner.Watch;
using OrdersMail.Integrations.AgentMail;

namespace OrdersMail.InboxProvisioner;

/// <summary>What inbox-provisioner is made of: the saga, its step consumers (the AgentMail calls), and ops' view and sweeper.</summary>
public static class InboxProvisionerComposition
{
    /// <summary>The saga table, in the service's schema.</summary>
    public const string SagaTable = "provisioning_sagas";

    /// <summary>Where the AgentMail client's settings are (<c>ORDERSMAIL_InboxProvisioner__AgentMail__ApiKey</c>...).</summary>
    public const string AgentMailSection = "InboxProvisioner:AgentMail";

    /// <summary>Registers the services.</summary>
    public static WebApplicationBuilder AddInboxProvisioner(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOpsAccess();
        services.AddOptions<ProvisioningOptions>()
            .BindConfiguration(ProvisioningOptions.Section)
            .Validate(
                o => o.WebhookUrl is { IsAbsoluteUri: true, Scheme: "http" or "https" },
                $"{ProvisioningOptions.Section}:WebhookUrl must be set to an absolute http(s) URL (the inbound-router's public address, e.g. https://router.example.com/webhooks/agentmail).")
            .Validate(o => o.EventTypes.Count > 0, $"{ProvisioningOptions.Section}:EventTypes must name at least one event type.")
            .Validate(
                o => o.InboxDisplayNameIsValid(),
                $"{ProvisioningOptions.Section}:InboxDisplayName must be the sender name of the shop's answers: not blank, at most "
                + $"{ProvisioningOptions.LongestInboxDisplayName} characters, no line breaks or other control characters, no spaces at either end.")
            .Validate(
                o => o.MaxReconcileAttempts > 0 && o.MaxUsernameAttempts > 0 && o.MaxResumes >= 0 && o.StepTimeout > TimeSpan.Zero && o.SweepInterval > TimeSpan.Zero,
                $"{ProvisioningOptions.Section}: MaxReconcileAttempts, MaxUsernameAttempts, StepTimeout and SweepInterval must be positive, MaxResumes not negative.")
            .Validate(
                o => o.StepQueueTimeout >= o.StepTimeout,
                $"{ProvisioningOptions.Section}: StepQueueTimeout must be at least StepTimeout (a command waiting in its queue is given longer than a step that runs).")
            .Validate(
                o => o.StepConcurrency > 0 && o.SagaConcurrency > 0 && o.LockTimeout > TimeSpan.Zero && o.LeaseLength > TimeSpan.Zero,
                $"{ProvisioningOptions.Section}: StepConcurrency, SagaConcurrency, LockTimeout and LeaseLength must be positive.")
            .Validate(
                o => o.LeaseLength <= ProvisioningOptions.LongestLeaseLength,
                $"{ProvisioningOptions.Section}:LeaseLength must be at most {ProvisioningOptions.LongestLeaseLength:c}: a killed step's lease keeps its customer from every other step that long.")
            .Validate(
                o => o.StepRetries is >= 0 and <= 10 && o.StepRetryDelay > TimeSpan.Zero && o.StepRetryPollInterval > TimeSpan.Zero,
                $"{ProvisioningOptions.Section}: StepRetries must be 0 to 10, StepRetryDelay and StepRetryPollInterval positive.")
            .Validate(
                o => o.WebhookWatchEvery > TimeSpan.Zero && o.WebhookWatchBudget > 0,
                $"{ProvisioningOptions.Section}: WebhookWatchEvery and WebhookWatchBudget must be positive.")
            .Validate(
                o => o.WebhookWatchEvery <= ProvisioningOptions.LongestScan && o.SweepInterval <= ProvisioningOptions.LongestScan
                    && o.StepRetryPollInterval <= ProvisioningOptions.LongestScan,
                $"{ProvisioningOptions.Section}:WebhookWatchEvery, SweepInterval and StepRetryPollInterval must be at most {ProvisioningOptions.LongestScan:c}: "
                + "a broken webhook, a stuck saga or a due step retry waits that long.")
            .Validate(
                o => o.PublishTimeout > TimeSpan.Zero && o.PublishTimeout <= ProvisioningOptions.LongestPublishTimeout,
                $"{ProvisioningOptions.Section}:PublishTimeout must be positive and at most {ProvisioningOptions.LongestPublishTimeout:c}: "
                + "the sweeper and the step retries wait that long for the broker, and a claimed step retry is due again after a minute.")
            .Validate(
                o => o.StepRetriesFitStepTimeout(),
                $"{ProvisioningOptions.Section}: the last step retry (StepRetryDelay x {ProvisioningOptions.StepRetryGrowth}^(StepRetries - 1), plus {ProvisioningOptions.StepRetryJitter:P0} jitter) must be due before StepTimeout.")
            .ValidateOnStart();
        services.AddAgentMailClient(AgentMailSection, InboxProvisionerService.Info.Name);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<CustomerInboxes>();
        services.AddSingleton<StepsTaken>();
        services.AddSingleton<AccountRefusalLog>();
        services.AddTransient<InboxWebhookRepair>();
        services.AddTransient<InboxWebhookSubscription>();
        services.AddSingleton<ProvisioningTelemetry>();
        services.AddSingleton<ProvisioningReader>();
        services.AddSingleton<CustomerTeardown>();
        services.AddHostedService<StuckSagaSweeper>();
        services.AddHostedService<DeferredStepDispatcher>();
        services.AddSingleton<WebhookWatch>();
        services.AddHostedService(sp => sp.GetRequiredService<WebhookWatch>());
        return builder;
    }

    /// <summary>Registers the saga (persisted in PostgreSQL) and its step consumers, each on a queue named after the service.</summary>
    public static void AddInboxProvisionerConsumers(this IBusRegistrationConfigurator bus)
    {
        ArgumentNullException.ThrowIfNull(bus);
        bus.AddSagaStateMachine<ProvisioningStateMachine, ProvisioningState>(typeof(ProvisioningStateDefinition))
            .PostgresRepository(SagaTable, s => s.CurrentState, s => s.RetryAt);
        bus.AddConsumer<EnsureCustomerInboxConsumer, EnsureCustomerInboxDefinition>();
        bus.AddConsumer<SubscribeInboxWebhookConsumer, SubscribeInboxWebhookDefinition>();
        bus.AddConsumer<ReconcileInboxWebhookConsumer, ReconcileInboxWebhookDefinition>();
    }

    /// <summary>Maps ops' endpoints.</summary>
    public static WebApplication MapInboxProvisioner(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapProvisioning();
        return app;
    }
}
