using Dapper;
using OrdersMail.Testing.Infrastructure;

namespace OrdersMail.BuildingBlocks.Tests.Sagas;

/// <summary>The <c>tallies</c> table as ops would query it, straight from the database.</summary>
public static class TallyRows
{
    /// <summary>A tally's row, or null.</summary>
    public static async Task<TallyRow?> FindAsync(this TestInfrastructure infrastructure, Guid id)
    {
        ArgumentNullException.ThrowIfNull(infrastructure);
        await using var connection = await infrastructure.Database.OpenConnectionAsync();
        return await connection.QuerySingleOrDefaultAsync<TallyRow>(
            $"""
            select correlation_id as CorrelationId, current_state as CurrentState, version as Version,
                   data::text as Data, data->>'title' as Title, created_at as CreatedAt, updated_at as UpdatedAt, due_at as DueAt
              from {TallyHost.Service.Schema}.tallies
             where correlation_id = @id
            """,
            new { id });
    }
}

/// <summary>One row of <c>tallies</c>.</summary>
public sealed record TallyRow(Guid CorrelationId, string CurrentState, int Version, string Data, string? Title, DateTime CreatedAt, DateTime UpdatedAt, DateTime? DueAt);
