using Npgsql;
using OrdersMail.BuildingBlocks.Telemetry;

namespace OrdersMail.InboundRouter.Routing;

/// <summary><c>ordersmail.inbound.parked</c>: messages parked and neither routed again nor dismissed yet (<see cref="ParkedMessages"/>).</summary>
public sealed class ParkedGauge(NpgsqlDataSource dataSource, ServiceTelemetry telemetry) : RowCountGauge(
    dataSource, telemetry, "ordersmail.inbound.parked", "Inbound messages parked and neither re-routed nor dismissed yet",
    "select count(*) from parked_messages where routed_at is null and dismissed_at is null");

/// <summary>
/// <c>ordersmail.inbound.set_aside</c>: received emails routing can never decide and verified events the ingress cannot
/// read (<see cref="SetAsideEmails"/>).
/// </summary>
public sealed class SetAsideGauge(NpgsqlDataSource dataSource, ServiceTelemetry telemetry) : RowCountGauge(
    dataSource, telemetry, "ordersmail.inbound.set_aside", "Received emails and verified events set aside for a person, neither routed, parked nor handed on",
    "select count(*) from received_events where claimed_until = 'infinity'");
