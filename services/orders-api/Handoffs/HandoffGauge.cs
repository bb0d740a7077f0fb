using Npgsql;
using OrdersMail.BuildingBlocks.Telemetry;

namespace OrdersMail.OrdersApi.Handoffs;

/// <summary><c>ordersmail.agent.handoffs.open</c>: messages the agent handed to a person that ops have not marked done (<see cref="AgentHandoffs"/>).</summary>
public sealed class HandoffGauge(NpgsqlDataSource dataSource, ServiceTelemetry telemetry) : RowCountGauge(
    dataSource, telemetry, "ordersmail.agent.handoffs.open", "Inbound messages the agent handed to a person (needs-review, needs-action) not marked done yet",
    "select count(*) from agent_handoffs where done_at is null");
