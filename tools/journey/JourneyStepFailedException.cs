namespace OrdersMail.Journey;

/// <summary>A step that did not happen: which one, why, and where a person looks next.</summary>
public sealed class JourneyStepFailedException : Exception
{
    /// <summary>Creates the failure of <paramref name="step"/>.</summary>
    public JourneyStepFailedException(string step, string why, string lookAt)
        : base($"{step}: {why}")
    {
        Step = step;
        Why = why;
        LookAt = lookAt;
    }

    /// <summary>The step's name as the journey prints it.</summary>
    public string Step { get; }

    /// <summary>What was expected and what was seen instead.</summary>
    public string Why { get; }

    /// <summary>The service (and so the log) most likely to explain it.</summary>
    public string LookAt { get; }
}
