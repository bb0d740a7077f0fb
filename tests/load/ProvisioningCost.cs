using System.Globalization;
using Dapper;
using Microsoft.Extensions.Configuration;
using Npgsql;
using OrdersMail.BuildingBlocks.Data;
using OrdersMail.BuildingBlocks.Hosting;

namespace OrdersMail.Load;

/// <summary>
/// What provisioning costs the machine per order: CPU of every process on the path (the four services, PostgreSQL
/// with its backends, RabbitMQ and the sandbox standing in for AgentMail) and PostgreSQL commits, between two readings.
/// </summary>
public sealed class ProvisioningCost
{
    private static readonly string[] SystemProcesses = ["orders-api", "inbox-provisioner", "inbound-router", "delivery-tracker", "postgres", "rabbitmq"];

    private readonly CpuMeter _cpu;
    private readonly PostgresOptions _postgres;

    private ProvisioningCost(CpuMeter cpu, PostgresOptions postgres)
    {
        _cpu = cpu;
        _postgres = postgres;
    }

    /// <summary>A reading of every process's CPU and the database's commits so far.</summary>
    public sealed record Reading(CpuMeter.Reading Cpu, long Commits);

    /// <summary>Finds the local run's processes by the ports the <c>ORDERSMAIL_*</c> variables give.</summary>
    public static ProvisioningCost OfLocalRun(Uri sandbox)
    {
        ArgumentNullException.ThrowIfNull(sandbox);
        var configuration = new ConfigurationBuilder().AddEnvironmentVariables(ConfigurationConventions.EnvironmentPrefix).Build();
        var postgres = configuration.GetSection(PostgresOptions.Section).Get<PostgresOptions>() ?? new PostgresOptions();
        int Port(string key, int fallback) => configuration.GetValue(key, fallback);
        var cpu = new CpuMeter(
        [
            ProcessCpu.ListeningOn("orders-api", Port("OrdersApi:Port", 5100)),
            ProcessCpu.ListeningOn("inbox-provisioner", Port("InboxProvisioner:Port", 5200)),
            ProcessCpu.ListeningOn("inbound-router", Port("InboundRouter:Port", 5300)),
            ProcessCpu.ListeningOn("delivery-tracker", Port("DeliveryTracker:Port", 5400)),
            ProcessCpu.ListeningOn("postgres", postgres.Port, withChildren: true),
            ProcessCpu.ListeningOn("rabbitmq", Port("RabbitMq:Port", 55672)),
            ProcessCpu.ListeningOn("sandbox", sandbox.Port),
            ProcessCpu.TraceViewer(),
        ]);
        return new ProvisioningCost(cpu, postgres);
    }

    /// <summary>Reads the CPU and the commits now.</summary>
    public async Task<Reading> ReadAsync()
    {
        await using var connection = new NpgsqlConnection(_postgres.ConnectionString("load-benchmark", "public"));
        var commits = await connection.ExecuteScalarAsync<long>("select sum(xact_commit)::bigint from pg_stat_database");
        return new Reading(_cpu.Read(), commits);
    }

    /// <summary>Prints CPU per order by process, the system's sum (the services, PostgreSQL, RabbitMQ), and commits per order.</summary>
    public void Print(Reading before, Reading after, int orders)
    {
        var perOrder = Math.Max(1, orders);
        Console.WriteLine($"  {_cpu.PerEvent(before.Cpu, after.Cpu, perOrder)}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"CPU per order, services + postgres + rabbitmq: {_cpu.MsPerEvent(before.Cpu, after.Cpu, perOrder, SystemProcesses):0.0} ms; PostgreSQL commits per order: {(double)(after.Commits - before.Commits) / perOrder:0.0}"));
    }
}
