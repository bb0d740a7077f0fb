using OrdersMail.MailSandbox.Core;

namespace OrdersMail.MailSandbox;

/// <summary>
/// The sandbox's entry point. A named class rather than top-level statements, so the sandbox adds no global
/// <c>Program</c> type: test projects host it beside a service whose own <c>Program</c> they also reference.
/// </summary>
public sealed class SandboxProgram
{
    private SandboxProgram()
    {
    }

    /// <summary>Runs the sandbox until it is stopped.</summary>
    public static async Task Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddMailSandbox();

        var app = builder.Build();
        app.MapMailSandbox();

        await app.RunAsync();
    }
}
