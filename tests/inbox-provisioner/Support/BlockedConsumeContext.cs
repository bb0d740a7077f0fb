using System.Reflection;
using MassTransit;

namespace OrdersMail.InboxProvisioner.Tests.Support;

/// <summary>
/// A consume context for calling a consumer directly, whose publishes wait until the spec releases them, as they do
/// while the broker blocks publishers (a memory or disk alarm) or is away. It answers the message and a cancellation
/// token that is never cancelled, and nothing else: any other call throws.
/// </summary>
public class BlockedConsumeContext : DispatchProxy
{
    private readonly TaskCompletionSource _publishing = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private object _message = null!;

    /// <summary>Completes once a publish waits.</summary>
    public Task Publishing => _publishing.Task;

    /// <summary>A context delivering <paramref name="message"/>, and its gate (the same object).</summary>
    public static (ConsumeContext<T> Context, BlockedConsumeContext Gate) Create<T>(T message)
        where T : class
    {
        var context = Create<ConsumeContext<T>, BlockedConsumeContext>();
        var gate = (BlockedConsumeContext)(object)context;
        gate._message = message;
        return (context, gate);
    }

    /// <summary>Lets every publish, waiting or to come, complete.</summary>
    public void Release() => _released.TrySetResult();

    /// <inheritdoc />
    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) =>
        targetMethod?.Name switch
        {
            "get_Message" => _message,
            "get_CancellationToken" => CancellationToken.None,
            nameof(IPublishEndpoint.Publish) when targetMethod.ReturnType == typeof(Task) => Publish(),
            _ => throw new NotSupportedException($"{nameof(BlockedConsumeContext)} only delivers a message and publishes; {targetMethod?.Name} was called."),
        };

    private Task Publish()
    {
        _publishing.TrySetResult();
        return _released.Task;
    }
}
