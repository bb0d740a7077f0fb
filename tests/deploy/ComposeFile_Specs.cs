extern alias ordersapi;

using Microsoft.Extensions.Hosting;
using ordersapi::OrdersMail.OrdersApi.Http;
using OrdersMail.Testing.Infrastructure;

namespace OrdersMail.Deploy.Tests;

/// <summary>
/// deploy/docker-compose.yml cannot be started here (no Docker engine), so it is held to the code instead: every
/// program it builds exists, every variable it sets is a key that program reads, every URL names a service listening
/// on that port, and the start order, the shared outbox and the replicas are what the design needs.
/// </summary>
public sealed class ComposeFile_Specs
{
    // The programs the compose file builds, by service name, with the assembly that reads their configuration.
    private static readonly Dictionary<string, string> Programs = new()
    {
        ["orders-api"] = "OrdersMail.OrdersApi",
        ["inbox-provisioner"] = "OrdersMail.InboxProvisioner",
        ["inbound-router"] = "OrdersMail.InboundRouter",
        ["delivery-tracker"] = "OrdersMail.DeliveryTracker",
        ["mail-sandbox"] = "OrdersMail.MailSandbox",
    };

    private static readonly string[] Services = ["orders-api", "inbox-provisioner", "inbound-router", "delivery-tracker"];

    // What every service needs healthy before it starts.
    private static readonly string[] Prerequisites = ["postgres", "rabbitmq", "mail-sandbox"];

    // The two programs that share the mail outbox: its writer and its relay.
    private static readonly string[] OutboxUsers = ["orders-api", "delivery-tracker"];

    // What the images listen on (documented by each image), for URLs that name them.
    private static readonly Dictionary<string, int[]> ImagePorts = new()
    {
        ["postgres"] = [5432],
        ["rabbitmq"] = [5672, 15672],
        ["trace-viewer"] = [18888, 18889, 18890],
    };

    private static readonly string DeployDirectory = Path.Combine(RepositoryRoot.Path, "deploy");

    private static readonly ComposeFile Compose = ComposeFile.Load(Path.Combine(DeployDirectory, "docker-compose.yml"));

    [Fact]
    public void Should_run_the_broker_the_database_the_trace_viewer_the_sandbox_and_the_four_services()
    {
        Assert.Equal(
            ["delivery-tracker", "inbound-router", "inbox-provisioner", "mail-sandbox", "orders-api", "postgres", "rabbitmq", "trace-viewer"],
            Compose.Services.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Should_build_each_program_from_its_own_project_with_the_dockerfile_that_copies_it()
    {
        foreach (var (name, assembly) in Programs)
        {
            var service = Compose.Services[name];
            Assert.True(service.Dockerfile is not null, $"{name} is not built from a Dockerfile");
            var dockerfile = Path.GetFullPath(Path.Combine(DeployDirectory, service.BuildContext ?? ".", service.Dockerfile));
            Assert.True(File.Exists(dockerfile), $"{name}: {dockerfile} does not exist");

            var directory = service.BuildArgs["DIR"];
            Assert.Equal(assembly, service.BuildArgs["PROJECT"]);
            var project = Path.Combine(RepositoryRoot.Path, directory, $"{assembly}.csproj");
            Assert.True(File.Exists(project), $"{name}: {project} does not exist");

            var topFolder = directory.Split('/')[0];
            Assert.Contains($"COPY {topFolder}/ {topFolder}/", File.ReadAllText(dockerfile), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Should_set_only_configuration_keys_the_program_reads()
    {
        foreach (var (name, assembly) in Programs)
        {
            var keys = ConfigurationKeys.Of(assembly);
            var unknown = Compose.Services[name].Environment.Keys
                .Where(variable => variable != "ASPNETCORE_URLS")
                .Where(variable => !keys.Knows(ConfigurationKey(variable)))
                .ToList();
            Assert.True(unknown.Count == 0, $"{name} sets variables its code does not read: {string.Join(", ", unknown)}");
        }
    }

    [Fact]
    public void Should_know_a_misspelt_key_from_a_real_one()
    {
        var keys = ConfigurationKeys.Of("OrdersMail.InboxProvisioner");

        Assert.True(keys.Knows("InboxProvisioner:AgentMail:BaseUrl"));
        Assert.True(keys.Knows("Postgres:Host"));
        Assert.False(keys.Knows("InboxProvisioner:AgentMail:BaseUri"));
        Assert.False(keys.Knows("Postgress:Host"));
        Assert.True(ConfigurationKeys.Of("OrdersMail.OrdersApi").Knows("Clerk:AuthorizedParties:0"));
    }

    [Fact]
    public void Should_publish_the_port_each_program_listens_on_once_per_replica()
    {
        foreach (var name in Programs.Keys)
        {
            var service = Compose.Services[name];
            Assert.True(service.ListensOn is not null, $"{name} sets no ASPNETCORE_URLS");
            var mapping = Assert.Single(service.Ports);
            var (host, container) = (mapping[..mapping.LastIndexOf(':')], mapping[(mapping.LastIndexOf(':') + 1)..]);
            Assert.Equal(service.ListensOn.ToString(), container);
            var hostPorts = host.Split('-').Select(int.Parse).ToArray();
            var published = hostPorts.Length == 1 ? 1 : hostPorts[1] - hostPorts[0] + 1;
            Assert.True(published >= service.Replicas, $"{name} runs {service.Replicas} replicas on {published} host port(s)");
        }
    }

    [Fact]
    public void Should_point_every_url_at_a_service_listening_on_that_port()
    {
        var urls = Compose.Services.Values
            .SelectMany(s => s.Environment.Select(e => (Service: s.Name, Variable: e.Key, e.Value)))
            .Where(e => e.Variable != "ASPNETCORE_URLS" && Uri.TryCreate(e.Value, UriKind.Absolute, out var url) && url.Scheme == "http")
            .Select(e => (e.Service, e.Variable, Url: new Uri(e.Value)))
            .Where(e => e.Url.Host != "127.0.0.1" && e.Url.Host != "localhost")
            .ToList();

        Assert.NotEmpty(urls);
        foreach (var (service, variable, url) in urls)
        {
            Assert.True(Compose.Services.TryGetValue(url.Host, out var target), $"{service}'s {variable} names {url.Host}, which is no service");
            var ports = target.ListensOn is { } port ? [port] : ImagePorts.GetValueOrDefault(url.Host, []);
            Assert.True(ports.Contains(url.Port), $"{service}'s {variable} names port {url.Port}, but {url.Host} listens on {string.Join(", ", ports)}");
        }
    }

    [Fact]
    public void Should_connect_each_service_to_the_broker_and_the_database_of_the_file()
    {
        foreach (var name in Services)
        {
            var environment = Compose.Services[name].Environment;
            Assert.Equal("postgres", environment["ORDERSMAIL_Postgres__Host"]);
            Assert.Equal("5432", environment["ORDERSMAIL_Postgres__Port"]);
            Assert.Equal("rabbitmq", environment["ORDERSMAIL_RabbitMq__Host"]);
            Assert.Equal("5672", environment["ORDERSMAIL_RabbitMq__Port"]);
        }
    }

    [Fact]
    public void Should_start_each_service_once_what_it_needs_is_healthy_and_say_when_it_is_healthy_itself()
    {
        foreach (var name in Services)
        {
            var service = Compose.Services[name];
            Assert.True(service.HasHealthcheck, $"{name} has no healthcheck");
            foreach (var needed in Prerequisites)
            {
                Assert.Equal("service_healthy", service.DependsOn.GetValueOrDefault(needed));
            }
        }

        foreach (var (name, target) in Compose.Services.Values.SelectMany(s => s.DependsOn.Where(d => d.Value == "service_healthy").Select(d => (s.Name, d.Key))))
        {
            Assert.True(Compose.Services[target].HasHealthcheck, $"{name} waits for {target} to be healthy, but {target} has no healthcheck");
        }
    }

    [Fact]
    public void Should_share_one_outbox_volume_between_the_writer_and_the_relay()
    {
        var mounts = OutboxUsers.Select(name =>
        {
            var service = Compose.Services[name];
            var mount = Assert.Single(service.Volumes);
            Assert.Equal(mount[(mount.IndexOf(':') + 1)..], service.Environment["ORDERSMAIL_MailOutbox__Directory"]);
            return mount[..mount.IndexOf(':')];
        }).Distinct().ToList();

        var volume = Assert.Single(mounts);
        Assert.Contains(volume, Compose.Volumes);
    }

    // Docker creates a named volume's mount point root:root 0755 when the image has no such folder, and copies the
    // folder's owner and mode when it has one: an image that made no /outbox ran its program (USER $APP_UID) on an outbox
    // it could not write, so no email was ever written or sent. Made before USER, for that user only: it holds customer mail.
    [Fact]
    public void Should_create_every_mounted_folder_in_the_image_for_the_image_user_only()
    {
        var mounting = Compose.Services.Values.Where(s => s.Dockerfile is not null && s.Volumes.Count > 0).ToList();
        Assert.NotEmpty(mounting);
        foreach (var service in mounting)
        {
            var dockerfile = Path.GetFullPath(Path.Combine(DeployDirectory, service.BuildContext ?? ".", service.Dockerfile!));
            var (user, commands) = FinalStageBeforeUser(File.ReadAllText(dockerfile));
            foreach (var target in service.Volumes.Select(mount => mount[(mount.IndexOf(':') + 1)..]))
            {
                foreach (var expected in new[] { $"mkdir -p {target}", $"chown {user} {target}", $"chmod 0700 {target}" })
                {
                    Assert.True(commands.Contains(expected), $"{service.Name} mounts {target}, but its image runs no '{expected}' before USER {user}");
                }
            }
        }
    }

    [Fact]
    public void Should_sign_resend_webhooks_with_the_secret_the_tracker_verifies()
    {
        var tracker = Compose.Services["delivery-tracker"].Environment;
        var sandbox = Compose.Services["mail-sandbox"].Environment;

        Assert.StartsWith("whsec_", tracker["ORDERSMAIL_Resend__WebhookSecret"], StringComparison.Ordinal);
        Assert.Equal(tracker["ORDERSMAIL_Resend__WebhookSecret"], sandbox["ORDERSMAIL_MailSandbox__ResendWebhooks__0__SigningSecret"]);
        Assert.Equal(
            new Uri($"http://delivery-tracker:{Compose.Services["delivery-tracker"].ListensOn}/webhooks/resend"),
            new Uri(sandbox["ORDERSMAIL_MailSandbox__ResendWebhooks__0__Url"]));
    }

    [Fact]
    public void Should_run_two_replicas_of_each_service_and_export_their_telemetry_to_the_trace_viewer()
    {
        foreach (var name in Services)
        {
            var service = Compose.Services[name];
            Assert.Equal(2, service.Replicas);
            Assert.Equal(new Uri("http://trace-viewer:18889"), new Uri(service.Environment["OTEL_EXPORTER_OTLP_ENDPOINT"]));
        }
    }

    // A deploy asks each container to stop and kills it after the grace period; a service killed before its host's
    // own stop budget ends loses the answers of sends in flight and leaves its claims for their leases.
    [Fact]
    public void Should_give_each_service_longer_to_stop_than_its_host_takes()
    {
        var hostStops = new HostOptions().ShutdownTimeout;
        foreach (var name in Services)
        {
            Assert.True(
                Compose.Services[name].StopGracePeriod > hostStops,
                $"{name} is killed {Compose.Services[name].StopGracePeriod.TotalSeconds} s after being asked to stop, before its host's {hostStops.TotalSeconds} s");
        }
    }

    // The replicas share the service's environment: without the key each process draws its own, and a next_cursor one
    // replica wrote is refused (400) by the other and after a restart.
    [Fact]
    public void Should_give_every_orders_api_replica_one_valid_cursor_key()
    {
        var ordersApi = Compose.Services["orders-api"];

        Assert.True(ordersApi.Replicas > 1, "orders-api runs one replica; this spec is about a key shared between them");
        Assert.True(
            ordersApi.Environment.TryGetValue("ORDERSMAIL_OrdersApi__CursorKey", out var key),
            "orders-api's replicas get no ORDERSMAIL_OrdersApi__CursorKey: each signs its cursors with a key of its own");
        var check = new HttpOptionsValidator().Validate(null, new HttpOptions { CursorKey = key });
        Assert.True(check.Succeeded, check.FailureMessage);
    }

    // Each tracker paces its Resend calls with a bucket of its own, while Resend's limit is the team's (5 requests a
    // second by default): replicas that each took the whole limit asked for twice it together, and met each other's 429s.
    [Fact]
    public void Should_give_each_delivery_tracker_replica_its_share_of_resends_request_limit()
    {
        const int TeamLimit = 5;
        var tracker = Compose.Services["delivery-tracker"];

        Assert.True(
            tracker.Environment.TryGetValue("ORDERSMAIL_Resend__RequestsPerSecond", out var share),
            $"delivery-tracker's {tracker.Replicas} replicas get no ORDERSMAIL_Resend__RequestsPerSecond: each paces itself at the team's whole limit");
        var perReplica = int.Parse(share, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(perReplica * tracker.Replicas, 1, TeamLimit);
    }

    // The user the final stage runs as, and the shell commands its RUN instructions run before switching to it (split
    // at &&, quotes removed, so "chown \"$APP_UID\" /outbox" reads as chown $APP_UID /outbox).
    private static (string User, HashSet<string> Commands) FinalStageBeforeUser(string dockerfile)
    {
        var instructions = dockerfile.Replace("\\\n", " ", StringComparison.Ordinal).Split('\n').Select(line => line.Trim()).ToList();
        var stage = instructions.FindLastIndex(line => line.StartsWith("FROM ", StringComparison.Ordinal));
        var switchToUser = instructions.FindIndex(stage, line => line.StartsWith("USER ", StringComparison.Ordinal));
        Assert.True(switchToUser > stage, "the Dockerfile's final stage has no USER");
        var commands = instructions[stage..switchToUser]
            .Where(line => line.StartsWith("RUN ", StringComparison.Ordinal))
            .SelectMany(line => line["RUN ".Length..].Split("&&"))
            .Select(command => string.Join(' ', command.Replace("\"", string.Empty, StringComparison.Ordinal).Split(' ', StringSplitOptions.RemoveEmptyEntries)))
            .ToHashSet(StringComparer.Ordinal);
        return (instructions[switchToUser]["USER ".Length..].Trim(), commands);
    }

    // ORDERSMAIL_Postgres__Host → Postgres:Host, as the services' environment configuration source reads it;
    // a standard variable (OTEL_EXPORTER_OTLP_ENDPOINT) is its own key.
    private static string ConfigurationKey(string variable) =>
        variable.StartsWith("ORDERSMAIL_", StringComparison.Ordinal)
            ? variable["ORDERSMAIL_".Length..].Replace("__", ":", StringComparison.Ordinal)
            : variable;
}
