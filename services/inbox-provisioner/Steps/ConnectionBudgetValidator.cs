using Microsoft.Extensions.Options;
using Npgsql;

namespace OrdersMail.InboxProvisioner.Steps;

/// <summary>
/// Refuses to start when the configured concurrency could take every connection of the pool: an AgentMail outage
/// would then leave the saga, the sweeper and the readiness check waiting for a connection that never frees.
/// </summary>
public sealed class ConnectionBudgetValidator(NpgsqlDataSource dataSource) : IValidateOptions<ProvisioningOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, ProvisioningOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var poolSize = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString).MaxPoolSize;
        return options.ConnectionBudget < poolSize
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(
                $"{ProvisioningOptions.Section}: {ProvisioningQueues.StepQueues.Count} steps × StepConcurrency {options.StepConcurrency} + SagaConcurrency {options.SagaConcurrency} + 2 " +
                $"= {options.ConnectionBudget} connections, not below the pool's {poolSize} (Maximum Pool Size).");
    }
}
