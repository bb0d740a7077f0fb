namespace OrdersMail.MailSandbox.Core;

/// <summary>
/// Endpoint metadata naming an emulated operation (<c>agentmail</c> / <c>inboxes.create</c>), so fault rules can
/// target it. Add it with <see cref="SandboxOperationExtensions.Operation{TBuilder}"/>.
/// </summary>
/// <param name="Api">One of <see cref="SandboxApi"/>.</param>
/// <param name="Name">The operation, dotted: <c>inboxes.create</c>, <c>webhooks.get</c>, <c>messages.reply</c>, <c>emails.send</c>...</param>
public sealed record SandboxOperation(string Api, string Name);

/// <summary>Tags endpoints with their <see cref="SandboxOperation"/>.</summary>
public static class SandboxOperationExtensions
{
    /// <summary>Names the endpoint's operation for fault injection.</summary>
    public static TBuilder Operation<TBuilder>(this TBuilder builder, string api, string name)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.WithMetadata(new SandboxOperation(api, name));
    }
}
