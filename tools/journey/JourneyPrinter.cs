namespace OrdersMail.Journey;

/// <summary>Prints the journey for a person at a terminal: each step with its figure and time, then where to look.</summary>
public sealed class JourneyPrinter(TextWriter output, JourneySettings settings)
{
    /// <summary>One step that happened.</summary>
    public void Step(JourneyStep step)
    {
        ArgumentNullException.ThrowIfNull(step);
        output.WriteLine($"  ok  {step.Elapsed.TotalSeconds,5:0.0} s  {step.Name,-52} {step.Figure}");
    }

    /// <summary>The step that did not happen, why, and the log that explains it.</summary>
    public void Failed(JourneyStepFailedException failed)
    {
        ArgumentNullException.ThrowIfNull(failed);
        output.WriteLine($"  FAILED  {failed.Step}");
        output.WriteLine($"          why: {failed.Why}");
        output.WriteLine($"          look at: {LogOf(failed.LookAt)}");
    }

    /// <summary>The order's timeline page (signed in through the sandbox's Clerk), its trace, and the broker's UI.</summary>
    public void WhereToLook(JourneyOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        var page = new Uri(settings.OrdersApi, $"orders/{outcome.OrderId}");
        var signIn = new Uri(settings.Sandbox, $"sandbox/clerk/sign-in?user_id={Uri.EscapeDataString(outcome.UserId)}&redirect={Uri.EscapeDataString(page.ToString())}");
        output.WriteLine();
        output.WriteLine($"  The order's timeline  {signIn}");
        output.WriteLine($"                        (signs you in as {outcome.UserId}, the order's owner, then opens {page})");
        if (Environment.GetEnvironmentVariable("ORDERSMAIL_TraceViewer__Port") is { Length: > 0 } viewer)
        {
            output.WriteLine($"  The order's trace     http://127.0.0.1:{viewer}/traces/detail/{outcome.TraceId}");
        }

        if (Environment.GetEnvironmentVariable("ORDERSMAIL_RabbitMq__ManagementPort") is { Length: > 0 } rabbit)
        {
            output.WriteLine($"  RabbitMQ's queues     http://127.0.0.1:{rabbit}/#/queues");
        }
    }

    private static string LogOf(string service) =>
        Environment.GetEnvironmentVariable("ORDERSMAIL_DATA_DIR") is { Length: > 0 } data
            ? Path.Combine(data, "logs", $"{service}.log")
            : $"the {service} log";
}
