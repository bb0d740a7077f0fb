using OrdersMail.MailSandbox.Core;

namespace OrdersMail.MailSandbox.ChatCompletions;

/// <summary>Every chat completion request answered since the last reset, so a spec can assert what a model was given.</summary>
public sealed class ChatCompletionLog : ISandboxState
{
    private readonly Lock _lock = new();
    private readonly List<RecordedChatRequest> _requests = [];

    /// <summary>Records one answered request.</summary>
    public void Add(RecordedChatRequest request)
    {
        lock (_lock)
        {
            _requests.Add(request);
        }
    }

    /// <summary>The requests, oldest first.</summary>
    public IReadOnlyList<RecordedChatRequest> All()
    {
        lock (_lock)
        {
            return [.. _requests];
        }
    }

    /// <inheritdoc />
    public void Reset()
    {
        lock (_lock)
        {
            _requests.Clear();
        }
    }
}
