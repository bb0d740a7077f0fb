namespace OrdersMail.MailSandbox.AgentMail.Inboxes;

/// <summary>
/// The sandbox's one pod. AgentMail puts every inbox in a pod (the organisation's default one unless created under
/// <c>/pods/{pod_id}</c>); the sandbox has no pod endpoints, so every inbox is in this one, and it is the only pod id
/// a webhook may be scoped to.
/// </summary>
public static class SandboxPod
{
    /// <summary>The default pod's id (a UUID, as AgentMail's resource ids are).</summary>
    public const string Id = "5a4db0c0-0000-4000-8000-00000000d0d0";
}
