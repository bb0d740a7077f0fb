namespace OrdersMail.Testing.Infrastructure;

/// <summary>Where the tests' PostgreSQL and RabbitMQ come from.</summary>
public enum TestServerKind
{
    /// <summary>The Debian binaries, started by deploy/local/infra.sh.</summary>
    Local,

    /// <summary>Containers, started by Testcontainers on a Docker engine.</summary>
    Docker,
}

/// <summary>
/// The choice of <see cref="TestServerKind"/>, apart from any side effect so a spec can cover it without Docker:
/// <c>ORDERSMAIL_TEST_SERVERS</c> forces one; unset, containers when a Docker engine answers, the local binaries otherwise.
/// </summary>
public static class TestServerChoice
{
    /// <summary>The environment variable that forces a kind: <c>docker</c> or <c>local</c>.</summary>
    public const string Variable = "ORDERSMAIL_TEST_SERVERS";

    /// <summary>Chooses from the variable's value; asks whether an engine answers only when the answer matters.</summary>
    /// <param name="forced">The value of <see cref="Variable"/>; null or blank when unset.</param>
    /// <param name="engineAnswers">Whether a Docker engine answers (a ping bounded in time, never a hang).</param>
    /// <exception cref="InvalidOperationException">The value is neither docker nor local, or docker is forced and no engine answers.</exception>
    public static async Task<TestServerKind> ChooseAsync(string? forced, Func<Task<bool>> engineAnswers)
    {
        ArgumentNullException.ThrowIfNull(engineAnswers);
        switch (forced?.Trim().ToUpperInvariant())
        {
            case null or "":
                return await engineAnswers() ? TestServerKind.Docker : TestServerKind.Local;
            case "LOCAL":
                return TestServerKind.Local;
            case "DOCKER":
                // Testcontainers would otherwise retry its way to a long, vague failure in every test class.
                return await engineAnswers()
                    ? TestServerKind.Docker
                    : throw new InvalidOperationException(
                        $"{Variable}=docker, but no Docker engine answers ({DockerEngine.Where}). Start one, or set {Variable}=local " +
                        "(or unset it) to run on the local Debian binaries (deploy/local/infra.sh).");
            default:
                throw new InvalidOperationException($"{Variable}='{forced}' is not a choice: use docker, local, or leave it unset (docker when an engine answers).");
        }
    }
}
