using Microsoft.Extensions.Options;

namespace OrdersMail.BuildingBlocks.Messaging;

/// <summary>
/// Refuses to start with retries that can hold a message unacknowledged for the broker's consumer timeout or longer
/// (<see cref="MessageRetryOptions.BrokerConsumerTimeout"/>): RabbitMQ would close the channel and requeue the message
/// with its retries counted afresh, so a message that always fails would never reach <c>_error</c>. Each of the two
/// retries is checked alone, naming its keys; settings MassTransit cannot use at all are the other check's.
/// </summary>
public sealed class MessageRetryOptionsValidator : IValidateOptions<MessageRetryOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, MessageRetryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.IsValid)
        {
            return ValidateOptionsResult.Skip;
        }

        var problems = new List<string>();
        Check(problems, "Limit, MinInterval and MaxInterval", options.LongestHold);
        Check(problems, "OutageLimit, OutageMinInterval and OutageMaxInterval", options.LongestOutageHold);
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    private static void Check(List<string> problems, string keys, TimeSpan hold)
    {
        if (hold >= MessageRetryOptions.BrokerConsumerTimeout)
        {
            problems.Add(
                $"{MessageRetryOptions.Section}:{keys} may hold a message unacknowledged for {TimeSpan.FromSeconds(Math.Ceiling(hold.TotalSeconds)):c} between its attempts, "
                + $"which must be below RabbitMQ's consumer_timeout ({MessageRetryOptions.BrokerConsumerTimeout:c}): the broker would requeue it "
                + "with its retries counted afresh, and a message that always fails would never reach _error. Lower the limit or the longest interval.");
        }
    }
}
