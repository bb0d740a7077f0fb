using System.Reflection;
using MassTransit;

namespace OrdersMail.InboxProvisioner.Tests.Support;

/// <summary>
/// A bus whose publishes wait until the spec releases them, as they do while the broker is away. It does nothing else:
/// any other call throws.
/// </summary>
public class BlockedPublishBus : DispatchProxy
{
    private readonly TaskCompletionSource _publishing = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<object> _published = [];

    /// <summary>Completes once a publish waits.</summary>
    public Task Publishing => _publishing.Task;

    /// <summary>The messages published so far, waiting or not.</summary>
    public IReadOnlyList<object> Published
    {
        get
        {
            lock (_published)
            {
                return [.. _published];
            }
        }
    }

    /// <summary>A bus, and its gate (the same object).</summary>
    public static (IBus Bus, BlockedPublishBus Gate) Create()
    {
        var bus = Create<IBus, BlockedPublishBus>();
        return (bus, (BlockedPublishBus)(object)bus);
    }

    /// <summary>Lets every publish, waiting or to come, complete.</summary>
    public void Release() => _released.TrySetResult();

    /// <inheritdoc />
    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        if (targetMethod is { Name: nameof(IPublishEndpoint.Publish) } && targetMethod.ReturnType == typeof(Task))
        {
            lock (_published)
            {
                _published.Add(args![0]!);
            }

            _publishing.TrySetResult();
            return _released.Task;
        }

        throw new NotSupportedException($"{nameof(BlockedPublishBus)} only publishes; {targetMethod?.Name} was called.");
    }
}
