namespace OrdersMail.MailSandbox.Core;

/// <summary>The emulated services; fault rules and webhook attempts name them.</summary>
public static class SandboxApi
{
    /// <summary>AgentMail, under <c>/agentmail/v0</c>.</summary>
    public const string AgentMail = "agentmail";

    /// <summary>Resend, under <c>/resend</c>.</summary>
    public const string Resend = "resend";

    /// <summary>Clerk, under <c>/clerk</c>.</summary>
    public const string Clerk = "clerk";

    /// <summary>An OpenAI-compatible chat completions API, under <c>/openai/v1</c>.</summary>
    public const string OpenAi = "openai";
}
