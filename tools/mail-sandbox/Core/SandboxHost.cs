using Microsoft.Extensions.Options;
using OrdersMail.MailSandbox.AgentMail;
using OrdersMail.MailSandbox.AgentMail.Inboxes;
using OrdersMail.MailSandbox.AgentMail.Messages;
using OrdersMail.MailSandbox.AgentMail.Webhooks;
using OrdersMail.MailSandbox.ChatCompletions;
using OrdersMail.MailSandbox.Clerk;
using OrdersMail.MailSandbox.Control;
using OrdersMail.MailSandbox.Faults;
using OrdersMail.MailSandbox.Resend;
using OrdersMail.MailSandbox.Webhooks;

namespace OrdersMail.MailSandbox.Core;

/// <summary>Assembles the sandbox: the emulated APIs at their base paths, each behind its key check and the fault filter.</summary>
public static class SandboxHost
{
    /// <summary>Registers everything and listens on 127.0.0.1:<c>MailSandbox:Port</c> (unless URLs are given the ASP.NET Core way).</summary>
    public static WebApplicationBuilder AddMailSandbox(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Configuration.AddEnvironmentVariables("ORDERSMAIL_");
        if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
        {
            var port = builder.Configuration.GetValue($"{SandboxOptions.Section}:Port", new SandboxOptions().Port);
            builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        }

        var services = builder.Services;
        services.AddOptions<SandboxOptions>().BindConfiguration(SandboxOptions.Section);
        services.ConfigureHttpJsonOptions(o => SandboxJson.Configure(o.SerializerOptions));
        services.AddHttpClient(WebhookDispatcher.HttpClientName, c => c.Timeout = Timeout.InfiniteTimeSpan);
        services.AddSingleton<FaultRegistry>();
        services.AddSingleton<WebhookDispatcher>();
        services.AddSingleton<FaultInjectionFilter>();

        services.AddSingleton<AgentMailStore>();
        services.AddSingleton<ISandboxState>(sp => sp.GetRequiredService<AgentMailStore>());
        services.AddSingleton<AgentMailEvents>();
        services.AddResend();
        services.AddClerk();
        services.AddChatCompletions();
        return builder;
    }

    /// <summary>Maps the APIs, the sandbox's control API and its health endpoints.</summary>
    public static WebApplication MapMailSandbox(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var options = app.Services.GetRequiredService<IOptions<SandboxOptions>>();
        ConfiguredResendWebhook.RegisterAll(
            [.. options.Value.ResendWebhooks], app.Services.GetRequiredService<ResendStore>(), app.Services.GetRequiredService<TimeProvider>());

        var agentMail = app.MapGroup("/agentmail/v0")
            .AddEndpointFilter(new ApiKeyFilter(SandboxApi.AgentMail, options))
            .AddEndpointFilter<FaultInjectionFilter>();
        agentMail.MapInboxes().MapWebhooks().MapMessages();

        // Resend adds its rate limit and in-flight key check ahead of the fault filter itself.
        app.MapGroup("/resend")
            .AddEndpointFilter(new ApiKeyFilter(SandboxApi.Resend, options))
            .MapResend();

        app.MapGroup("/clerk")
            .AddEndpointFilter<FaultInjectionFilter>()
            .MapClerk();

        app.MapGroup("/openai/v1")
            .AddEndpointFilter<OpenAiKeyFilter>()
            .AddEndpointFilter<FaultInjectionFilter>()
            .MapChatCompletions();

        var sandbox = app.MapGroup("/sandbox");
        sandbox.MapSandboxControl();
        sandbox.MapGroup("/clerk").MapClerkSignIn();
        sandbox.MapGroup("/agentmail").MapMessageControls();
        sandbox.MapGroup("/resend").MapResendControls();
        sandbox.MapGroup("/chat-completions").MapChatCompletionControls();

        app.MapGet("/health/live", () => Results.Ok(new { status = "Healthy" }));
        app.MapGet("/health/ready", () => Results.Ok(new { status = "Healthy" }));
        return app;
    }
}
