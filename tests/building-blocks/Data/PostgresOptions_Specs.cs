using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using OrdersMail.BuildingBlocks.Data;
using OrdersMail.BuildingBlocks.Hosting;
using OrdersMail.BuildingBlocks.Tests.Hosting;
using OrdersMail.Testing.Hosting;

namespace OrdersMail.BuildingBlocks.Tests.Data;

/// <summary>
/// The <c>Postgres</c> settings every service connects by, checked at start. Npgsql takes a connect timeout of at most
/// 1024 s and Polly a start-up timeout of at most a day, and a plain number binds as days: either failed the start with
/// an argument error naming neither the setting nor its section; a pool or prepared-statement count is an array Npgsql
/// allocates, and a pool of 0 a wait for a connection that never comes.
/// </summary>
public sealed class PostgresOptions_Specs
{
    private static readonly ServiceInfo Service = TestServiceHost.Identity("postgres-options-specs", typeof(PostgresOptions_Specs).Assembly);

    [Theory]
    [InlineData("ConnectionTimeout", "60")]
    [InlineData("ConnectionTimeout", "00:01:00.001")]
    [InlineData("ConnectionTimeout", "00:00:00")]
    [InlineData("StartupTimeout", "2")]
    [InlineData("StartupTimeout", "01:00:00.001")]
    [InlineData("StartupTimeout", "00:00:00.999")]
    [InlineData("MaxPoolSize", "0")]
    [InlineData("MaxPoolSize", "401")]
    [InlineData("MaxAutoPrepare", "-1")]
    [InlineData("MaxAutoPrepare", "1001")]
    [InlineData("Port", "0")]
    [InlineData("Port", "65536")]
    public void When_a_setting_is_past_its_bound_Should_refuse_to_start_naming_it(string setting, string value)
    {
        var failure = Assert.Throws<OptionsValidationException>(() => Bind((setting, value)));

        Assert.Contains(failure.Failures, f => f.StartsWith($"Postgres:{setting} must be ", StringComparison.Ordinal));
    }

    /// <summary>The host's start checks them before the migration builds the data source, which threw Npgsql's argument error.</summary>
    [Fact]
    public async Task When_the_connection_timeout_is_a_plain_number_Should_refuse_to_start_the_host_naming_it()
    {
        var failure = await Assert.ThrowsAsync<OptionsValidationException>(
            () => TestServiceHost.StartAsync(Service, new Dictionary<string, string?> { ["Postgres:ConnectionTimeout"] = "60" }));

        Assert.Contains(failure.Failures, f => f.StartsWith("Postgres:ConnectionTimeout must be ", StringComparison.Ordinal));
    }

    /// <summary>Each bound itself is one Npgsql takes: the data source builds with them.</summary>
    [Theory]
    [InlineData("00:01:00", "01:00:00", 400, 1000, 65535)]
    [InlineData("00:00:00.001", "00:00:01", 1, 0, 1)]
    public void When_every_setting_is_at_its_bound_Should_start_with_them(
        string connectionTimeout, string startupTimeout, int maxPoolSize, int maxAutoPrepare, int port)
    {
        var (options, connection) = Bind(
            ("ConnectionTimeout", connectionTimeout),
            ("StartupTimeout", startupTimeout),
            ("MaxPoolSize", maxPoolSize.ToString(CultureInfo.InvariantCulture)),
            ("MaxAutoPrepare", maxAutoPrepare.ToString(CultureInfo.InvariantCulture)),
            ("Port", port.ToString(CultureInfo.InvariantCulture)));

        Assert.Equal(TimeSpan.Parse(startupTimeout, CultureInfo.InvariantCulture), options.StartupTimeout);
        Assert.Equal((maxPoolSize, maxAutoPrepare, port), (connection.MaxPoolSize, connection.MaxAutoPrepare, connection.Port));
    }

    private static (PostgresOptions Options, NpgsqlConnectionStringBuilder Connection) Bind(params (string Name, string Value)[] settings) =>
        ServiceDefaultsServices.Read(
            Service,
            settings.Select(s => KeyValuePair.Create($"Postgres:{s.Name}", (string?)s.Value)),
            services => (
                services.GetRequiredService<IOptions<PostgresOptions>>().Value,
                new NpgsqlConnectionStringBuilder(services.GetRequiredService<NpgsqlDataSource>().ConnectionString)));
}
